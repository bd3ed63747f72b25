"""Where files live: two named storages in Django's ``STORAGES``, one per kind of file.

==============  ==========================================  ====================================
alias           holds                                       reached by
==============  ==========================================  ====================================
``"default"``   public media: files anyone may see (article  their URL, with a content-hashed name
(``PUBLIC``)    images); content-hashed names, cached for    and a year's caching
                a year
``"private"``   private files: compilations, data exports,  a view that checks the permission,
(``PRIVATE``)   profile photos (served by a checking view,   then streams the file or redirects
                issue #19)                                   to a presigned URL (≤ 5 minutes)
==============  ==========================================  ====================================

Embedded (``PODIUM_STORAGE=local``, the default): folders on the local disk, ``MEDIA_ROOT`` and
``PODIUM_PRIVATE_ROOT``; no server. Production (``PODIUM_STORAGE=s3``): an S3-compatible object
store through django-storages and boto3, one bucket per kind (``podium.core.s3storage``,
settings.py, README). Every file is
written, read and deleted through these storages, never through a path, so every web and worker
machine sees the same files.

Keep the alias names: other apps (article images) store through ``storages[PUBLIC]``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import posixpath
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

PUBLIC = "default"
PRIVATE = "private"
PRESIGNED_SECONDS = 300  # a private file's download link lives at most five minutes
PUBLIC_CACHE_CONTROL = "public, max-age=31536000, immutable"


def public_storage() -> Storage:
    return storages[PUBLIC]


def public_url(name: str) -> str:
    """The URL of the public file `name`, remembered per name in this process: a list page shows
    about 120 of them (each card's picture in three formats and several widths), and asking the
    storage each time cost ~5 µs apiece on the local disk (an urljoin) and more on S3 (boto3
    builds the address). Safe to remember: a public file's name never changes content (it is
    content-hashed), so a changed picture is a new name and a new URL."""
    return _public_url(storages[PUBLIC], name)


@functools.lru_cache(maxsize=2048)  # ~0.8 MB at most: the pictures of a few hundred cards
def _public_url(storage: Storage, name: str) -> str:
    return storage.url(name)


@receiver(setting_changed)
def _forget_public_urls(**kwargs: Any) -> None:
    # A test that changes MEDIA_URL, STORAGES or the S3 settings gets URLs under the new ones.
    _public_url.cache_clear()


def private_storage() -> Storage:
    """A callable for FileField(storage=…), so no backend is frozen into a migration."""
    return storages[PRIVATE]


class ContentHashedNames:
    """``photo.jpg`` is stored as ``photo.3f2a9c0d1e4b5a67.jpg``: the name changes with the
    content, so a URL can be cached for a year and a new version is a new URL."""

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        if not isinstance(content, File):
            content = File(content, name)
        if name is None:
            name = content.name or "file"
        digest = hashlib.sha256()
        content.seek(0)
        for chunk in content.chunks():
            digest.update(chunk)
        content.seek(0)
        stem, extension = posixpath.splitext(name)
        tag = f".{digest.hexdigest()[:16]}"
        # A restore (podium restore) writes a file back under the name it already had.
        hashed = name if stem.endswith(tag) else f"{stem}{tag}{extension}"
        return super().save(hashed, content, max_length)  # type: ignore[misc]


class PublicFileSystemStorage(ContentHashedNames, FileSystemStorage):
    """Public media on the local disk (MEDIA_ROOT, MEDIA_URL); Podium serves them itself in the
    embedded set-up (podium.security.views.serve_media), nginx in front of it otherwise."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on the local disk: PODIUM_PRIVATE_ROOT, read on every use (tests and
    deployments set their own), and never a URL."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(base_url=None, **kwargs)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PODIUM_PRIVATE_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return str(Path(self.base_location).absolute())

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL; a view checks the permission first.")


def private_download(
    storage: Storage, name: str, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """Hand out a private file after the caller checked the permission: a redirect to a
    presigned URL (≤ 5 minutes) where the storage makes them, else the file streamed. Either way
    the answer is never cached by anyone else."""
    response: HttpResponse
    presign = getattr(storage, "presigned_url", None)
    if presign is not None:
        disposition = content_disposition_header(not inline, filename)
        response = HttpResponseRedirect(
            presign(name, disposition=disposition, content_type=content_type)
        )
    else:
        response = FileResponse(  # type: ignore[assignment]
            storage.open(name, "rb"),
            as_attachment=not inline,
            filename=filename,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    return response


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in `storage` under `folder`, through the storage API (folders on disk,
    key prefixes in a bucket)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        yield posixpath.join(folder, file) if folder else file
    for directory in directories:
        yield from walk(storage, posixpath.join(folder, directory) if folder else directory)


def delete_folder(storage: Storage, folder: str) -> int:
    """Delete every file under `folder`; the number deleted."""
    names = list(walk(storage, folder))
    for name in names:
        storage.delete(name)
    return len(names)


def copies_folder() -> Path:
    """Where local_copy keeps copies of files from an object store."""
    return Path(tempfile.gettempdir()) / "podium-files"


def local_folders(storage: Storage, folder: str) -> list[Path]:
    """The folders local_copy may return paths in for files under `folder` of `storage`: its
    own folder on this disk, if it has one, and the copies folder. For allow-lists (the PDF
    renderer reads nothing else)."""
    found = [copies_folder()]
    with contextlib.suppress(NotImplementedError):
        found.append(Path(storage.path(folder)))
    return found


def local_copy(storage: Storage, name: str) -> Path:
    """A path on this machine with the file's content, for libraries that read files (the PDF
    renderer): the file itself on a local disk, else a copy in this machine's temporary folder
    (names of stored files are never reused for other content, so a copy stays valid)."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        pass
    folder = copies_folder()
    target = folder / hashlib.sha256(name.encode()).hexdigest()[:32]
    target = target.with_suffix(posixpath.splitext(name)[1])
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with storage.open(name, "rb") as source, partial.open("wb") as out:
            for chunk in source.chunks():
                out.write(chunk)
        partial.replace(target)
    return target


def check(alias: str) -> None:
    """For the health check: the storage answers (a HEAD of a name that need not exist)."""
    storages[alias].exists(".podium-health-check")
