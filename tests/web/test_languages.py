"""English has its own addresses: every public page in Dutch where it always was and in English
under /en/, each naming the other (hreflang), a switch that stays on the page, English topic
names, and a sitemap with both. Pages with one address (the desk, sign-in) follow the cookie."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from podium.articles.models import Article
from podium.topics.models import Topic

pytestmark = pytest.mark.django_db

P = Article.State.PUBLISHED
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def public_pages(make_article: Any, contributor: Any, topics: list[Topic]) -> list[str]:
    article = make_article(contributor, P, topics=[topics[2]])
    return [
        reverse("web:home"),
        reverse("web:articles"),
        article.get_absolute_url(),
        reverse("web:topics"),
        topics[2].get_absolute_url(),
        reverse("web:authors"),
        contributor.get_absolute_url(),
        reverse("web:write"),
        reverse("web:search") + "?q=werk",
        reverse("privacy:statement"),
        reverse("newsletter:archive"),
    ]


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_dutch_pages_keep_their_addresses_and_english_ones_live_under_en(
    public_pages: list[str],
) -> None:
    for url in public_pages:
        assert not url.startswith("/en/"), url
        dutch = Client().get(url)
        english = Client().get("/en" + url)
        assert dutch.status_code == english.status_code == 200, url
        assert b'<html lang="nl">' in dutch.content and dutch["Content-Language"] == "nl", url
        assert b'<html lang="en">' in english.content and english["Content-Language"] == "en", url


def test_every_public_page_names_both_addresses_both_ways(public_pages: list[str]) -> None:
    for url in public_pages:
        path = url.split("?")[0]
        expected = {
            "nl": settings.SITE_URL + path,
            "en": settings.SITE_URL + "/en" + path,
            "x-default": settings.SITE_URL + path,
        }
        assert alternates(Client().get(url).content.decode()) == expected, url
        assert alternates(Client().get("/en" + url).content.decode()) == expected, url


def test_pages_with_one_address_name_no_alternates(editor_client: Client) -> None:
    assert alternates(Client().get(reverse("account_login")).content.decode()) == {}
    assert alternates(editor_client.get(reverse("editorial:desk")).content.decode()) == {}


def test_links_on_an_english_page_stay_in_english(public_pages: list[str]) -> None:
    html = Client().get("/en/").content.decode()
    for name in ("web:articles", "web:topics", "web:authors"):
        assert f'href="/en{reverse(name)}"' in html, name


def test_the_switch_keeps_the_page_in_both_directions(public_pages: list[str]) -> None:
    article_url = public_pages[2]
    reader = Client()
    page = reader.get(article_url).content.decode()
    # The switch is a plain form: it works without JavaScript, on the page the reader is on.
    form = re.search(r'<form action="/i18n/setlang/" method="post".*?</form>', page, re.S)
    assert form and f'name="next" type="hidden" value="{article_url}"' in form[0]
    assert 'type="submit"' in form[0]
    to_english = reader.post(reverse("set_language"), {"language": "en", "next": article_url})
    assert to_english.status_code == 302 and to_english["Location"] == "/en" + article_url
    assert to_english.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    to_dutch = reader.post(reverse("set_language"), {"language": "nl", "next": "/en" + article_url})
    assert to_dutch.status_code == 302 and to_dutch["Location"] == article_url
    assert reader.get(article_url).status_code == 200  # Dutch again: no redirect to /en/


def test_the_switch_keeps_the_page_number(public_pages: list[str]) -> None:
    response = Client().post(
        reverse("set_language"), {"language": "en", "next": reverse("web:articles") + "?pagina=2"}
    )
    assert response["Location"] == "/en" + reverse("web:articles") + "?pagina=2"


def test_the_cookie_still_chooses_the_language_of_pages_with_one_address(
    editor_client: Client, public_pages: list[str]
) -> None:
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    desk = editor_client.get(reverse("editorial:desk"))
    assert desk.status_code == 200 and b'<html lang="en">' in desk.content
    login = Client()
    login.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert b'<html lang="en">' in login.get(reverse("account_login")).content
    # A public page is reached at its English address.
    response = login.get(public_pages[3])
    assert response.status_code == 302 and response["Location"] == "/en" + public_pages[3]


def test_topics_are_named_in_english_on_english_pages(
    make_article: Any, contributor: Any, topics: list[Topic]
) -> None:
    leadership = topics[2]
    leadership.name_en = "Leadership"
    leadership.description_en = "Leading people through change."
    leadership.save()
    article = make_article(contributor, P, topics=[leadership, topics[3]])
    english_list = Client().get("/en" + reverse("web:topics")).content.decode()
    assert ">Leadership</a>" in english_list and "Leading people through change." in english_list
    assert ">Zorg</a>" in english_list  # no English name yet: the Dutch one
    assert ">Leiderschap</a>" not in english_list
    english_topic = Client().get("/en" + leadership.get_absolute_url()).content.decode()
    assert "<h1>Leadership</h1>" in english_topic
    english_article = Client().get("/en" + article.get_absolute_url()).content.decode()
    assert ">Leadership</a>" in english_article
    dutch_article = Client().get(article.get_absolute_url()).content.decode()
    assert ">Leiderschap</a>" in dutch_article and "Leadership" not in dutch_article
    # The box under the article was a Dutch msgid, the same in both languages.
    assert "About the author" in english_article and "Over de auteur" not in english_article
    assert "Over de auteur" in dutch_article


def test_english_topic_list_is_in_english_alphabetical_order(topics: list[Topic]) -> None:
    Topic.objects.filter(name="Arbeidsmarkt").update(name_en="Labour market")
    Topic.objects.filter(name="Financiën").update(name_en="Finance")
    Topic.objects.filter(name="Zorg").update(name_en="Healthcare")
    Topic.objects.filter(name="Leiderschap").update(name_en="Leadership")
    html = Client().get("/en" + reverse("web:topics")).content.decode()
    shown = re.findall(r'<a href="/en/onderwerpen/[^"]+/">([^<]+)</a>', html)
    assert shown == ["Finance", "Healthcare", "Labour market", "Leadership"]


def test_editors_give_a_topic_its_english_name_in_the_admin(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:topics_topic_add"),
        {
            "name": "Inkoop",
            "name_en": "Procurement",
            "slug": "inkoop",
            "description": "Inkopen.",
            "description_en": "Buying well.",
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get(slug="inkoop")
    assert (topic.name_en, topic.description_en) == ("Procurement", "Buying well.")


def test_the_data_migration_names_known_topics_in_english(topics: list[Topic]) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("podium.topics.migrations.0002_english_names")
    Topic.objects.create(name="Eigen onderwerp", slug="eigen")
    migration.fill_english(apps, None)
    names = dict(Topic.objects.values_list("name", "name_en"))
    assert names == {
        "Arbeidsmarkt": "Labour market",
        "Financiën": "Finance",
        "Leiderschap": "Leadership",
        "Zorg": "Healthcare",
        "Eigen onderwerp": "",  # left for the editors
    }


def test_sitemap_lists_every_page_in_both_languages(make_article: Any, contributor: Any) -> None:
    article = make_article(contributor, P)
    xml = Client().get("/sitemap-artikelen.xml").content
    urls = ET.fromstring(xml).findall(f"{SM}url")  # noqa: S314 - our own sitemap
    locations = [u.find(f"{SM}loc").text for u in urls]  # type: ignore[union-attr]
    dutch = settings.SITE_URL + article.get_absolute_url()
    english = settings.SITE_URL + "/en" + article.get_absolute_url()
    assert locations == [dutch, english]
    for url in urls:
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert links == {"nl": dutch, "en": english, "x-default": dutch}


def test_a_newsletter_confirmation_keeps_the_language_it_was_asked_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    for prefix, language in (("", "nl"), ("/en", "en")):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(
                prefix + reverse("newsletter:signup"),
                {"email": f"lezer-{language}@example.org", "source": "footer"},
            )
        (message,) = mail.outbox
        link = re.search(r"https?://\S+/nieuwsbrief/bevestigen/\S+/", message.body)
        assert link, message.body
        assert ("/en/nieuwsbrief/" in link[0]) == (language == "en"), link[0]
        assert Client().get(link[0].split("8000", 1)[-1]).status_code in (200, 302)


def test_the_edition_links_to_dutch_pages_whoever_composes_it(
    make_article: Any, contributor: Any
) -> None:
    from django.utils import translation

    from podium.newsletter import rendering

    article = make_article(contributor, P)
    with translation.override("en"):  # an editor who reads the desk in English
        item = type("Item", (), {"title": "", "article": article})()
        snapshot = rendering.item_snapshot(item)  # type: ignore[arg-type]
        unsubscribe = rendering.unsubscribe_url(1)
    assert snapshot["url"] == settings.SITE_URL + article.get_absolute_url()
    assert "/en/" not in unsubscribe


def test_a_test_that_changes_the_default_language_leaves_dutch_addresses_unprefixed(
    settings: Any,
) -> None:
    """The import tests assert against English with LANGUAGE_CODE = "en"; a Dutch address reversed
    meanwhile (an hreflang link) is "/nl/...". Django keeps reverse lookups per active language
    across tests, so once the default is Dutch again, a Dutch reverse must not reuse that prefixed
    address: nothing resolves it (a later test's published article answered 404)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("nl"):
        assert reverse("web:home") == "/nl/"
    settings.LANGUAGE_CODE = "nl"
    with translation.override("nl"):
        home = reverse("web:home")
        assert home == "/"
        assert resolve(home).view_name == "web:home"
