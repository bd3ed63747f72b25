"""Files through the two named storages: public media with content-hashed names and a year's
caching; private files with no URL, handed out streamed or by a presigned link of at most five
minutes; the S3 classes against moto's in-process S3; the health check includes the stores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from moto import mock_aws

from podium.core import storage
from podium.core.s3storage import PrivateS3Storage, PublicS3Storage


def test_public_media_get_content_hashed_names() -> None:
    public = storages[storage.PUBLIC]
    first = public.save("articles/figuur.png", ContentFile(b"one"))
    again = public.save("articles/figuur.png", ContentFile(b"two"))
    assert first.startswith("articles/figuur.") and first.endswith(".png")
    assert first != again  # another content, another name
    assert public.url(first) == f"/media/{first}"


def test_a_stored_name_written_back_keeps_its_name() -> None:
    public = storages[storage.PUBLIC]
    name = public.save("articles/figuur.png", ContentFile(b"same"))
    public.delete(name)
    assert public.save(name, ContentFile(b"same")) == name


def test_public_urls_are_remembered_per_name_under_the_current_settings(settings: Any) -> None:
    """`public_url` remembers a name's URL (list pages ask ~120 per page); a stored name never
    changes content, and a change of the media settings gives URLs under the new ones."""
    public = storages[storage.PUBLIC]
    name = public.save("images/figuur.png", ContentFile(b"one"))
    assert storage.public_url(name) == public.url(name) == f"/media/{name}"
    again = public.save("images/figuur.png", ContentFile(b"two"))
    assert storage.public_url(again) == f"/media/{again}"  # new content, new name, new URL
    settings.MEDIA_URL = "https://beeld.example/media/"
    assert storage.public_url(name) == f"https://beeld.example/media/{name}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "podium.core.s3storage.PublicS3Storage",
            "OPTIONS": {
                "bucket_name": "podium-public",
                "region_name": "eu-west-1",
                "base_url": "https://cdn.example/",
            },
        },
    }
    assert storage.public_url(name) == f"https://cdn.example/{name}"


def test_private_files_have_no_url() -> None:
    private = storages[storage.PRIVATE]
    name = private.save("bestof/x/boek.pdf", ContentFile(b"%PDF"))
    with pytest.raises(ValueError, match="no URL"):
        private.url(name)


def test_a_private_download_on_local_disk_is_streamed_and_never_cached() -> None:
    private = storages[storage.PRIVATE]
    name = private.save("exports/1/x/data.zip", ContentFile(b"zip bytes"))
    response = storage.private_download(
        private, name, filename="data.zip", content_type="application/zip"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"zip bytes"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_walk_and_delete_folder_reach_every_file_under_a_folder() -> None:
    private = storages[storage.PRIVATE]
    for name in ("exports/7/a/x.zip", "exports/7/b/y.zip", "exports/8/a/z.zip"):
        private.save(name, ContentFile(b"."))
    assert sorted(storage.walk(private, "exports/7")) == ["exports/7/a/x.zip", "exports/7/b/y.zip"]
    assert storage.delete_folder(private, "exports/7") == 2
    assert list(storage.walk(private, "exports")) == ["exports/8/a/z.zip"]


# --- S3 (moto in process) ---------------------------------------------------------------------


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-1")
        for bucket in ("podium-public", "podium-private"):
            client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
            )
        yield client


def test_public_s3_objects_are_hashed_cached_for_a_year_and_under_the_base_url(s3: Any) -> None:
    public = PublicS3Storage(
        bucket_name="podium-public", region_name="eu-west-1", base_url="/media/"
    )
    name = public.save("articles/figuur.png", ContentFile(b"png"))
    head = s3.head_object(Bucket="podium-public", Key=name)
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert public.url(name) == f"/media/{name}"


def test_private_s3_objects_get_only_presigned_links_of_five_minutes(s3: Any) -> None:
    private = PrivateS3Storage(bucket_name="podium-private", region_name="eu-west-1")
    name = private.save("bestof/x/boek.pdf", ContentFile(b"%PDF"))
    with pytest.raises(ValueError, match="no URL"):
        private.url(name)
    response = storage.private_download(
        private, name, filename="boek.pdf", content_type="application/pdf"
    )
    assert response.status_code == 302
    query = parse_qs(urlparse(response["Location"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    assert response["Cache-Control"] == "private, no-store"
    grants = s3.get_object_acl(Bucket="podium-private", Key=name)["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)


def test_files_go_through_the_object_store_when_configured(s3: Any, settings: Any) -> None:
    options = {"region_name": "eu-west-1"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "podium.core.s3storage.PublicS3Storage",
            "OPTIONS": {**options, "bucket_name": "podium-public"},
        },
        "private": {
            "BACKEND": "podium.core.s3storage.PrivateS3Storage",
            "OPTIONS": {**options, "bucket_name": "podium-private"},
        },
    }
    name = storage.private_storage().save("exports/3/x/data.zip", ContentFile(b"zip"))
    assert s3.get_object(Bucket="podium-private", Key=name)["Body"].read() == b"zip"
    assert storage.delete_folder(storage.private_storage(), "exports/3") == 1
    assert "Contents" not in s3.list_objects_v2(Bucket="podium-private")


# --- Health ----------------------------------------------------------------------------------


def test_health_includes_the_file_storages(anonymous_client: Client) -> None:
    body = anonymous_client.get("/gezondheid/").json()
    assert body["checks"]["storage:default"]["ok"] is True
    assert body["checks"]["storage:private"]["ok"] is True


def test_health_answers_503_when_the_object_store_is_unreachable(
    settings: Any, anonymous_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "podium.core.s3storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": "podium-private",
                "endpoint_url": "http://127.0.0.1:1",
                "region_name": "eu-west-1",
                "client_config": Config(connect_timeout=1, retries={"max_attempts": 1}),
            },
        },
    }
    response = anonymous_client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage:private"]["ok"] is False
