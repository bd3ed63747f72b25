"""Where finished compilations are kept: outside MEDIA_ROOT, so no public URL reaches them; editors
download them through a view that checks the role."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """PODIUM_PRIVATE_ROOT, read on every use (deployments and tests set their own)."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PODIUM_PRIVATE_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Compilation files have no public URL; use the download view.")


def private_storage() -> FileSystemStorage:
    # A callable, so no path is frozen into a migration.
    return PrivateStorage()
