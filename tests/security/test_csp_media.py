"""The Content-Security-Policy lets pictures come from where the public media storage serves them:
with PODIUM_STORAGE=s3 the bucket (or the CDN in front of it), derived from the storage settings,
so a page on an S3 set-up does not show broken pictures; and nothing wider than that bucket.

Each set-up is loaded in a fresh interpreter (settings are read once per process), which asks
django-storages itself for a picture's URL: the policy must allow exactly that origin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PROBE = """
import json
import django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
print(json.dumps({
    "url": storages["default"].url("images/2026/0123456789abcdef/original.jpg"),
    "img_src": settings.SECURE_CSP["img-src"],
}))
"""
S3 = {
    "PODIUM_STORAGE": "s3",
    "PODIUM_S3_PUBLIC_BUCKET": "podium-media",
    "PODIUM_S3_PRIVATE_BUCKET": "podium-private",
}


def _probe(tmp_path: Path, environment: dict[str, str]) -> tuple[str, list[str]]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "podium.settings",
        "PODIUM_EMBEDDED": "1",
        "PODIUM_VAR_DIR": str(tmp_path / "var"),
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["url"], found["img_src"]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize(
    "environment",
    [
        {},
        {"PODIUM_S3_REGION": "eu-central-1"},
        {"PODIUM_S3_REGION": "eu-central-1", "PODIUM_S3_ADDRESSING_STYLE": "path"},
        {"PODIUM_S3_ENDPOINT_URL": "https://s3.example.eu"},
        {"PODIUM_S3_ENDPOINT_URL": "http://127.0.0.1:9000", "PODIUM_S3_ADDRESSING_STYLE": "path"},
        {
            "PODIUM_S3_ENDPOINT_URL": "https://s3.example.eu",
            "PODIUM_S3_ADDRESSING_STYLE": "virtual",
        },
        {"PODIUM_MEDIA_BASE_URL": "https://cdn.example.org/media/"},
    ],
    ids=["aws", "aws-region", "aws-path", "endpoint", "minio-path", "endpoint-virtual", "cdn"],
)
def test_img_src_allows_the_origin_the_s3_storage_serves_pictures_from(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    url, img_src = _probe(tmp_path, S3 | environment)

    assert url.startswith("http") and _origin(url) in img_src
    assert not any("*" in source for source in img_src)
    # The bucket, never every bucket of the provider (unless the storage addresses the bucket by
    # path: then its origin is the provider's).
    if "podium-media" in urlsplit(url).netloc:
        assert all("podium-media" in source for source in img_src[2:])


def test_the_embedded_set_up_serves_pictures_itself(tmp_path: Path) -> None:
    url, img_src = _probe(tmp_path, {})

    assert url.startswith("/media/")
    assert img_src == ["'self'", "data:"]
