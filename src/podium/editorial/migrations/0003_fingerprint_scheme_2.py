"""Recompute the stored originality fingerprints for the second hashing scheme.

Shingles and band keys are now sums of products over whole arrays (numpy) instead of one
BLAKE2b call per shingle and band, so that a backfill of 100,000 articles takes minutes instead
of an hour. Signatures of the first scheme cannot be compared with the new ones: every stored
fingerprint is recomputed here from the text `analyse_revision` indexed (the article's latest
revision, or its own text when it has none). The pure functions of `assistant` are used with
the historical models.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.db import migrations

BATCH = 500


def recompute(apps: Any, schema_editor: Any) -> None:
    from podium.editorial.assistant import band_key_matrix, revision_text, signatures

    alias = schema_editor.connection.alias
    Fingerprint = apps.get_model("editorial", "Fingerprint")
    FingerprintBand = apps.get_model("editorial", "FingerprintBand")
    Article = apps.get_model("articles", "Article")
    Revision = apps.get_model("articles", "Revision")
    rows = list(Fingerprint.objects.using(alias).order_by("pk").values_list("pk", "article_id"))
    for batch in itertools.batched(rows, BATCH):
        article_ids = [article_id for _pk, article_id in batch]
        texts = {
            pk: (title, lead, body)
            for pk, title, lead, body in Article.objects.using(alias)
            .filter(pk__in=article_ids)
            .values_list("pk", "title", "lead", "body")
        }
        # Ascending by number: the latest revision of each article is written last.
        for article_id, title, lead, body in (
            Revision.objects.using(alias)
            .filter(article_id__in=article_ids)
            .order_by("article_id", "number")
            .values_list("article_id", "title", "lead", "body")
        ):
            texts[article_id] = (title, lead, body)
        sigs, counts = signatures([revision_text(*texts[article_id]) for article_id in article_ids])
        keys = band_key_matrix(sigs)
        fingerprint_ids = [pk for pk, _article in batch]
        FingerprintBand.objects.using(alias).filter(fingerprint_id__in=fingerprint_ids).delete()
        for i, pk in enumerate(fingerprint_ids):
            Fingerprint.objects.using(alias).filter(pk=pk).update(
                signature=sigs[i].tobytes(), shingle_count=int(counts[i])
            )
        FingerprintBand.objects.using(alias).bulk_create(
            FingerprintBand(fingerprint_id=pk, key=int(key))
            for pk, row in zip(fingerprint_ids, keys, strict=True)
            for key in row
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
        ("editorial", "0002_desk_trust_assistant"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
