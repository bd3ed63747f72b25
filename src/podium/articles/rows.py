"""Model instances from the rows of a statement written in SQL (the search results page, the
list pages): the columns of a model's fields, and their values converted by the fields' own
converters, as the ORM would, for `Model.from_db`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Field, Model

Converter = Callable[[Any, Any, Any], Any]


def fields(model: type[Model], names: frozenset[str] | None = None) -> list[Field[Any, Any]]:
    """`model`'s concrete fields (those in `names`), in the order `Model.from_db` expects."""
    return [f for f in model._meta.concrete_fields if names is None or f.name in names]


@dataclass(frozen=True)
class Converters:
    """How the columns of `fields` are read: their attribute names for `Model.from_db`, and per
    column the converters the ORM applies to its values on the current connection."""

    names: list[str]
    columns: list[tuple[Any, list[Converter]]]


def converters(model_fields: Sequence[Field[Any, Any]]) -> Converters:
    columns = []
    for f in model_fields:
        col = f.get_col(f.model._meta.db_table)
        columns.append(
            (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        )
    return Converters([f.attname for f in model_fields], columns)


def values(row: Sequence[Any], read: Converters) -> list[Any]:
    """`row`'s values (those of `read`'s columns, in their order) as the fields hold them."""
    out = list(row)
    for index, (col, convert) in enumerate(read.columns):
        for c in convert:
            out[index] = c(out[index], col, connection)
    return out
