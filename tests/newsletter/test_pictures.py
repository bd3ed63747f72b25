"""The newsletter shows each article's header image as e-mail clients need it: one JPEG at an
absolute URL with width, height and alt text, frozen with the rest of the item when sending
starts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from podium.accounts.models import User
from podium.articles import services as article_services
from podium.articles.models import Article
from podium.images import services as image_services
from podium.images.models import Image
from podium.newsletter import services
from podium.newsletter.models import Edition
from podium.newsletter.rendering import EMAIL_PICTURE_WIDTH, render_edition
from tests.images.pictures import photo, upload
from tests.podium_helpers import tags_in
from tests.web.test_xss import CORPUS, IDS

pytestmark = pytest.mark.django_db

ALT = "Een volle vergaderzaal met een spreker op het podium"


def _header_image(article: Article, editor: User, capture: Any, *, variants: bool = True) -> Image:
    with capture(execute=variants):
        image = image_services.upload_image(
            by=editor,
            upload=upload(photo(1600, 1000)),
            details=image_services.ImageDetails(alt_text=ALT),
        )
        article_services.set_header_image(article=article, by=editor, image=image)
    image.refresh_from_db()
    return image


def _item_images(html: str) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs, _ in tags_in(html) if tag == "img"]


def test_an_item_shows_its_header_image_email_safe(
    ready_edition: Edition,
    picked: list[Article],
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    image = _header_image(picked[0], editor, django_capture_on_commit_callbacks)

    html, text = render_edition(ready_edition, services.edition_items(ready_edition))

    [shown] = _item_images(html)  # the other two articles have none
    width, height, name = next(r for r in image.variant_set("wide")["jpeg"] if r[0] >= 828)
    assert shown["src"] == f"https://podium.example/media/{name}"
    assert shown["width"] == str(EMAIL_PICTURE_WIDTH)
    assert shown["height"] == str(round(EMAIL_PICTURE_WIDTH * height / width))
    assert shown["alt"] == ALT
    assert "max-width: 552px" in (shown["style"] or "")  # inlined: clients drop <style>
    assert "media/images" not in text


def test_before_the_variants_exist_the_original_is_shown(
    ready_edition: Edition,
    picked: list[Article],
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    image = _header_image(picked[0], editor, django_capture_on_commit_callbacks, variants=False)

    html, _text = render_edition(ready_edition, services.edition_items(ready_edition))

    [shown] = _item_images(html)
    assert shown["src"] == f"https://podium.example/media/{image.file}"
    assert shown["height"] == str(round(EMAIL_PICTURE_WIDTH * 1000 / 1600))


def test_the_picture_is_frozen_with_the_item_when_sending_starts(
    ready_edition: Edition,
    picked: list[Article],
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _header_image(picked[0], editor, django_capture_on_commit_callbacks)
    edition = services.start_sending(edition=ready_edition, by=editor)
    [sent] = _item_images(edition.html)

    article_services.set_header_image(article=picked[0], by=editor, image=None)

    item = edition.items.get(article=picked[0])
    assert (item.image_url, item.image_alt) == (sent["src"], ALT)
    [again] = _item_images(render_edition(edition, services.edition_items(edition))[0])
    assert again == sent


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_the_xss_corpus_through_the_alt_text_leaves_the_email_inert(
    payload: str,
    ready_edition: Edition,
    picked: list[Article],
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    image = _header_image(picked[0], editor, django_capture_on_commit_callbacks, variants=False)
    items = services.edition_items(ready_edition)
    plain = [tag for tag, _attrs, _data in tags_in(render_edition(ready_edition, items)[0])]
    Image.objects.filter(pk=image.pk).update(alt_text=payload)

    html, _text = render_edition(ready_edition, services.edition_items(ready_edition))

    # The e-mail has its own <style>, so "no such element at all" cannot be the test: the payload
    # adds no element and stays whole inside the attribute.
    assert [tag for tag, _attrs, _data in tags_in(html)] == plain
    assert _item_images(html)[0]["alt"] == payload


def test_the_archive_shows_the_picture_that_went_out(
    ready_edition: Edition,
    picked: list[Article],
    editor: User,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _header_image(picked[0], editor, django_capture_on_commit_callbacks)
    edition = services.start_sending(edition=ready_edition, by=editor)
    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT)
    [sent] = _item_images(edition.html)

    page = client.get(reverse("newsletter:archive_edition", args=[edition.pk])).content.decode()

    [shown] = [attrs for attrs in _item_images(page) if "archive-picture" in (attrs["class"] or "")]
    assert (shown["src"], shown["width"], shown["height"], shown["alt"]) == (
        sent["src"],
        sent["width"],
        sent["height"],
        ALT,
    )
