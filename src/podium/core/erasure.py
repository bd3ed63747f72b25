"""Taking a person's name or address out of free text that other rows keep (an admin log entry,
an editor's message, a JSON report), for the deletions the privacy statement promises."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext


def replaced(value: Any, needles: Sequence[str], replacement: str) -> Any:
    """`value` (text, or JSON data: dicts and lists of text) with every needle replaced,
    whatever its case."""
    if isinstance(value, str):
        for needle in needles:
            if needle:
                value = re.sub(re.escape(needle), replacement, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, dict):
        return {k: replaced(v, needles, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [replaced(v, needles, replacement) for v in value]
    return value


def replace_in(
    queryset: models.QuerySet[Any], fields: Sequence[str], needles: Sequence[str], replacement: str
) -> int:
    """Replace the needles in the text (or JSON) `fields` of the rows of `queryset` that hold one
    of them; the rows are found by the database, only those are loaded. Returns the rows changed."""
    needles = [n for n in needles if n]
    if not needles:
        return 0
    holding = Q()
    # JSON columns keep non-ASCII text escaped on some databases ("Ren\u00e9e").
    variants = {v for n in needles for v in (n, json.dumps(n)[1:-1])}
    for field in fields:
        for variant in variants:
            holding |= Q(**{f"{field}__icontains": variant})
    changed = 0
    for row in queryset.filter(holding):
        for field in fields:
            setattr(row, field, replaced(getattr(row, field), needles, replacement))
        row.save(update_fields=list(fields))
        changed += 1
    return changed


def deleted_label() -> str:
    """What stands where a deleted person's name or address was, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("(deleted member)")


def scrub_admin_log(needles: Sequence[str]) -> int:
    """The admin's log names each object it changed (a user or a subscriber by name or address,
    also inside the change message): those names are replaced."""
    from django.contrib.admin.models import LogEntry

    return replace_in(
        LogEntry.objects.all(), ["object_repr", "change_message"], needles, deleted_label()
    )


def forget_in_admin_log(model: type[models.Model], pks: Sequence[object]) -> int:
    """The admin's log entries about these rows of `model` no longer name them (their object
    text becomes `deleted_label()`); one UPDATE, for deletions in bulk."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in pks],
    ).update(object_repr=deleted_label())
