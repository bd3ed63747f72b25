"""The reader's address: X-Forwarded-For is believed only as far as trusted proxies wrote it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from podium.accounts.adapter import AccountAdapter
from podium.accounts.models import User
from podium.core.clientip import TrustedProxiesError, client_ip, parse_trusted_proxies
from tests.podium_helpers import PASSWORD

rf = RequestFactory()


def _request(peer: str, xff: str | None = None) -> object:
    extra = {"REMOTE_ADDR": peer}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **extra)


@override_settings(PODIUM_TRUSTED_PROXIES=0)
def test_without_trusted_proxies_a_forged_header_is_ignored() -> None:
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_a_forged_header_from_an_untrusted_peer_is_ignored() -> None:
    # The client talks to Podium directly (around nginx) and claims to be someone else.
    assert client_ip(_request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_one_proxy_by_network_takes_the_hop_it_wrote() -> None:
    # nginx appends the address it saw; whatever the client put before it is not believed.
    request = _request("127.0.0.1", "203.0.113.9, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32", "10.0.0.0/8"])
def test_two_proxies_by_network_take_the_right_most_untrusted_hop() -> None:
    # client → load balancer (10.0.0.5) → nginx (127.0.0.1) → Podium
    request = _request("127.0.0.1", "203.0.113.9, 198.51.100.7, 10.0.0.5")
    assert client_ip(request) == "198.51.100.7"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=1)
def test_one_proxy_by_count_takes_the_last_hop() -> None:
    assert client_ip(_request("10.0.0.2", "203.0.113.9, 198.51.100.7")) == "198.51.100.7"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=2)
def test_two_proxies_by_count_take_the_second_hop_from_the_right() -> None:
    request = _request("10.0.0.2", "203.0.113.9, 198.51.100.7, 10.0.0.5")
    assert client_ip(request) == "198.51.100.7"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_a_request_without_the_header_from_a_proxy_is_the_proxy() -> None:
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_garbage_in_the_header_stops_at_the_nearest_trusted_hop() -> None:
    assert client_ip(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"  # type: ignore[arg-type]


@override_settings(PODIUM_TRUSTED_PROXIES=1)
def test_ports_brackets_and_mapped_addresses_are_normalised() -> None:
    assert client_ip(_request("10.0.0.2", "198.51.100.7:5100")) == "198.51.100.7"  # type: ignore[arg-type]
    assert client_ip(_request("10.0.0.2", "[2001:db8::1]:443")) == "2001:db8::1"  # type: ignore[arg-type]
    assert client_ip(_request("::ffff:10.0.0.2")) != ""  # type: ignore[arg-type]


def test_no_peer_at_all_is_unknown() -> None:
    assert client_ip(_request("")) == "unknown"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 0), ("0", 0), ("2", 2), (" 1 ", 1), ("127.0.0.1", ("127.0.0.1/32",))],
)
def test_the_setting_is_a_count_or_networks(raw: str, expected: object) -> None:
    parsed = parse_trusted_proxies(raw)
    if isinstance(parsed, int):
        assert parsed == expected
    else:
        assert tuple(str(net) for net in parsed) == expected


@pytest.mark.parametrize("raw", ["nginx", "1,2", "127.0.0.1/33", "-1"])
def test_a_bad_setting_is_refused(raw: str) -> None:
    with pytest.raises(TrustedProxiesError):
        parse_trusted_proxies(raw)


@override_settings(PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"])
def test_allauth_counts_per_real_client() -> None:
    request = _request("127.0.0.1", "203.0.113.9")
    assert AccountAdapter(request).get_client_ip(request) == "203.0.113.9"  # type: ignore[arg-type]


@override_settings(
    PODIUM_TRUSTED_PROXIES=["127.0.0.1/32"],
    ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip,100/300s/key"},
)
def test_failed_sign_ins_behind_the_proxy_lock_out_one_client_only(contributor: User) -> None:
    """All requests come from nginx (127.0.0.1); the limit still applies per reader."""
    cache.clear()

    def sign_in(address: str, email: str, password: str) -> bool:
        client = Client()
        client.post(
            reverse("account_login"),
            {"login": email, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )
        return "_auth_user_id" in client.session

    for number in range(3):
        assert not sign_in("192.0.2.2", f"guess{number}@example.org", "wrong-password-1")
    assert not sign_in("192.0.2.2", contributor.email, PASSWORD)  # locked out, even so
    assert sign_in("192.0.2.3", contributor.email, PASSWORD)
