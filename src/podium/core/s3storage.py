"""The two storages of podium.core.storage in an S3-compatible object store (AWS S3, MinIO, an EU
provider), through django-storages and boto3. Imported only when PODIUM_STORAGE=s3."""

from __future__ import annotations

from typing import Any

from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from .storage import PRESIGNED_SECONDS, PUBLIC_CACHE_CONTROL, ContentHashedNames


class PublicS3Storage(ContentHashedNames, S3Storage):
    """Public media in their bucket: plain URLs (no signature), under PODIUM_MEDIA_BASE_URL when
    a CDN or nginx stands in front of the bucket, and a year's caching on every object."""

    def __init__(self, *, base_url: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("querystring_auth", False)
        kwargs.setdefault("file_overwrite", False)
        kwargs.setdefault("object_parameters", {"CacheControl": PUBLIC_CACHE_CONTROL})
        super().__init__(**kwargs)
        self.public_base_url = base_url

    def url(  # type: ignore[override]
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        if self.public_base_url:
            return self.public_base_url.rstrip("/") + "/" + filepath_to_uri(name)
        return str(super().url(name, parameters, expire, http_method))


class PrivateS3Storage(S3Storage):
    """Private files in their own bucket: a private ACL, no plain URL, and presigned URLs that
    live at most PRESIGNED_SECONDS, handed out only by views that checked the permission."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["querystring_auth"] = True
        kwargs["querystring_expire"] = PRESIGNED_SECONDS
        kwargs.setdefault("file_overwrite", False)
        kwargs["default_acl"] = "private"
        # Signature version 4: the link carries its own lifetime (X-Amz-Expires), and every
        # provider of note accepts it.
        kwargs["signature_version"] = kwargs.get("signature_version") or "s3v4"
        super().__init__(**kwargs)

    def url(  # type: ignore[override]
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        raise ValueError("Private files have no URL; a view checks the permission first.")

    def presigned_url(self, name: str, *, disposition: str, content_type: str) -> str:
        """A GET link for `name` that expires after PRESIGNED_SECONDS, answering with the given
        Content-Disposition and Content-Type."""
        return str(
            super().url(
                name,
                parameters={
                    "ResponseContentDisposition": disposition,
                    "ResponseContentType": content_type,
                },
                expire=PRESIGNED_SECONDS,
            )
        )
