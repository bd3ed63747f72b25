"""Writes on accounts and profiles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify

from podium.topics.models import Topic

from .models import User

PROFILE_FIELDS = ("display_name", "job_title", "organisation", "bio", "website", "linkedin")


def _unique_slug(user: User) -> str:
    base = slugify(user.display_name)[:100] or f"auteur-{user.pk}"
    slug, n = base, 2
    while User.objects.filter(slug=slug).exclude(pk=user.pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def update_profile(
    *, user: User, by: User, data: dict[str, Any], expertise: Iterable[Topic] | None = None
) -> User:
    """Store the profile fields in `data` (already validated by ProfileForm). A photo value of
    False removes the photo, a file replaces it, None keeps it. Only the user may change their own
    profile here; editors go through the admin."""
    if by.pk != user.pk:
        raise PermissionError("Only the owner may change this profile.")
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    photo = data.get("photo")
    if photo is False:
        if user.photo:
            user.photo.delete(save=False)
        user.photo = ""  # type: ignore[assignment]
    elif photo is not None and not isinstance(photo, FieldFile):
        if user.photo:
            user.photo.delete(save=False)
        user.photo.save(f"{user.pk}.jpg", photo, save=False)
    if user.display_name and not user.slug:
        user.slug = _unique_slug(user)
    user.save()
    if expertise is not None:
        user.expertise.set(expertise)
    return user
