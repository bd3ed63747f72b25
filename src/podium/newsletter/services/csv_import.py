"""Subscribers from another system: a CSV import that keeps only rows with a recorded consent,
and the export in the same columns."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.accounts.roles import editors_only

from .. import addresses, suppression
from ..models import Subscriber

IMPORT_COLUMNS = ["email", "status", "consent_at", "consent_source", "consent_text", "confirmed_at"]


@dataclass
class ImportReport:
    imported: int = 0
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (row, address, reason)


def _parse_time(raw: str) -> datetime.datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            value = datetime.datetime.combine(datetime.date.fromisoformat(raw), datetime.time())
    except ValueError:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@editors_only()
@transaction.atomic
def import_subscribers(*, data: bytes, by: User) -> ImportReport:
    """Add confirmed subscribers from a CSV export (columns as `IMPORT_COLUMNS`; `email`,
    `consent_at` and `consent_text` required). Only rows with a recorded consent are kept; every
    other row is reported with the reason. Raises ValidationError for a file that is no CSV."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."), code="encoding"
        ) from None
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "email" not in fields:
        raise ValidationError(
            _("The file has no “email” column. The first line must name the columns: %(columns)s.")
            % {"columns": ", ".join(IMPORT_COLUMNS)},
            code="columns",
        )
    reader.fieldnames = fields
    report = ImportReport()
    seen: dict[str, int] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in raw.items() if key}
        rows.append((number, row))
    given = [addresses.normalise(r.get("email", "")) for _, r in rows]
    existing = set(Subscriber.objects.filter(email__in=given).values_list("email", flat=True))
    # Addresses whose owners had their data deleted: an old list must not bring them back.
    suppressed = suppression.suppressed_among(e for e in given if e)
    new: list[Subscriber] = []
    for number, row in rows:
        raw_email = row.get("email", "")
        try:
            email = addresses.check(raw_email)
        except ValidationError as exc:
            report.skipped.append((number, raw_email, exc.messages[0]))
            continue
        if email in seen:
            report.skipped.append(
                (number, raw_email, _("Same address as row %(row)s.") % {"row": seen[email]})
            )
            continue
        seen[email] = number
        if email in existing:
            report.skipped.append((number, raw_email, _("Already in the subscriber list.")))
            continue
        if email in suppressed:
            report.skipped.append(
                (
                    number,
                    raw_email,
                    _(
                        "This address asked us to delete its data or to send nothing more; it is not added again."
                    ),
                )
            )
            continue
        status = row.get("status", "").lower() or Subscriber.Status.CONFIRMED
        if status != Subscriber.Status.CONFIRMED:
            report.skipped.append(
                (
                    number,
                    raw_email,
                    _("Not a confirmed subscriber (status “%(status)s”).") % {"status": status},
                )
            )
            continue
        consent_at = _parse_time(row.get("consent_at", ""))
        consent_text = row.get("consent_text", "")
        if consent_at is None or not consent_text:
            report.skipped.append(
                (
                    number,
                    raw_email,
                    _(
                        "No recorded consent: the consent time and the text agreed to are both needed."
                    ),
                )
            )
            continue
        source = row.get("consent_source", "")
        new.append(
            Subscriber(
                email=email,
                status=Subscriber.Status.CONFIRMED,
                consent_at=consent_at,
                consent_source=source
                if source in Subscriber.Source.values
                else Subscriber.Source.IMPORT,
                consent_text=consent_text,
                confirmed_at=_parse_time(row.get("confirmed_at", "")) or consent_at,
            )
        )
    Subscriber.objects.bulk_create(new, batch_size=1000)
    report.imported = len(new)
    return report


def export_rows(queryset: Iterable[Subscriber]) -> Iterable[list[str]]:
    yield [*IMPORT_COLUMNS, "left_at", "bounce_score"]
    for s in queryset:
        yield [
            s.email,
            s.status,
            s.consent_at.isoformat() if s.consent_at else "",
            s.consent_source,
            s.consent_text,
            s.confirmed_at.isoformat() if s.confirmed_at else "",
            s.left_at.isoformat() if s.left_at else "",
            str(s.bounce_score),
        ]
