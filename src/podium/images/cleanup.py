"""Orphans: pictures nothing shows any more, and files no picture owns, removed from the storage.

A picture is *in use* while any row points at it (an article's header image, a figure in an
article's text: every foreign key and many-to-many relation to `Image`, found through Django's
model meta API, so this app names none of the apps above it) or while a registered *keeper*
names it (articles: the figures of the kept revisions, so an article's history never shows a
hole). Everything else is an orphan: the picture of a deleted article, a replaced header image,
an upload that never made it into a text (a closed editor, a Word import that was cancelled).

The daily upkeep (`remove_orphans`, the DAILY hook; `podium remove-orphan-pictures` by hand)
works in two passes a grace period apart, so nobody loses a picture they are about to use:

1. an orphan is marked (`orphaned_at`); a marked picture that is in use again is unmarked;
2. a picture marked longer than `ORPHAN_GRACE` ago, and still not in use when its row is locked,
   is deleted, and after the commit its original and variants are deleted through the storage
   API (a local folder or an object store alike).

Then stray files under ``images/`` that no picture owns (the leftovers of a crash between two
writes) are deleted once they are older than the grace period. `sweep_folder` does the same for
another app's folder of generated files (articles: share cards of deleted articles).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.apps import apps
from django.core.files.storage import Storage, storages
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from podium.core.storage import walk

from .models import Image, variant_names

logger = logging.getLogger(__name__)

ORPHAN_GRACE = datetime.timedelta(days=2)
FOLDER = "images"

Keeper = Callable[[], Iterable[int]]
_keepers: list[Keeper] = []


def register_keeper(keeper: Keeper) -> None:
    """`keeper()` returns ids of pictures that must stay although no relation points at them
    (pictures named in kept texts). Registered by higher apps in their `AppConfig.ready()`."""
    if keeper not in _keepers:
        _keepers.append(keeper)


@dataclass
class Report:
    marked: int = 0
    unmarked: int = 0
    deleted: int = 0
    files_deleted: int = 0
    stray_files_deleted: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "errors": self.errors[:10]}


def _relations() -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key to Image, the tables behind many-to-many
    relations included."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for model_field in model._meta.concrete_fields:
            if model_field.many_to_one and model_field.related_model is Image:
                found.append((model, model_field.name))
    return found


def in_use() -> Q:
    """Pictures some row points at."""
    condition = Q(pk__in=[])
    for model, name in _relations():
        condition |= Q(Exists(model._default_manager.filter(**{name: OuterRef("pk")})))
    return condition


def _kept_ids() -> set[int]:
    kept: set[int] = set()
    for keeper in _keepers:
        kept.update(keeper())
    return kept


def _is_used(image_id: int, kept: set[int]) -> bool:
    return image_id in kept or Image.objects.filter(in_use(), pk=image_id).exists()


def file_names(image: Image) -> list[str]:
    """The original and every variant of `image`, as storage names."""
    return [image.file, *variant_names(image.variants)]


def _delete_files(storage: Storage, names: list[str], report: Report) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception as exc:  # one unreachable file must not stop the upkeep
            logger.warning("Could not delete %s: %s", name, exc)
            report.errors.append(f"{name}: {exc}")
        else:
            report.files_deleted += 1


def remove_orphans(
    *, now: datetime.datetime | None = None, grace: datetime.timedelta = ORPHAN_GRACE
) -> Report:
    """Mark the pictures nothing uses, delete those marked for longer than `grace` with their
    files, and delete stray files under images/ older than `grace`. See the module docstring."""
    now = now or timezone.now()
    cutoff = now - grace
    report = Report()
    kept = _kept_ids()
    used = in_use()
    report.unmarked = (
        Image.objects.filter(orphaned_at__isnull=False)
        .filter(used | Q(pk__in=kept))
        .update(orphaned_at=None)
    )
    unused = Image.objects.exclude(used).exclude(pk__in=kept)
    report.marked = unused.filter(orphaned_at__isnull=True).update(orphaned_at=now)
    storage = storages["default"]
    for image_id in unused.filter(orphaned_at__lte=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            image = Image.objects.select_for_update().filter(pk=image_id).first()
            if image is None or image.orphaned_at is None or _is_used(image.pk, kept):
                continue
            names = file_names(image)
            image.delete()
            report.deleted += 1
        _delete_files(storage, names, report)
    report.stray_files_deleted = sweep_folder(
        storage, FOLDER, known=_known_files(), before=cutoff, report=report
    )
    return report


def delete_unused_now(image_ids: Iterable[int]) -> int:
    """Delete at once, without the grace period, those of `image_ids` that nothing uses (its owner
    deleted what showed them: a draft). Call inside the transaction that removed their use; their
    files go once it commits. Returns how many pictures were deleted."""
    kept = _kept_ids()
    names: list[str] = []
    deleted = 0
    for image in Image.objects.select_for_update().filter(pk__in=list(image_ids)):
        if _is_used(image.pk, kept):
            continue
        names += file_names(image)
        image.delete()
        deleted += 1
    storage = storages["default"]
    transaction.on_commit(lambda: _delete_files(storage, names, Report()))
    return deleted


def on_daily() -> dict[str, object]:
    """The daily upkeep's part: orphans and stray files."""
    return remove_orphans().as_dict()


def _known_files() -> set[str]:
    known: set[str] = set()
    for file, data in Image.objects.values_list("file", "variants").iterator():
        known.add(file)
        known.update(variant_names(data))
    return known


def sweep_folder(
    storage: Storage,
    folder: str,
    *,
    known: set[str],
    before: datetime.datetime,
    report: Report | None = None,
) -> int:
    """Delete the files under `folder` that are not in `known` and were last changed before
    `before` (so a file being written now, whose row is not committed yet, stays). Returns the
    number deleted."""
    deleted = 0
    for name in list(walk(storage, folder)):
        if name in known:
            continue
        try:
            if storage.get_modified_time(name) >= before:
                continue
            storage.delete(name)
        except Exception as exc:
            logger.warning("Could not sweep %s: %s", name, exc)
            if report is not None:
                report.errors.append(f"{name}: {exc}")
            continue
        deleted += 1
    return deleted
