"""Deleting a draft that was never submitted takes the pictures only it used with it: rows, the
original files and every variant. A picture another article shows stays."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article
from podium.images.models import Image
from podium.images.rendering import figure_markup
from tests.podium_helpers import ArticleBuilder

from .conftest import stored_files

pytestmark = pytest.mark.django_db


def test_deleting_a_draft_removes_the_pictures_only_it_used(
    make_article: ArticleBuilder,
    contributor: User,
    make_image: Callable[..., Image],
    django_capture_on_commit_callbacks: Any,
) -> None:
    header, figure, shared = make_image(), make_image(), make_image()
    draft = make_article(contributor, body=f"<p>Tekst.</p>{figure_markup(figure)}")
    services.set_header_image(article=draft, by=contributor, image=header)
    other = make_article(contributor, body=f"<p>Ander.</p>{figure_markup(shared)}")
    draft = services.save_draft(
        by=contributor,
        article=draft,
        text=make_article.text(body=f"<p>Tekst.</p>{figure_markup(figure)}{figure_markup(shared)}"),
    )
    assert set(draft.figure_images.values_list("pk", flat=True)) == {figure.pk, shared.pk}
    folder = shared.file.removeprefix("images/").rsplit("/", 1)[0]
    kept_files = [name for name in stored_files() if name.startswith(folder)]
    assert len(kept_files) > 1  # the original and its variants

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(article=draft, by=contributor)

    assert not Article.objects.filter(pk=draft.pk).exists()
    assert set(Image.objects.values_list("pk", flat=True)) == {shared.pk}
    assert stored_files() == kept_files
    assert other.figure_images.get() == shared
