"""Hostile HTML, pushed through every field a person can type into.

What is stored holds no markup that can run: the article body only Podium's own tags (links with
rel="nofollow ugc noopener"), every plain-text field no tags at all. And every page that shows
these fields is inert, even when a plain-text field holds raw HTML that got past the input
(an old row, the Django admin): the templates escape it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from podium.accounts.models import User
from podium.articles import services
from podium.articles.models import Article, ArticleEvent, Message, Notification
from podium.articles.sanitize import ALLOWED_SCHEMES, ALLOWED_TAGS, LINK_REL
from podium.topics.models import Topic
from tests.podium_helpers import ArticleBuilder, assert_inert, statement, tags_in

State = Article.State

pytestmark = pytest.mark.django_db

CORPUS = [
    # script, plain and disguised
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "&lt;img src=x onerror=alert(1)&gt;",
    '<p onclick="alert(1)">klik</p>',
    "<h2 onmouseover=alert(1)>kop</h2>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    '<video><source onerror="alert(1)"></video>',
    # javascript:, data:, vbscript: links, also obfuscated with case, entities and white space
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">klik</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">klik</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">klik</a>',
    '<a href=" &#14;  javascript:alert(1)">klik</a>',
    '<a href="java\nscript:alert(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<blockquote cite="javascript:alert(1)">citaat</blockquote>',
    # SVG, MathML, embedded documents
    "<svg onload=alert(1)><circle r=10></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math><a xlink:href="javascript:alert(1)">klik</a></math>',
    "<template><script>alert(1)</script></template>",
    # CSS
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:expression(alert(1))">css</p>',
    '<div style="width: expression(alert(1));">css</div>',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    # the page itself
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">Go</button></form>',
    # malformed nesting, unclosed tags, comments
    '<b><i><p onmouseover="alert(1)">overlap</b></i></p>',
    '<p><a href="https://example.org" onclick="alert(1)">onafgesloten',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    # breaking out of attributes with quotes
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    '<a href="https://example.org" title=\'" onmouseover="alert(1)\'>link</a>',
    '<img """><script>alert(1)</script>">',
    '<a href="https://example.org" target="_blank" rel="opener">gewoon</a>',
]
IDS = [f"x{i:02d}" for i in range(len(CORPUS))]
_HANDLER = re.compile(r"\son\w+\s*=", re.I)


def assert_safe_html(stored: str) -> None:
    """Stored rich text: only Podium's tags, only href on links, safe schemes, our rel."""
    assert "<script" not in stored.lower()
    for tag, attributes, raw in tags_in(stored):
        assert tag in ALLOWED_TAGS, raw
        assert not _HANDLER.search(raw), raw
        assert "javascript:" not in raw.lower(), raw
        if tag == "a" and not raw.startswith("</"):
            assert set(attributes) <= {"href", "rel"}, raw
            assert attributes.get("rel") == LINK_REL, raw
            href = attributes.get("href")
            if href is not None:
                assert urlsplit(href).scheme in ALLOWED_SCHEMES | {""}, raw
        else:
            assert not attributes, raw


def assert_plain(stored: str) -> None:
    """Stored plain text: no element at all, however it was encoded on the way in."""
    assert "<script" not in stored.lower()
    assert tags_in(stored) == [], stored


def _form(all_topics: list[Topic], payload: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": payload[:120],
        "lead": payload,
        "body": f"<p>Een gewone alinea.</p>{payload}",
        "topics": [all_topics[0].pk],
        **extra,
    }


# --- What is stored ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_editor_form_stores_only_safe_html(
    payload: str, contributor_client: Client, contributor: User, topics: list[Topic]
) -> None:
    response = contributor_client.post(reverse("articles:create"), _form(topics, payload, save=""))
    assert response.status_code == 302, response.content.decode()[-2000:]
    article = Article.objects.get(author=contributor)
    assert_safe_html(article.body)
    assert_plain(article.title)
    assert_plain(article.lead)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_autosave_stores_only_safe_html(
    payload: str, contributor_client: Client, contributor: User, topics: list[Topic]
) -> None:
    response = contributor_client.post(reverse("articles:autosave_new"), _form(topics, payload))
    assert response.status_code == 200
    article = Article.objects.get(pk=response.json()["id"])
    assert_safe_html(article.body)
    assert_plain(article.title)
    assert_plain(article.lead)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_editor_edit_stores_only_safe_html(
    payload: str,
    make_article: ArticleBuilder,
    contributor: User,
    editor_client: Client,
    topics: list[Topic],
) -> None:
    article = make_article(contributor, State.SUBMITTED)
    data = _form(topics, payload, version=article.version, note=payload)
    data["title"] = f"Titel {payload}"[
        :120
    ]  # the editor's form requires what survives to be non-empty
    data["lead"] = f"Lead {payload}"
    response = editor_client.post(reverse("editorial:edit", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    article.refresh_from_db()
    assert_safe_html(article.body)
    assert_plain(article.title)
    assert_plain(article.lead)
    revision = article.revisions.latest("number")
    assert_safe_html(revision.body)
    assert_plain(revision.note)
    assert_plain(article.events.latest("pk").message)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_profile_fields_store_no_markup(
    payload: str, contributor_client: Client, contributor: User
) -> None:
    data = {
        "display_name": f"Anna {payload}"[:100],
        "job_title": payload[:100],
        "organisation": payload[:100],
        "bio": f"Anna schrijft. {payload}",
    }
    response = contributor_client.post(reverse("accounts:profile"), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    user = User.objects.get(pk=contributor.pk)
    for field in data:
        assert_plain(getattr(user, field))


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_editor_messages_store_no_markup(
    payload: str, make_article: ArticleBuilder, contributor: User, editor_client: Client
) -> None:
    posts = [
        ("editorial:request_changes", State.SUBMITTED, {"changes-message": f"Graag: {payload}"}),
        ("editorial:reject", State.SUBMITTED, {"reject-message": f"Nee: {payload}"}),
        ("editorial:publish", State.SUBMITTED, {"when": "now", "message": f"Ja: {payload}"}),
        ("editorial:take_down", State.PUBLISHED, {"takedown-message": f"Weg: {payload}"}),
    ]
    for name, state, data in posts:
        article = make_article(contributor, state)
        response = editor_client.post(reverse(name, args=[article.pk]), data)
        assert response.status_code == 302, name
        event = article.events.latest("pk")
        assert event.message, name
        assert_plain(event.message)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_conversation_messages_and_notes_store_no_markup(
    payload: str,
    make_article: ArticleBuilder,
    contributor: User,
    contributor_client: Client,
    editor_client: Client,
) -> None:
    article = make_article(contributor, State.CHANGES_REQUESTED)
    posts = [
        (contributor_client, "articles:conversation", {"body": f"Antwoord: {payload}"}),
        (editor_client, "editorial:message", {"message-body": f"Vraag: {payload}"}),
        (editor_client, "editorial:note", {"note-body": f"Intern: {payload}"}),
        (contributor_client, "articles:resubmit", {"note": f"Opnieuw: {payload}"}),
    ]
    for client, name, data in posts:
        assert client.post(reverse(name, args=[article.pk]), data).status_code == 302, name
    for body in Message.objects.values_list("body", flat=True):
        assert_plain(body)
    assert_plain(article.events.latest("pk").message)
    for text in Notification.objects.values_list("text", flat=True):
        assert_plain(text)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_conversation_pages_and_emails_stay_inert(
    payload: str,
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    contributor_client: Client,
    editor_client: Client,
) -> None:
    """Raw markup in a message and a note (as the Django admin could store it) shows as text."""
    from podium.articles import notifications

    article = make_article(contributor, State.SUBMITTED)
    Message.objects.create(article=article, author=editor, body=payload)
    Message.objects.create(article=article, author=editor, body=payload, is_internal=True)
    Notification.objects.create(
        recipient=contributor,
        article=article,
        actor=editor,
        kind="message",
        text=payload,
        due_at=timezone.now(),
    )
    pages = {
        "conversation": contributor_client.get(reverse("articles:conversation", args=[article.pk])),
        "review": editor_client.get(reverse("editorial:review", args=[article.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_inert(response.content.decode())
    assert notifications.deliver_due(contributor.pk) == 1
    (sent,) = mail.outbox
    assert_inert(sent.alternatives[0][0])


# --- What is shown -------------------------------------------------------------------------------


def _store_raw(user: User, article: Article, payload: str) -> None:
    """Put the payload, unfiltered, into every plain-text field, as the Django admin could."""
    User.objects.filter(pk=user.pk).update(
        display_name=f"Anna {payload}"[:100],
        job_title=payload[:100],
        organisation=payload[:100],
        bio=payload,
    )
    Article.objects.filter(pk=article.pk).update(title=payload[:120], lead=payload)
    ArticleEvent.objects.filter(article=article).update(message=payload)


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_pages_stay_inert(
    payload: str,
    make_article: ArticleBuilder,
    contributor: User,
    contributor_client: Client,
    editor_client: Client,
    anonymous_client: Client,
) -> None:
    body = f"<p>Een gewone alinea.</p>{payload}"
    published = make_article(contributor, State.PUBLISHED, body=body)
    changes = make_article(contributor, State.CHANGES_REQUESTED, body=body)
    for article in (published, changes):
        _store_raw(contributor, article, payload)
    published.refresh_from_db()

    pages = {
        "article": anonymous_client.get(published.get_absolute_url()),
        "author": anonymous_client.get(reverse("web:author", args=[contributor.slug])),
        "home": anonymous_client.get(reverse("web:home")),
        "topic": anonymous_client.get(published.topics.get().get_absolute_url()),
        "preview": contributor_client.get(reverse("articles:preview", args=[published.pk])),
        "dashboard": contributor_client.get(reverse("articles:dashboard")),
        "editor": contributor_client.get(reverse("articles:edit", args=[changes.pk])),
        "desk": editor_client.get(reverse("editorial:desk")),
        "review": editor_client.get(reverse("editorial:review", args=[changes.pk])),
        "review-published": editor_client.get(reverse("editorial:review", args=[published.pk])),
        "editor-edit": editor_client.get(reverse("editorial:edit", args=[published.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_rejected_forms_echo_the_input_inertly(
    payload: str, contributor_client: Client, topics: list[Topic]
) -> None:
    # Too many topics: the form comes back with everything that was typed, escaped.
    data = _form(topics, payload, topics=[t.pk for t in topics], save="")
    response = contributor_client.post(reverse("articles:create"), data)
    assert response.status_code == 200
    assert_inert(response.content.decode())
    response = contributor_client.post(
        reverse("accounts:profile"), {"display_name": payload, "bio": payload, "website": payload}
    )
    assert response.status_code == 200
    assert_inert(response.content.decode())


@pytest.mark.parametrize("payload", CORPUS, ids=IDS)
def test_emails_stay_inert(
    payload: str,
    make_article: ArticleBuilder,
    contributor: User,
    editor: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = make_article.draft(contributor)
    _store_raw(contributor, article, payload)
    Article.objects.filter(pk=article.pk).update(
        title=f"Titel {payload}"[:120], lead=f"Lead {payload}"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_article(article=article, by=contributor, terms=statement())
        services.request_changes(article=article, by=editor, message=f"Graag: {payload}")
    assert len(mail.outbox) == 3  # the editors' notice, the acknowledgement, the request
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert_inert(html)
