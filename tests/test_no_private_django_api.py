"""Podium uses Django through its public API only: a private method or attribute can change in
any release without notice, and an override of one breaks silently. These are the ones Podium
once overrode or reached into; the scan keeps them out of the source."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "podium"

PRIVATE = {
    "SessionStore._get_session_from_db": r"\b_get_session_from_db\b",
    "CsrfViewMiddleware._origin_verified": r"\b_origin_verified\b",
    "RedisCacheClient._get_connection_pool": r"\b_get_connection_pool\b",
    "RedisCacheClient._client": r"\._client\b",
    "FileBasedCache._cull": r"\b_cull\b",
    "FileBasedCache._key_to_file": r"\b_key_to_file\b",
    "Model._state": r"\._state\b",
}


def uses(text: str) -> list[str]:
    return [name for name, pattern in PRIVATE.items() if re.search(pattern, text)]


def test_the_source_names_no_private_django_api() -> None:
    found = {
        str(path.relative_to(SOURCE)): names
        for path in sorted(SOURCE.rglob("*.py"))
        if (names := uses(path.read_text()))
    }
    assert found == {}


def test_the_scan_finds_each_of_them() -> None:
    samples = [
        "return super()._get_session_from_db()",
        "checker._origin_verified(request)",
        "pool = self._get_connection_pool(write)",
        "self._client(connection_pool=pool)",
        "def _cull(self): ...",
        "self._key_to_file(key)",
        "session._state.adding = False",
    ]
    assert [uses(sample) for sample in samples] == [[name] for name in PRIVATE]
    assert uses("self.client = get_client(); state = article.state") == []


def test_domain_code_names_no_cache_only_freshness() -> None:
    """Services, the lifecycle, receivers, models and selectors say when readers see a change
    (podium.core.freshness); which pages and fragments are kept, and how they are renewed, is
    not their business. (Rate-limit counters in the default cache are not page caching.)"""
    domain = ("services.py", "lifecycle.py", "receivers.py", "models.py", "selectors.py")
    found = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if path.name in domain and re.search(r"\bpagecache\b", path.read_text())
    )
    assert found == []


def test_only_the_delivery_layer_handles_page_cache_generations() -> None:
    """Views ask selectors or `podium.delivery.reads`; no app but `podium.delivery` reads a
    generation, keeps something under one or passes one around (issue #15). The project shell
    (settings.py) only names the middleware."""
    found = sorted(
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if len(path.relative_to(SOURCE).parts) > 1
        and path.relative_to(SOURCE).parts[0] != "delivery"
        and re.search(
            r"\bpagecache\b|\bgeneration_for\b|\bkept(_under)?\(|\bGeneration\b", path.read_text()
        )
    )
    assert found == []
