"""Preview links: one version, read-only, for someone without an account. Random enough, stored
only as a hash, expiring, revocable, never cached or indexed, counted when opened; every link that
does not open is the site's ordinary 404."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from podium.articles import coauthors, lifecycle, previews, services
from podium.articles.models import Article, PreviewLink, Revision
from podium.articles.services import ArticleText

from ..podium_helpers import assert_inert, sign_in
from ..web.test_xss import CORPUS, IDS

pytestmark = pytest.mark.django_db
S = Article.State


def _url(made: previews.NewLink) -> str:
    return f"/inzage/{made.token}/versie-{made.link.revision.number}/"


NOWHERE = "/inzage/bestaat-niet/versie-1/"


def _not_found_body(client: Client, url: str = NOWHERE) -> bytes:
    """The 404 page, with the address it names (its canonical link) taken out."""
    response = client.get(url)
    assert response.status_code == 404, url
    return response.content.replace(url.encode(), b"ADDRESS")


def test_a_link_shows_the_version_read_only_to_anyone(contributor, make_article):
    draft = make_article(contributor)
    made = previews.create_preview_link(article=draft, by=contributor, label="Juridische zaken")
    response = Client().get(_url(made))
    assert response.status_code == 200
    page = response.content.decode()
    assert draft.title in page
    assert f"versie {made.link.revision.number}" in page.lower()
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "<form" not in page.split("<main", 1)[-1].split("</main>", 1)[0]  # read-only
    assert made.link.revision.kind == Revision.Kind.SHARED


def test_the_token_has_256_bits_and_only_its_hash_is_stored(contributor, make_article):
    made = previews.create_preview_link(article=make_article(contributor), by=contributor)
    assert len(made.token) >= 43  # 32 bytes in URL-safe base64
    link = PreviewLink.objects.get(pk=made.link.pk)
    assert link.token_hash == hashlib.sha256(made.token.encode()).hexdigest()
    assert made.token not in str(PreviewLink.objects.filter(pk=link.pk).values().get())


def test_opening_is_counted_first_and_last(contributor, make_article):
    made = previews.create_preview_link(article=make_article(contributor), by=contributor)
    client = Client()
    client.get(_url(made))
    client.get(_url(made))
    link = PreviewLink.objects.get(pk=made.link.pk)
    assert link.open_count == 2
    assert link.first_opened_at <= link.last_opened_at
    page = sign_in(Client(), contributor).get(f"/profiel/activiteiten/{link.article_id}/inzage/")
    assert "2 keer" in page.content.decode() or "2 times" in page.content.decode()


def test_the_author_sees_the_link_once_on_creation(contributor, make_article):
    draft = make_article(contributor)
    client = sign_in(Client(), contributor)
    response = client.post(
        f"/profiel/activiteiten/{draft.pk}/inzage/", {"label": "Juridisch", "days": "3"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    found = re.search(r"/inzage/([A-Za-z0-9_-]{43,})/versie-(\d+)/", response.content.decode())
    assert found
    link = PreviewLink.objects.get()
    assert link.expires_at - link.created_at == datetime.timedelta(days=3)
    assert (
        found.group(1)
        not in client.get(f"/profiel/activiteiten/{draft.pk}/inzage/").content.decode()
    )
    assert Client().get(found.group(0)).status_code == 200


@pytest.mark.parametrize("days", [0, 31])
def test_a_link_lives_one_to_thirty_days(contributor, make_article, days):
    with pytest.raises(ValidationError):
        previews.create_preview_link(article=make_article(contributor), by=contributor, days=days)
    assert not PreviewLink.objects.exists()


def test_the_default_is_seven_days(contributor, make_article):
    made = previews.create_preview_link(article=make_article(contributor), by=contributor)
    assert made.link.expires_at - made.link.created_at == datetime.timedelta(days=7)


def test_expired_revoked_tampered_and_other_version_links_are_the_ordinary_404(
    contributor, make_article
):
    draft = make_article(contributor)
    client = Client()
    ordinary = _not_found_body(client)
    assert _not_found_body(client, "/bestaat-ook-niet/") == ordinary  # any 404 of the site
    expired = previews.create_preview_link(article=draft, by=contributor)
    PreviewLink.objects.filter(pk=expired.link.pk).update(expires_at=timezone.now())
    revoked = previews.create_preview_link(article=draft, by=contributor)
    previews.revoke_preview_link(link=revoked.link, by=contributor)
    good = previews.create_preview_link(article=draft, by=contributor)
    number = good.link.revision.number
    tampered = good.token[:-2] + ("AA" if not good.token.endswith("AA") else "BB")
    urls = [
        _url(expired),
        _url(revoked),
        f"/inzage/{tampered}/versie-{number}/",
        f"/inzage/{good.token}/versie-{number + 1}/",
        f"/inzage/{good.token}/versie-{number - 1}/",
        f"/inzage/{good.token.upper()}/versie-{number}/",
    ]
    for url in urls:
        assert _not_found_body(client, url) == ordinary, url
        assert draft.title.encode() not in client.get(url).content
    assert PreviewLink.objects.filter(open_count__gt=0).count() == 0
    assert client.get(_url(good)).status_code == 200


def test_a_new_version_needs_a_new_link(contributor, make_article):
    draft = make_article(contributor)
    first = previews.create_preview_link(article=draft, by=contributor)
    services.save_draft(
        by=contributor,
        article=draft,
        text=ArticleText(title="Nieuwe titel", lead="Nieuw.", body="<p>Nieuwe tekst.</p>"),
    )
    second = previews.create_preview_link(article=draft, by=contributor)
    assert second.link.revision.number == first.link.revision.number + 1
    old = Client().get(_url(first)).content.decode()
    assert "Nieuwe titel" not in old and draft.title in old  # the old link keeps its version
    assert "Nieuwe titel" in Client().get(_url(second)).content.decode()
    # Unchanged text: the same version again, no new revision.
    third = previews.create_preview_link(article=draft, by=contributor)
    assert third.link.revision == second.link.revision


def test_a_submitted_version_is_shared_as_it_is(contributor, make_article):
    submitted = make_article(contributor, S.SUBMITTED)
    made = previews.create_preview_link(article=submitted, by=contributor)
    assert made.link.revision.kind == Revision.Kind.SUBMISSION


def test_who_may_create_and_revoke(
    contributor, other_contributor, trusted_contributor, editor, make_article
):
    draft = make_article(contributor)
    invitation = coauthors.invite_coauthor(
        article=draft, by=contributor, email=other_contributor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=other_contributor)
    by_coauthor = previews.create_preview_link(article=draft, by=other_contributor)
    for outsider in (trusted_contributor, editor):
        with pytest.raises(PermissionDenied):
            previews.create_preview_link(article=draft, by=outsider)
        with pytest.raises(PermissionDenied):
            previews.revoke_preview_link(link=by_coauthor.link, by=outsider)
    previews.revoke_preview_link(link=by_coauthor.link, by=contributor)
    rejected = make_article(contributor, S.REJECTED)
    with pytest.raises(lifecycle.TransitionNotAllowed):
        previews.create_preview_link(article=rejected, by=contributor)


def test_a_coauthor_who_leaves_takes_their_links_along(
    contributor, other_contributor, make_article
):
    draft = make_article(contributor)
    invitation = coauthors.invite_coauthor(
        article=draft, by=contributor, email=other_contributor.email, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=other_contributor)
    made = previews.create_preview_link(article=draft, by=other_contributor)
    coauthors.leave_article(article=draft, by=other_contributor)
    assert Client().get(_url(made)).status_code == 404


def test_the_page_cache_never_keeps_a_preview(contributor, make_article, settings):
    settings.PODIUM_PAGE_CACHE = True
    made = previews.create_preview_link(article=make_article(contributor), by=contributor)
    client = Client()
    client.get(_url(made))
    previews.revoke_preview_link(link=made.link, by=contributor)
    assert client.get(_url(made)).status_code == 404


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_labels_and_titles_from_the_xss_corpus_stay_inert(contributor, make_article, payload):
    draft = make_article(contributor)
    Article.objects.filter(pk=draft.pk).update(title=payload[:120], lead=payload)
    Revision.objects.filter(article=draft).delete()
    made = previews.create_preview_link(article=draft, by=contributor, label=payload)
    PreviewLink.objects.filter(pk=made.link.pk).update(label=payload[:100])  # as the admin could
    assert_inert(Client().get(_url(made)).content.decode())
    page = sign_in(Client(), contributor).get(f"/profiel/activiteiten/{draft.pk}/inzage/")
    assert_inert(page.content.decode())
