"""Helpers for the few hot lookups Podium writes as SQL once instead of having the ORM compile
them on every request (the session row, the role check): names come from the models' _meta, so
a renamed table or column cannot drift from the SQL, and values are always parameters."""

from __future__ import annotations

from typing import Any, cast

from django.db import models


def column(model: type[models.Model], name: str) -> str:
    """The database column of `model`'s field `name` (unquoted)."""
    field = cast(models.Field[Any, Any], model._meta.get_field(name))
    return field.get_attname_column()[1] or name
