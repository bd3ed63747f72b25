"""Deletion that leaves nothing: a contributor who appears everywhere Podium copies a person
(the search index, revisions and events, the editors' messages, notifications, statistics, a
newsletter edition that went out and its public archive page, a finalised compilation built to
PDF and EPUB, the assistant's reports, the admin's and the audit log, a newsletter subscription,
sessions, a CSP report) deletes their account. Afterwards every column of every table (found by
introspection, not from the models) and every stored file (media and private roots; PDFs read
with pdftotext, EPUBs unzipped) is searched for their name, e-mail address, photo file name and
bio. Runs on SQLite and PostgreSQL; renders the compilation twice, so it is marked slow.

The same for a newsletter subscriber (no account) who erases their data through their link."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from podium.accounts.models import AuditEvent, Session, User
from podium.annotations import services as annotations
from podium.articles import coauthors, search
from podium.articles import services as article_services
from podium.articles.models import Article, Revision
from podium.bestof import services as bestof_services
from podium.bestof.models import Compilation
from podium.editorial import assistant
from podium.editorial import services as editorial_services
from podium.editorial.models import AssistantReport, Pick
from podium.newsletter import sending
from podium.newsletter import services as newsletter_services
from podium.newsletter.models import Delivery, Edition
from podium.privacy import services as privacy_services
from podium.security.models import CSPViolation
from podium.stats import services as stats_services
from podium.stats.models import DailyArticleStats

from ..podium_helpers import BODY, PASSWORD, ArticleBuilder, make_user, statement
from .tables import database_mentions, files_mentioning, images_in

pytestmark = pytest.mark.django_db

NAME = "Xaveria Quibbelaar"
EMAIL = "xaveria.quibbelaar@example.org"
BIO = "Xaveria Quibbelaar is kwartiermaker bij Stichting Zeldzaam Werk."
ORGANISATION = "Stichting Zeldzaam Werk"
HER_BODY = BODY + "<p>Wie luistert naar de werkvloer, hoort de toekomst van het werk.</p>"


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (900, 900), (180, 90, 40)).save(out, "JPEG", quality=90)
    return SimpleUploadedFile("portret.jpg", out.getvalue(), content_type="image/jpeg")


def _needles(writer: User) -> list[str]:
    """Her name (whole and in parts, also as the search index stems them), address, photo file
    name, bio and organisation."""
    photo = Path(str(writer.photo.name)).name
    stems = search.stemmed(NAME).split()
    return [NAME, "Xaveria", "Quibbelaar", *stems, EMAIL, photo, BIO, ORGANISATION]


def _built_files(compilation: Compilation) -> list[Path]:
    return [Path(getattr(compilation, f).path) for f in ("pdf_a4", "pdf_trim", "epub")]


@pytest.fixture
def writer(db: None, client_for: Any) -> User:
    """Xaveria, with a photo uploaded through the profile form as every contributor does."""
    user = make_user(
        EMAIL,
        display_name=NAME,
        bio=BIO,
        job_title="Kwartiermaker",
        organisation=ORGANISATION,
    )
    response = client_for(user).post(
        "/profiel/",
        {
            "display_name": NAME,
            "job_title": "Kwartiermaker",
            "organisation": ORGANISATION,
            "bio": BIO,
            "website": "",
            "linkedin": "",
            "photo": _photo(),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.photo and user.slug
    return user


def _fill_every_place(
    *,
    writer: User,
    other_contributor: User,
    editor: User,
    admin_user: User,
    make_article: ArticleBuilder,
    on_commit: Any,
) -> tuple[Article, Edition, Compilation]:
    # Her article: submitted, published with a message that names her, picked, placed, read.
    submitted = make_article.submitted(
        writer,
        title="Een organisatie die luistert",
        lead="Wie luistert, hoort wat er speelt.",
        body=HER_BODY,
    )
    # Beside the text, an editor's comment addresses her and she answers with her name.
    thread = annotations.comment_on(
        article=submitted, by=editor, quote="hoort de toekomst", body=f"{NAME}, mooi gezegd."
    )
    annotations.reply(thread=thread, by=writer, body=f"Dank u. Groet, {NAME}")
    article = article_services.publish_article(
        article=submitted, by=editor, message=f"Dank, {NAME}: een sterk stuk."
    )
    make_article.draft(writer, title="Een concept dat nooit af kwam")
    # Another contributor's article quotes hers: the assistant's report names her as the closest.
    theirs = make_article(
        other_contributor, Article.State.PUBLISHED, title="Een ander verhaal", body=HER_BODY
    )
    assistant.analyse_revision(Revision.objects.filter(article=article).latest("pk"))
    report = assistant.analyse_revision(Revision.objects.filter(article=theirs).latest("pk"))
    assert report.data["originality"]["published"]["author"] == NAME
    for kind in (Pick.Kind.NEWSLETTER, Pick.Kind.BESTOF):
        editorial_services.pick_article(article=article, kind=kind, by=editor)
    editorial_services.place_on_home(article=article, by=editor)
    stats_services.record_signal(
        article_id=article.pk, signal="view", user_agent="Mozilla/5.0", address="192.0.2.7"
    )
    assert DailyArticleStats.objects.filter(article=article).exists()
    editorial_services.grant_trust(user=writer, by=editor, reason=f"{NAME} schrijft sterk.")

    # The newsletter: she subscribed, and an edition with her article went out to her.
    newsletter_services.subscribe_user(by=writer, consent_text="Ja")
    edition = newsletter_services.create_edition(by=editor)
    newsletter_services.update_edition(
        edition=edition,
        subject="De week van Podium",
        intro=f"Deze week: {NAME} over luisteren.",
        by=editor,
    )
    newsletter_services.start_sending(edition=edition, by=editor)
    sending.run_worker(edition_id=edition.pk, idle_wait=0)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and NAME in edition.html and NAME in edition.text
    assert Delivery.objects.filter(subscriber__email=EMAIL, status="sent").exists()

    # She co-wrote another contributor's article (in the byline, the index, the compilation) and
    # was invited to write a second one.
    cowritten = make_article.draft(other_contributor, title="Samen luisteren")
    invitation = coauthors.invite_coauthor(
        article=cowritten, by=other_contributor, email=EMAIL, language="nl"
    )
    coauthors.accept_invitation(invitation=invitation, by=writer)
    article_services.submit_article(article=cowritten, by=other_contributor, terms=statement())
    article_services.publish_article(article=cowritten, by=editor)
    coauthors.invite_coauthor(
        article=make_article.draft(other_contributor, title="Nog een idee"),
        by=other_contributor,
        email=EMAIL,
        language="nl",
    )

    # Het beste van Podium: built to PDF and EPUB with her name, bio and photo, then finalised.
    today = timezone.localdate()
    compilation = bestof_services.create_compilation(
        by=editor,
        title="Het beste van Podium",
        foreword=f"Met bijdragen van onder anderen {NAME}.",
        period_start=today - datetime.timedelta(days=90),
        period_end=today,
    )
    bestof_services.set_articles(
        compilation=compilation, article_ids=[article.pk, theirs.pk, cowritten.pk], by=editor
    )
    with on_commit(execute=True):
        bestof_services.request_build(compilation=compilation, by=editor)
    compilation.refresh_from_db()
    assert compilation.build_status == Compilation.BuildStatus.DONE, compilation.build_errors
    with on_commit(execute=True):
        compilation = bestof_services.finalise_compilation(compilation=compilation, by=editor)

    # The admin's log of a change to her account, and a CSP report from her author page.
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=User.objects.filter(pk=writer.pk),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Bio"]}}]',
    )
    CSPViolation.objects.create(
        document_uri=f"{settings.SITE_URL}/auteurs/{writer.slug}/", directive="img-src"
    )
    return article, edition, compilation


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["keep", "remove"])
def test_deleting_an_account_leaves_the_person_in_no_table_and_no_file(
    monkeypatch: pytest.MonkeyPatch,
    policy: str,
    writer: User,
    other_contributor: User,
    editor: User,
    admin_user: User,
    make_article: ArticleBuilder,
    client_for: Any,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    on_commit = django_capture_on_commit_callbacks
    settings.PODIUM_PRIVATE_ROOT = tmp_path / "private"
    monkeypatch.setattr(privacy_services, "DELETED_AUTHOR_ARTICLES", policy)
    article, edition, compilation = _fill_every_place(
        writer=writer,
        other_contributor=other_contributor,
        editor=editor,
        admin_user=admin_user,
        make_article=make_article,
        on_commit=on_commit,
    )
    client = client_for(writer)
    needles = _needles(writer)
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PODIUM_PRIVATE_ROOT)]
    archive_url = f"/nieuwsbrief/archief/{edition.pk}/"

    # The search for her finds the article, and every detector finds her where she is, so the
    # checks after the deletion can fail.
    found = [h.article.title for h in search.search("Quibbelaar")[:10]]
    assert sorted(found) == sorted([article.title, "Samen luisteren"])  # hers, and one co-written
    assert NAME in Client().get(archive_url).content.decode()
    assert Session.objects.filter(user=writer).exists()
    assert {f.split(" ~ ")[0].rsplit(".", 1)[0] for f in database_mentions(needles)} >= {
        "accounts_user",
        "articles_articleevent",
        "newsletter_edition",
        "bestof_compilation",
        "newsletter_editionitem",
        "newsletter_subscriber",
        "editorial_assistantreport",
        "django_admin_log",
        "accounts_auditevent",
        "articles_search",
        "annotations_comment",
    }
    in_files = files_mentioning(needles, roots)
    images_before = {}
    for built in _built_files(compilation):
        assert any(str(built) in f and BIO in f for f in in_files), built
        images_before[built.suffix + built.stem[-6:]] = images_in(built)
    photo = Path(str(writer.photo.name)).name
    assert any(f.endswith(f"~ {photo!r}") and "/private/photos/" in f for f in in_files), (
        "her photo"
    )

    with on_commit(execute=True):  # the files go and the compilation is rebuilt once it commits
        response = client.post("/profiel/mijn-gegevens/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302

    assert database_mentions(needles) == []
    assert files_mentioning(needles, roots) == []
    assert list(search.search("Quibbelaar")[:10]) == []
    assert NAME not in Client().get(archive_url).content.decode()
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Session.objects.filter(user_id=writer.pk).exists()

    # The finalised book is rebuilt without her photo, still finalised; "voormalig auteur"
    # stands where she stood, or her article is gone from it.
    compilation.refresh_from_db()
    assert compilation.state == Compilation.State.FINALISED
    assert compilation.build_status == Compilation.BuildStatus.DONE, compilation.build_errors
    files = _built_files(compilation)
    assert all(path.is_file() for path in files)
    images_after = {p.suffix + p.stem[-6:]: images_in(p) for p in files}
    # Only she had a photo: each file holds fewer images than before (hers are gone).
    assert all(images_after[k] < images_before[k] for k in images_before), (
        images_before,
        images_after,
    )
    book = " ".join(f for f in files_mentioning(["voormalig auteur", "Een ander verhaal"], roots))
    assert "Een ander verhaal" in book
    assert "voormalig auteur" in book  # in the byline (keep) and in the editors' foreword
    assert compilation.foreword == "Met bijdragen van onder anderen voormalig auteur."

    edition.refresh_from_db()
    kept = Article.objects.filter(pk=article.pk).first()
    if policy == "keep":
        assert kept is not None and kept.author.email == privacy_services.FORMER_AUTHOR_EMAIL
        assert "voormalig auteur" in edition.html and "Een organisatie die luistert" in edition.text
        assert [h.article for h in search.search("voormalig auteur")[:10]] == [kept]
    else:
        assert kept is None
        assert "Een organisatie die luistert" not in edition.html + edition.text
    assert (
        "Een ander verhaal"
        in AssistantReport.objects.get(
            revision__article__title="Een ander verhaal"
        ).revision.article.title
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_DELETED).exists()
    assert not CSPViolation.objects.exists()


def test_a_subscriber_who_erases_their_data_is_in_no_table(
    editor: User, admin_user: User, make_article: ArticleBuilder, contributor: User
) -> None:
    from django.urls import reverse

    from podium.newsletter import tokens
    from podium.newsletter.models import Subscriber

    address = "quirina.zonderaccount@example.org"
    subscriber = Subscriber.objects.create(
        email=address,
        status=Subscriber.Status.CONFIRMED,
        consent_at=timezone.now(),
        consent_source=Subscriber.Source.PAGE,
        consent_text="Ja",
        confirmed_at=timezone.now(),
    )
    article = make_article(contributor, Article.State.PUBLISHED)
    editorial_services.pick_article(article=article, kind=Pick.Kind.NEWSLETTER, by=editor)
    edition = newsletter_services.create_edition(by=editor)
    newsletter_services.update_edition(edition=edition, subject="De week", intro="", by=editor)
    newsletter_services.start_sending(edition=edition, by=editor)
    sending.run_worker(edition_id=edition.pk, idle_wait=0)
    # A later attempt that failed, naming the address, and the admin's log of a change to it.
    Delivery.objects.filter(subscriber=subscriber).update(
        last_error=f"550 5.1.1 <{address}>: mailbox full"
    )
    LogEntry.objects.log_actions(
        user_id=admin_user.pk,
        queryset=Subscriber.objects.filter(pk=subscriber.pk),
        action_flag=CHANGE,
        change_message="[]",
    )
    needles = [address, "quirina"]
    assert {m.split(".")[0] for m in database_mentions(needles)} == {
        "newsletter_subscriber",
        "newsletter_delivery",
        "django_admin_log",
    }

    token = tokens.make_data_token(subscriber.pk, subscriber.email)
    response = Client().post(reverse("newsletter:my_data_erase", args=[token]), {"confirm": "on"})
    assert response.status_code == 200

    assert database_mentions(needles) == []
    assert not Subscriber.objects.exists()
