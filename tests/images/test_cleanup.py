"""Orphan pictures and files leave the storage: a replaced header image, the pictures of a deleted
article and an abandoned upload go after a grace period, with their variants, through the
storage API; what a text or its history still shows stays; backups still carry pictures."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from podium.accounts.models import User
from podium.articles import receivers as article_receivers
from podium.articles import services
from podium.articles.models import Article
from podium.core import maintenance
from podium.images.cleanup import ORPHAN_GRACE, file_names, remove_orphans
from podium.images.models import Image
from podium.images.rendering import figure_markup
from tests.podium_helpers import BODY, ArticleBuilder

from .conftest import stored_files

pytestmark = pytest.mark.django_db

LATER = ORPHAN_GRACE + datetime.timedelta(hours=1)


def _exists(image: Image) -> bool:
    return Image.objects.filter(pk=image.pk).exists()


def _files_exist(names: list[str]) -> list[bool]:
    return [storages["default"].exists(name) for name in names]


def test_a_replaced_header_image_goes_after_the_grace_period_with_its_variants(
    make_article: ArticleBuilder, make_image: Callable[..., Image], contributor: User
) -> None:
    article = make_article.draft(contributor)
    old, new = make_image(), make_image()
    services.set_header_image(article=article, by=contributor, image=old)
    services.set_header_image(article=article, by=contributor, image=new)
    names = file_names(old)
    assert len(names) > 10 and all(_files_exist(names))

    first = remove_orphans()
    assert first.marked == 1 and first.deleted == 0
    assert remove_orphans(now=timezone.now() + ORPHAN_GRACE / 2).deleted == 0
    report = remove_orphans(now=timezone.now() + LATER)

    assert report.deleted == 1 and report.files_deleted == len(names)
    assert not _exists(old) and not any(_files_exist(names))
    assert _exists(new) and all(_files_exist(file_names(new)))
    assert not any(name.startswith(old.file.split("/")[2]) for name in stored_files())


def test_the_pictures_of_a_deleted_article_go(
    make_article: ArticleBuilder, make_image: Callable[..., Image], contributor: User
) -> None:
    header, figure = make_image(), make_image()
    article = make_article.draft(contributor, body=BODY + figure_markup(figure))
    services.set_header_image(article=article, by=contributor, image=header)
    assert remove_orphans().marked == 0

    article.delete()
    remove_orphans()
    remove_orphans(now=timezone.now() + LATER)

    assert not _exists(header) and not _exists(figure)


def test_an_abandoned_upload_goes_and_one_used_in_time_stays(
    make_article: ArticleBuilder, make_image: Callable[..., Image], contributor: User
) -> None:
    abandoned, used_later = make_image(), make_image()
    assert remove_orphans().marked == 2

    make_article.draft(contributor, body=BODY + figure_markup(used_later))
    report = remove_orphans(now=timezone.now() + LATER)

    assert report.unmarked == 1 and report.deleted == 1
    assert not _exists(abandoned)
    used_later.refresh_from_db()
    assert used_later.orphaned_at is None and all(_files_exist(file_names(used_later)))


def test_a_picture_the_articles_history_shows_stays(
    make_article: ArticleBuilder, make_image: Callable[..., Image], contributor: User, editor: User
) -> None:
    figure = make_image()
    article = make_article(contributor, Article.State.SUBMITTED, body=BODY + figure_markup(figure))
    services.edit_article(
        article=article, by=editor, text=make_article.text(), expected_version=article.version
    )
    article.refresh_from_db()
    assert not article.figure_images.exists()  # the text no longer shows it; revision 1 does

    remove_orphans()
    remove_orphans(now=timezone.now() + LATER)

    assert _exists(figure)


def _stray(name: str, *, age: datetime.timedelta) -> str:
    stored = storages["default"].save(name, ContentFile(b"\xff\xd8 leftover"))
    when = (timezone.now() - age).timestamp()
    os.utime(Path(settings.MEDIA_ROOT) / stored, (when, when))
    return stored


def test_stray_files_no_picture_owns_go_once_they_are_old(make_image: Callable[..., Image]) -> None:
    image = make_image()
    old = _stray("images/2026/0000deadbeef0000/original.jpg", age=LATER)
    young = _stray("images/2026/0000feedface0000/original.jpg", age=datetime.timedelta(hours=1))
    stale_variant = _stray(image.file.rsplit("/", 1)[0] + "/oldkey/wide-480.jpg", age=LATER)

    report = remove_orphans()

    assert report.stray_files_deleted == 2
    assert _files_exist([old, young, stale_variant]) == [False, True, False]
    assert all(_files_exist(file_names(image)))


def test_share_cards_of_deleted_articles_go(
    make_article: ArticleBuilder, contributor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        kept = make_article(contributor, Article.State.PUBLISHED)
        gone = make_article(contributor, Article.State.PUBLISHED)
    kept.refresh_from_db()
    gone.refresh_from_db()
    card = gone.share_card
    path = Path(settings.MEDIA_ROOT) / card
    when = (timezone.now() - LATER).timestamp()
    for name in (card, kept.share_card):
        os.utime(Path(settings.MEDIA_ROOT) / name, (when, when))
    gone.delete()

    assert article_receivers.on_daily() == {"share_cards_removed": 1}
    assert not path.exists() and storages["default"].exists(kept.share_card)


def test_the_daily_upkeep_and_the_command_remove_orphans(
    make_image: Callable[..., Image], capsys: Any
) -> None:
    image = make_image()

    summary = maintenance.run_daily()
    call_command("remove-orphan-pictures", "--grace-days", "0")

    assert summary["podium.images.cleanup.on_daily"]["marked"] == 1
    assert not _exists(image)
    assert "1 deleted" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_backup_carries_pictures_and_their_variants(
    make_article: ArticleBuilder,
    make_image: Callable[..., Image],
    contributor: User,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.PODIUM_PRIVATE_ROOT = tmp_path / "private"
    image = make_image()
    article = make_article.draft(contributor, body=BODY + figure_markup(image))
    names = file_names(image)
    contents = {name: storages["default"].open(name).read() for name in names}
    archive = tmp_path / "podium-backup.tar.gz"
    call_command("backup", str(archive))

    article.delete()
    Image.objects.all().delete()
    for name in names:
        storages["default"].delete(name)
    call_command("restore", str(archive))

    restored = Image.objects.get(pk=image.pk)
    assert file_names(restored) == names
    assert {name: storages["default"].open(name).read() for name in names} == contents
    assert remove_orphans().marked == 0  # its article came back with it
