"""Writes on pictures: upload (clean, store, record), the texts and the focal point, and the
variants. Files go through Django's storage API (`storages["default"]`, the public media), never
through paths on disk, so the same code runs against a local folder and an object store."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.core import hooks
from podium.core.text import clean_text

from . import processing, variants
from .models import Image, variant_names

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageDetails:
    """What the contributor tells about a picture."""

    alt_text: str = ""
    is_decorative: bool = False
    caption: str = ""
    credit: str = ""
    licence: str = Image.Licence.OWN
    licence_detail: str = ""


def _storage() -> Storage:
    return storages["default"]


def can_edit_image(user: User, image: Image) -> bool:
    """The uploader may change their picture's texts and focal point; editors may change any."""
    return user.is_editor or (image.uploaded_by_id is not None and image.uploaded_by_id == user.pk)


def _apply_details(image: Image, details: ImageDetails) -> None:
    image.alt_text = clean_text(details.alt_text)[: Image._meta.get_field("alt_text").max_length]
    image.is_decorative = details.is_decorative
    image.caption = clean_text(details.caption)[:300]
    image.credit = clean_text(details.credit)[:200]
    if details.licence not in Image.Licence.values:
        raise ValidationError(_("Choose one of the licences."), code="licence")
    image.licence = details.licence
    image.licence_detail = clean_text(details.licence_detail)[:200]


def _announce(image_id: int) -> None:
    hooks.announce_on_commit(hooks.IMAGE_CHANGED, image_id=image_id)


def _enqueue_variants(image_id: int) -> None:
    from .tasks import make_image_variants

    transaction.on_commit(lambda: make_image_variants.enqueue(image_id))


def store_picture(
    *,
    by: User,
    picture: processing.CleanPicture,
    details: ImageDetails,
    needs_alt_review: bool = False,
) -> Image:
    """Store an already cleaned picture and record it. The file is written first and removed again
    when the row cannot be written, so a failed upload leaves nothing behind."""
    name = f"images/{timezone.now():%Y}/{secrets.token_hex(8)}/original{picture.extension}"
    stored_name = _storage().save(name, ContentFile(picture.content))
    try:
        with transaction.atomic():
            image = Image(
                file=stored_name,
                width=picture.width,
                height=picture.height,
                file_size=len(picture.content),
                uploaded_by=by,
                needs_alt_review=needs_alt_review,
            )
            _apply_details(image, details)
            image.save()
    except Exception:
        _storage().delete(stored_name)
        raise
    _enqueue_variants(image.pk)
    return image


def upload_image(*, by: User, upload: UploadedFile, details: ImageDetails) -> Image:
    """Check, clean and store an uploaded picture (see `processing`). Raises ValidationError with a
    specific message for a file that is refused; nothing is stored then."""
    picture = processing.clean_picture(upload)
    return store_picture(by=by, picture=picture, details=details)


@transaction.atomic
def update_image(*, image: Image, by: User, details: ImageDetails) -> Image:
    """Change a picture's alt text, caption, credit and licence. Raises PermissionDenied for
    anyone but its uploader and the editors."""
    locked = Image.objects.select_for_update().get(pk=image.pk)
    if not can_edit_image(by, locked):
        raise PermissionDenied(
            _("Only the person who uploaded this picture or an editor can change it.")
        )
    _apply_details(locked, details)
    if locked.has_text_alternative:
        locked.needs_alt_review = False
    locked.updated_at = timezone.now()
    locked.save()
    _announce(locked.pk)
    return locked


@transaction.atomic
def set_focal_point(*, image: Image, by: User, x: float, y: float) -> Image:
    """Move the focal point (fractions of width and height, 0–1) and make new crops around it."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValidationError(_("The focal point must lie inside the picture."), code="focal_point")
    locked = Image.objects.select_for_update().get(pk=image.pk)
    if not can_edit_image(by, locked):
        raise PermissionDenied(
            _("Only the person who uploaded this picture or an editor can change it.")
        )
    locked.focal_x, locked.focal_y = round(x, 4), round(y, 4)
    locked.updated_at = timezone.now()
    locked.save(update_fields=["focal_x", "focal_y", "updated_at"])
    _enqueue_variants(locked.pk)
    _announce(locked.pk)
    return locked


def generate_variants(image_id: int) -> bool:
    """Make and store every variant of the picture for its current focal point, then record them.
    Returns False when there was nothing to do (gone, or already made). Two runs at once are
    harmless: the row is only updated while the focal point is still the one the files were made
    for, and the files of a set that lost are removed again."""
    try:
        image = Image.objects.get(pk=image_id)
    except Image.DoesNotExist:
        return False
    key = variants.variant_key(image.file, image.focal_x, image.focal_y)
    if image.variants.get("key") == key:
        return False
    storage = _storage()
    with storage.open(image.file, "rb") as original:
        data = original.read()
    folder = image.file.rsplit("/", 1)[0] + f"/{key}"
    sets: dict[str, dict[str, list[list[object]]]] = {}
    written: list[str] = []
    try:
        for variant in variants.make_variants(
            data,
            focal_x=image.focal_x,
            focal_y=image.focal_y,
            lossless=image.file.endswith(".png"),
        ):
            name = variant.name(folder)
            if storage.exists(name):
                storage.delete(name)
            written.append(storage.save(name, ContentFile(variant.content)))
            sets.setdefault(variant.kind, {}).setdefault(variant.format, []).append(
                [variant.width, variant.height, written[-1]]
            )
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    for by_format in sets.values():
        for rows in by_format.values():
            rows.sort(key=lambda row: row[0])  # type: ignore[arg-type,return-value]
    new = {"key": key, "sets": sets}
    with transaction.atomic():
        updated = Image.objects.filter(
            pk=image.pk, focal_x=image.focal_x, focal_y=image.focal_y, file=image.file
        ).update(variants=new)
        if updated:
            _announce(image.pk)
    if not updated:
        for name in written:
            storage.delete(name)
        return False
    for name in variant_names(image.variants):
        if name not in written:
            storage.delete(name)
    return True
