"""Helpers shared by the server-side suite: building users and articles, and the assertions
that say "nothing was written" and "this page cannot run script"."""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import timezone

from podium.accounts import mfa
from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article, ArticleEvent, Revision
from podium.articles.services import ArticleText
from podium.articles.terms import Terms, current_licence
from podium.topics.models import Topic

PASSWORD = "een-lang-wachtwoord-42"

# The Redis database the Redis tests write to, each under a key prefix of its own.
REDIS_URL = os.environ.get("PODIUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@functools.cache
def redis_answers() -> bool:
    """Whether a Redis server answers at REDIS_URL (the Redis tests are skipped when not)."""
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def delete_redis_keys(prefix: str) -> None:
    """Delete a test's keys (``<prefix>:…``) at REDIS_URL; a flush would empty the whole database,
    other tests' keys with it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


BODY = (
    "<p>De arbeidsmarkt verandert sneller dan onze organisaties. Wie vandaag talent zoekt, "
    "moet anders kijken naar werk.</p>"
    "<h2>Wat betekent dit voor uw team?</h2>"
    "<p>Teams die leren, winnen. Teams die wachten, verliezen hun beste mensen aan de buren.</p>"
)


# --- Users -----------------------------------------------------------------------------------


def make_user(
    email: str,
    *,
    display_name: str = "",
    bio: str = "",
    job_title: str = "",
    organisation: str = "",
    slug: str | None = None,
    **extra: Any,
) -> User:
    user = User.objects.create_user(
        email,
        PASSWORD,
        display_name=display_name,
        bio=bio,
        job_title=job_title,
        organisation=organisation,
        slug=slug,
        **extra,
    )
    # allauth needs a verified address to let the persona log in through the real login form.
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    return user


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Signs `client` in as `user` without the sign-in form, as a completed sign-in would: with
    the session's note of the person's role and (unless told otherwise) of a second factor used,
    which staff need on the desk and in the admin (podium.accounts.mfa)."""
    client.force_login(user)
    session = client.session
    mfa.record_sign_in(session, user, second_factor=second_factor)
    session.save()
    return client


# --- Building articles through the real services -----------------------------------------------


def statement_fields(ai_use: str = "none", ai_explanation: str = "") -> dict[str, str]:
    """The submission form's statement, as a browser posts it (see `statement`)."""
    return {
        "is_own_work": "on",
        "grants_licence": "on",
        "licence_version": str(current_licence().version),
        "ai_use": ai_use,
        "ai_explanation": ai_explanation,
    }


def statement(ai_use: str = "none", ai_explanation: str = "") -> Terms:
    """An author's statement at submission: their own text, the current licence granted."""
    return Terms(
        is_own_work=True,
        licence_version=current_licence().version,
        ai_use=ai_use,
        ai_explanation=ai_explanation,
    )


@dataclass
class ArticleBuilder:
    """Builds articles in any state by walking the product's own services."""

    editor: User
    topics: list[Topic]
    counter: int = field(default=0)

    def text(self, **overrides: Any) -> ArticleText:
        self.counter += 1
        values: dict[str, Any] = {
            "title": f"Werk verandert sneller dan organisaties ({self.counter})",
            "lead": "Wie vandaag talent zoekt, moet anders kijken naar werk.",
            "body": BODY,
            "topics": self.topics[:1],
        }
        values.update(overrides)
        return ArticleText(**values)

    def draft(self, author: User, **text: Any) -> Article:
        return services.save_draft(by=author, text=self.text(**text))

    def submitted(self, author: User, **text: Any) -> Article:
        return services.submit_article(
            article=self.draft(author, **text), by=author, terms=statement()
        )

    def __call__(
        self,
        author: User,
        state: str = Article.State.DRAFT,
        *,
        at: datetime.datetime | None = None,
        **text: Any,
    ) -> Article:
        """An article of `author` in `state`, reached the way the product reaches it."""
        if state == Article.State.DRAFT:
            return self.draft(author, **text)
        article = self.submitted(author, **text)
        if state == Article.State.SUBMITTED:
            assert article.state == state, "trusted contributors skip the review"
            return article
        if state == Article.State.CHANGES_REQUESTED:
            return services.request_changes(
                article=article, by=self.editor, message="Graag korter."
            )
        if state == Article.State.REJECTED:
            return services.reject_article(
                article=article, by=self.editor, reason="Past niet bij Podium."
            )
        if article.state != Article.State.PUBLISHED:
            article = services.publish_article(article=article, by=self.editor, at=at)
        if state == Article.State.PUBLISHED:
            return article
        if state == Article.State.OFFLINE:
            return services.withdraw_article(article=article, by=author)
        raise ValueError(state)


def bulk_publish(
    author: User, topics: list[Topic], n: int, *, prefix: str = "stuk"
) -> list[Article]:
    """`n` published articles in a handful of queries, with the fields the services would set.
    For query-count tests, where building 50 articles one by one would only slow the suite down."""
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [
            Article(
                author=author,
                title=f"Artikel {prefix} {i}",
                slug=f"{prefix}-{author.pk}-{i}",
                lead="Een lead van een of twee zinnen.",
                body=BODY,
                state=Article.State.PUBLISHED,
                word_count=42,
                char_count=250,
                created_at=now - datetime.timedelta(days=1),
                updated_at=now - datetime.timedelta(minutes=i),
                submitted_at=now - datetime.timedelta(hours=2),
                published_at=now - datetime.timedelta(minutes=i + 1),
            )
            for i in range(n)
        ]
    )
    if not all(a.pk for a in articles):  # backends without RETURNING on bulk inserts
        articles = list(Article.objects.filter(slug__startswith=f"{prefix}-{author.pk}-"))
    through = Article.topics.through
    through.objects.bulk_create(
        [
            through(article_id=a.pk, topic_id=t.pk)
            for i, a in enumerate(articles)
            for t in {topics[0], topics[1 + i % (len(topics) - 1)]}
        ]
    )
    return articles


def give_header_images(articles: list[Article], by: User, pictures: int = 2) -> None:
    """Every article gets a header image: `pictures` small ones made through the images app's
    pipeline (stored like an upload, variants made), shared round-robin. So the query-count pins
    hold for cards that render a <picture>, as nearly every card on the site does."""
    from podium.demo.seed import draw_header_images

    ids = draw_header_images(pictures, by=by, size=(480, 270))
    for n, image_id in enumerate(ids):
        Article.objects.filter(pk__in=[a.pk for a in articles[n :: len(ids)]]).update(
            header_image_id=image_id
        )


def bulk_submit(
    author: User, topics: list[Topic], n: int, *, prefix: str = "ingediend"
) -> list[Article]:
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [
            Article(
                author=author,
                title=f"Inzending {prefix} {i}",
                slug=f"{prefix}-{author.pk}-{i}",
                lead="Een lead.",
                body=BODY,
                state=Article.State.SUBMITTED,
                word_count=42,
                char_count=250,
                updated_at=now - datetime.timedelta(minutes=i),
                submitted_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )
    if not all(a.pk for a in articles):
        articles = list(Article.objects.filter(slug__startswith=f"{prefix}-{author.pk}-"))
    through = Article.topics.through
    through.objects.bulk_create(
        [
            through(article_id=a.pk, topic_id=topics[i % len(topics)].pk)
            for i, a in enumerate(articles)
        ]
    )
    return articles


# --- Assertions ---------------------------------------------------------------------------------


def written_rows() -> dict[str, int]:
    """Row counts of everything an article action may write; compare before and after."""
    return {
        "articles": Article.objects.count(),
        "events": ArticleEvent.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
    }


def article_snapshot(article: Article) -> dict[str, Any]:
    row = Article.objects.get(pk=article.pk)
    return {
        "state": row.state,
        "version": row.version,
        "title": row.title,
        "lead": row.lead,
        "body": row.body,
        "updated_at": row.updated_at,
        "published_at": row.published_at,
        "topics": sorted(row.topics.values_list("pk", flat=True)),
    }


@contextlib.contextmanager
def nothing_written(*articles: Article) -> Iterator[None]:
    """Asserts the block wrote no rows and left each article exactly as it was."""
    rows = written_rows()
    before = [article_snapshot(a) for a in articles]
    yield
    assert written_rows() == rows
    assert [article_snapshot(a) for a in articles] == before


_DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript|livescript|mocha):", re.I)
_FORBIDDEN_TAGS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "svg",
    "math",
    "template",
    "style",
    "xml",
    "portal",
    "noscript",
}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data"}


def _scheme_of(value: str) -> str:
    """The URL as a browser reads it: control characters and white space inside it are ignored."""
    return re.sub(r"[\x00-\x20\x7f]+", "", value or "")


_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InertChecker(HTMLParser):
    """Collects everything on a page that could run script. Allowed: the site's own scripts from
    STATIC_URL, and JSON data blocks whose content is still valid JSON (a payload that broke out
    of one would leave it invalid, and its own tags would be reported too)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._data_block: list[str] | None = None

    def handle_data(self, data: str) -> None:
        if self._data_block is not None:
            self._data_block.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._data_block is not None:
            content = "".join(self._data_block)
            self._data_block = None
            try:
                json.loads(content)
            except ValueError:
                self.problems.append(f"JSON data block that is not JSON: {content[:200]}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or tag
        attributes = dict(attrs)
        if tag == "script":
            src = attributes.get("src") or ""
            if (attributes.get("type") or "").lower() in _DATA_SCRIPT_TYPES and not src:
                self._data_block = []
            elif not src.startswith(settings.STATIC_URL):
                self.problems.append(f"inline or foreign script: {raw}")
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element: {raw}")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"meta http-equiv: {raw}")
        if tag == "form" and (attributes.get("action") or "/")[:1] != "/":
            self.problems.append(f"form posting elsewhere: {raw}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler: {raw}")
            if name == "style" and value and re.search(r"expression|url\s*\(", value, re.I):
                self.problems.append(f"active CSS: {raw}")
            if name in _URL_ATTRIBUTES and _DANGEROUS_SCHEME.match(_scheme_of(value or "")):
                self.problems.append(f"dangerous URL: {raw}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._data_block = None


def assert_inert(html: str) -> None:
    checker = InertChecker()
    checker.feed(html)
    checker.close()
    assert not checker.problems, "\n".join(checker.problems)


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs), self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        self.tags.append((tag, {}, f"</{tag}>"))

    handle_startendtag = handle_starttag


def tags_in(html: str) -> list[tuple[str, dict[str, str | None], str]]:
    collector = TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags
