"""A small magazine with long Dutch words, and the pages a newcomer walks through: every public
page, Activiteiten, the editor and every desk page. Shared by the layout test (nothing scrolls
sideways) and `make screenshots`."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from podium.accounts import roles
from podium.accounts.models import User
from podium.articles import services
from podium.articles.services import ArticleText
from podium.bestof import services as bestof
from podium.editorial import services as editorial
from podium.newsletter import services as newsletter
from podium.stats.models import DailyArticleStats
from podium.topics.models import Topic
from tests.podium_helpers import statement

PASSWORD = "een-lang-wachtwoord-42"
LONG = "bestuursverantwoordelijkheid,"
BODY = (
    f"<p>De {LONG} arbeidsmarktontwikkelingsprogramma's en de "
    "klantcontactmedewerkersopleidingsmogelijkheden veranderen sneller dan onze organisaties. "
    "Wie vandaag talent zoekt, moet anders kijken naar werk en naar de mensen die het doen.</p>"
    "<h2>Wat betekent arbeidsongeschiktheidsverzekeringsmaatschappij voor uw team?</h2>"
    "<ul><li>Teams die leren, winnen.</li><li>Kinderdagverblijfhoudersaansprakelijkheid.</li></ul>"
    "<p>Teams die wachten, verliezen hun beste mensen aan de buren.</p>"
)


def _portrait() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 240), "#d9d6cf")
    ImageDraw.Draw(image).ellipse((60, 40, 180, 160), fill="#8a1c2b")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@dataclass(frozen=True)
class Stop:
    name: str
    path: str
    user: User | None


def build_site() -> dict[str, Any]:
    topics = [
        Topic.objects.create(name=n, name_en=en, slug=s)
        for n, en, s in (
            ("Arbeidsmarkt", "Labour market", "arbeidsmarkt"),
            ("Leiderschap", "Leadership", "leiderschap"),
            (
                "Informatiebeveiligingsbeleid",
                "Information security policy",
                "informatiebeveiligingsbeleid",
            ),
        )
    ]
    editor = User.objects.create_user(
        "redactie@example.org", PASSWORD, display_name="Eva Redacteur", role=roles.EDITORS
    )
    authors = [
        User.objects.create_user(
            f"{slug}@example.org",
            PASSWORD,
            display_name=name,
            slug=slug,
            bio=f"{name} is {LONG} adviseur arbeidsmarkt bij Voorbeeld & Co.",
            job_title="Informatiebeveiligingsfunctionaris",
            organisation="Gemeenschappelijke Regeling Arbeidsmarktontwikkeling",
        )
        for slug, name in (("anna-de-vries", "Anna de Vries"), ("bram-jansen", "Bram Jansen"))
    ]
    for author in authors:
        author.expertise.set(topics[:2])
    authors[0].photo.save(f"{authors[0].pk}.jpg", ContentFile(_portrait()), save=True)
    published = []
    titles = [
        f"Werk verandert sneller dan {LONG} organisaties",
        "Leiderschap in de zorg vraagt om ondernemerschapsvaardigheden",
        "Samenwerken met leveranciers",
        "Talent vind je niet, dat maak je",
    ]
    for i, title in enumerate(titles):
        author = authors[i % 2]
        draft = services.save_draft(
            by=author,
            text=ArticleText(
                title=title,
                lead=f"Wie vandaag talent zoekt, moet anders kijken naar {LONG} werk.",
                body=BODY,
                topics=topics[i % 3 : i % 3 + 2],
            ),
        )
        submitted = services.submit_article(article=draft, by=author, terms=statement())
        published.append(services.publish_article(article=submitted, by=editor))
    # Some reading, so the statistics pages (the author's and the desk's) show charts and tables.
    for i, article in enumerate(published):
        for days_ago in range(12):
            views = (len(published) - i) * (3 + (days_ago * 7) % 5)
            DailyArticleStats.objects.create(
                article=article,
                day=timezone.localdate() - datetime.timedelta(days=days_ago),
                views=views,
                read_throughs=views // 3,
            )
    for article in published[:2]:
        editorial.pick_article(article=article, kind="newsletter", by=editor)
        editorial.pick_article(article=article, kind="bestof", by=editor)
    editorial.place_on_home(article=published[0], by=editor)
    draft = services.save_draft(
        by=authors[0],
        text=ArticleText(
            title=f"Een concept over {LONG}", lead="Nog niet af.", body=BODY, topics=topics[:1]
        ),
    )
    submission = services.submit_article(
        article=services.save_draft(
            by=authors[1],
            text=ArticleText(
                title="Ingezonden stuk over arbeidsongeschiktheidsverzekeringen",
                lead="Ter beoordeling.",
                body=BODY,
                topics=topics[:1],
            ),
        ),
        by=authors[1],
        terms=statement(),
    )
    # A second version, so the review page shows the structural diff.
    services.request_changes(article=submission, by=editor, message="Graag een alinea over teams.")
    services.save_draft(
        by=authors[1],
        article=submission,
        text=ArticleText(
            title="Ingezonden stuk over arbeidsongeschiktheidsverzekeringen",
            lead="Ter beoordeling.",
            body=BODY.replace("voor uw team?", "voor uw organisatie?").replace(
                "<ul>", "<p>Een nieuwe alinea over teams die samen leren.</p><ul>"
            ),
            topics=topics[:1],
        ),
    )
    submission = services.submit_article(article=submission, by=authors[1], terms=statement())
    edition = newsletter.create_edition(by=editor)
    today = timezone.localdate()
    compilation = bestof.create_compilation(
        by=editor,
        title="Het beste van Podium",
        period_start=today - datetime.timedelta(days=90),
        period_end=today,
    )
    return {
        "editor": editor,
        "authors": authors,
        "topics": topics,
        "published": published,
        "draft": draft,
        "submission": submission,
        "edition": edition,
        "compilation": compilation,
    }


def stops(site: dict[str, Any]) -> list[Stop]:
    author, editor = site["authors"][0], site["editor"]
    article = site["published"][0]
    return [
        Stop("home", "/", None),
        Stop("articles", reverse("web:articles"), None),
        Stop("article", article.get_absolute_url(), None),
        Stop("topics", reverse("web:topics"), None),
        Stop("topic", reverse("web:topic", args=[site["topics"][2].slug]), None),
        Stop("author", author.get_absolute_url(), None),
        Stop("authors", reverse("web:authors"), None),
        Stop("write-for-podium", reverse("web:write"), None),
        Stop("search", reverse("web:search") + "?q=werk", None),
        Stop("newsletter", reverse("newsletter:signup"), None),
        Stop("newsletter-archive", reverse("newsletter:archive"), None),
        Stop("login", reverse("account_login"), None),
        Stop("signup", reverse("account_signup"), None),
        Stop("activiteiten", reverse("articles:dashboard"), author),
        Stop("editor-new", reverse("articles:create"), author),
        Stop("editor", reverse("articles:edit", args=[site["draft"].pk]), author),
        Stop("statistics", reverse("stats:overview"), author),
        Stop("profile", reverse("accounts:profile"), author),
        Stop("desk", reverse("editorial:desk"), editor),
        Stop("desk-review", reverse("editorial:review", args=[site["submission"].pk]), editor),
        Stop("desk-home-page", reverse("editorial:home_page"), editor),
        Stop("desk-contributors", reverse("editorial:contributors"), editor),
        Stop("desk-contributor", reverse("editorial:contributor", args=[author.pk]), editor),
        Stop("desk-statistics", reverse("editorial:statistics"), editor),
        Stop("desk-newsletter", reverse("newsletter_desk:index"), editor),
        Stop("desk-edition", reverse("newsletter_desk:edition", args=[site["edition"].pk]), editor),
        Stop("desk-bestof", reverse("bestof:list"), editor),
        Stop("desk-compilation", reverse("bestof:detail", args=[site["compilation"].pk]), editor),
    ]
