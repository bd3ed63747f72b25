"""podium backup / podium restore: a round trip gives back every row of every table, and the media."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from podium.accounts.models import User
from podium.articles.models import Article

from ..podium_helpers import ArticleBuilder


def _every_table() -> dict[str, list[tuple[Any, ...]]]:
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        snapshot[model._meta.db_table] = sorted(
            (tuple(str(v) for v in row) for row in model._default_manager.values_list(*fields)),
            key=str,
        )
    return snapshot


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(
    contributor: User, make_article: ArticleBuilder, tmp_path: Path, settings: Any
) -> None:
    settings.PODIUM_PRIVATE_ROOT = tmp_path / "private"
    contributor.photo.save("anna.jpg", ContentFile(b"\xff\xd8\xff\xe0 portrait"), save=True)
    make_article(contributor, Article.State.PUBLISHED)
    make_article.draft(contributor)
    public_name = storages["default"].save("articles/figuur.png", ContentFile(b"png bytes"))
    private_name = storages["private"].save("bestof/x/boek.pdf", ContentFile(b"%PDF-1.7 boek"))
    before = _every_table()
    assert before["articles_article"]
    photo_name = str(contributor.photo.name)

    archive = tmp_path / "podium-backup.tar.gz"
    call_command("backup", str(archive))
    assert archive.is_file()

    # Disaster: rows and every file are gone.
    Article.objects.all().delete()
    User.objects.exclude(pk=contributor.pk).update(display_name="overschreven")
    for alias, name in (
        ("private", photo_name),
        ("default", public_name),
        ("private", private_name),
    ):
        storages[alias].delete(name)

    call_command("restore", str(archive))
    assert _every_table() == before
    assert storages["private"].open(photo_name).read() == b"\xff\xd8\xff\xe0 portrait"
    assert storages["default"].open(public_name).read() == b"png bytes"
    assert storages["private"].open(private_name).read() == b"%PDF-1.7 boek"


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "nope.tar.gz"))
