"""Looking for a person in every table: the check that a deletion left nothing behind."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def tables_mentioning(needles: list[str]) -> list[str]:
    """Every text column of every table, searched for each needle."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        text_fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(
                f, (models.CharField, models.TextField, models.EmailField, models.JSONField)
            )
        ]
        for field in text_fields:
            for needle in needles:
                if not needle:
                    continue
                lookup = f"{field.name}__icontains"
                try:
                    hit = model._default_manager.filter(**{lookup: needle}).exists()
                except Exception:  # a JSON column on a backend without icontains
                    hit = any(
                        needle.lower() in str(v).lower()
                        for v in model._default_manager.values_list(field.name, flat=True)
                    )
                if hit:
                    found.append(f"{model._meta.label}.{field.name} ~ {needle!r}")
    return found
