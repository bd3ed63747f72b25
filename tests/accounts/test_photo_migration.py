"""The migration that moves photos from public media (named after the member's id) into the
private storage under random names (issue #19)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from podium.accounts.models import User

pytestmark = pytest.mark.django_db
migration = importlib.import_module("podium.accounts.migrations.0008_private_random_photos")


def test_old_public_photos_move_to_private_random_names(contributor: User) -> None:
    public, private = storages["default"], storages["private"]
    old = public.save(f"authors/2026/{contributor.pk}.jpg", ContentFile(b"\xff\xd8 oud"))
    User.objects.filter(pk=contributor.pk).update(photo=old)

    migration.move_photos(apps, None)

    new = str(User.objects.get(pk=contributor.pk).photo.name)
    assert new.startswith("photos/") and new != f"photos/{contributor.pk}.jpg"
    assert private.open(new).read() == b"\xff\xd8 oud"
    assert not public.exists(old)


def test_a_missing_old_photo_is_cleared(contributor: User) -> None:
    User.objects.filter(pk=contributor.pk).update(photo="authors/2026/weg.jpg")
    migration.move_photos(apps, None)
    assert not User.objects.get(pk=contributor.pk).photo
