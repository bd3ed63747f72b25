"""Finished compilations are private files (podium.core.storage): no public URL reaches them;
editors download them through a view that checks the role."""

from __future__ import annotations

from django.core.files.storage import Storage

from podium.core import storage


def private_storage() -> Storage:
    # A callable, so no backend is frozen into the migration that names it.
    return storage.private_storage()
