"""Where finished compilations are kept: outside MEDIA_ROOT, so no public URL reaches them; editors
download them through a view that checks the role."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    # A callable, so the path is read at run time (tests and deployments set their own) and is
    # not frozen into a migration.
    return FileSystemStorage(location=settings.PODIUM_PRIVATE_ROOT, base_url=None)
