"""The article cards of the list pages (`{% teaser %}`, issue #20): the same HTML the included
template rendered, and always today's data: the topics come as a column of the articles' rows
(`topics_column`), read with every list, so a renamed topic or a new picture shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from podium.accounts.models import User
from podium.articles import services
from podium.articles.listing import Selection
from podium.articles.models import Article, CoAuthor
from podium.delivery.reads import Listing
from podium.images.models import Image
from podium.topics import services as topic_services
from podium.topics.models import Topic

from ..podium_helpers import bulk_publish, give_header_images

pytestmark = pytest.mark.django_db

# The card as an included template rendered it before `{% teaser %}` (includes/teaser.html).
TEMPLATE_CARD = """{% load i18n pictures %}<article class="teaser{% if big %} teaser-lead{% endif %}">
  {% with url=article.get_absolute_url %}{% if article.header_image %}<a href="{{ url }}" class="teaser-picture" tabindex="-1" aria-hidden="true">{% if big %}{% picture article.header_image "wide" lazy=False %}{% else %}{% picture article.header_image "card" %}{% endif %}</a>{% endif %}
  <h{{ level|default:2 }} class="teaser-title"><a href="{{ url }}">{{ article.title }}</a></h{{ level|default:2 }}>{% endwith %}
  <p class="teaser-lead-text">{{ article.lead }}</p>
  <p class="meta">
    {% include "includes/byline.html" with authors=article.authors linked=True %}
    · <time datetime="{{ article.published_at|date:'c' }}">{{ article.published_at|date:"DATE_FORMAT" }}</time>
    · {% blocktranslate count minutes=article.reading_minutes %}{{ minutes }} min read{% plural %}{{ minutes }} min read{% endblocktranslate %}
  </p>
  {% with topics=article.topics.all %}{% if topics %}<ul class="topic-tags" aria-label="{% translate 'Topics' %}">{% for t in topics %}<li><a href="{{ t.get_absolute_url }}">{{ t.label }}</a></li>{% endfor %}</ul>{% endif %}{% endwith %}
</article>
"""


@pytest.fixture
def articles(contributor: User, other_contributor: User, topics: list[Topic]) -> list[Article]:
    """Cards of every kind: with and without a picture, co-written (three names), a title and a
    lead that need escaping, a long read, a topic with an English name."""
    made = bulk_publish(contributor, topics, 5)
    give_header_images(made[:3], by=contributor)
    third = User.objects.create_user(
        email="derde@example.com", password="x", display_name="Derde <Schrijver>"
    )
    for user in (other_contributor, third):
        CoAuthor.objects.create(
            article=made[0],
            user=user,
            email=user.email,
            state=CoAuthor.State.ACCEPTED,
            invited_by=contributor,
            expires_at=made[0].published_at,
            answered_at=made[0].published_at,
        )
    Article.objects.filter(pk=made[1].pk).update(
        title='Wat "kost" <b>dat</b> & wie betaalt?', lead="Lead met <script>", word_count=2500
    )
    Topic.objects.filter(pk=topics[1].pk).update(name_en="Work & Co")
    return made


def _listed(articles: list[Article]) -> list[Article]:
    """The articles as a list page reads them (they are the only ones published)."""
    listed = Listing(Selection(), name="test")[0 : len(articles) + 1]
    assert {a.pk for a in listed} == {a.pk for a in articles}
    return listed


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_card_is_the_html_the_template_rendered(articles: list[Article], language: str):
    tag = Template("{% load cards %}{% teaser article big=big level=level %}")
    template = Template(TEMPLATE_CARD)
    with translation.override(language):
        for article in _listed(articles):
            for big, level in ((False, None), (False, 3), (True, 3)):
                values = {"article": article, "big": big, "level": level}
                expected = template.render(Context(values))
                assert tag.render(Context(values)) == expected
                assert "<script>" not in expected


def test_a_list_reads_its_cards_topics_with_its_articles(articles: list[Article]):
    listed = _listed(articles)
    with CaptureQueriesContext(connection) as queries:
        shown = [[t.label for t in article.card_topics] for article in listed]
    assert len(queries) == 0
    assert shown == [[t.label for t in article.topics.all()] for article in listed]
    assert all(shown)


def _list_pages(article: Article, topic: Topic) -> list[str]:
    return [
        reverse("web:home"),
        reverse("web:articles"),
        topic.get_absolute_url(),
        article.author.get_absolute_url(),
    ]


def test_a_renamed_topic_shows_on_every_list_page(
    articles: list[Article], topics: list[Topic], admin_user: User, anonymous_client: Client
):
    topic = topics[0]  # every article has it
    for url in _list_pages(articles[0], topic):
        assert f">{topic.name}</a></li>" in anonymous_client.get(url).content.decode(), url
    topic.name = "Hernoemd onderwerp"
    topic_services.save_topic(topic=topic, by=admin_user)
    for url in _list_pages(articles[0], topic):
        page = anonymous_client.get(url).content.decode()
        assert ">Hernoemd onderwerp</a></li>" in page, url


def test_a_new_header_image_shows_on_every_list_page(
    articles: list[Article], topics: list[Topic], editor: User, anonymous_client: Client
):
    article = articles[3]  # no picture yet
    before = {
        url: anonymous_client.get(url).content.decode() for url in _list_pages(article, topics[0])
    }
    picture = Image.objects.exclude(variants={}).first()
    assert picture is not None
    services.set_header_image(article=article, by=editor, image=picture)
    for url, page in before.items():
        after = anonymous_client.get(url).content.decode()
        assert after.count('class="teaser-picture"') == page.count('class="teaser-picture"') + 1, (
            url
        )


def test_a_changed_picture_shows_on_every_list_page(
    articles: list[Article], topics: list[Topic], anonymous_client: Client, settings: Any
):
    """An image's variants made anew (new content-hashed names) replace the old ones' URLs."""
    settings.PODIUM_PAGE_CACHE = False  # the cards' own data, not the page cache's invalidation
    image = Article.objects.get(pk=articles[0].pk).header_image
    assert image is not None
    variants = image.variants
    rows = next(iter(variants["sets"]["wide"].values()))
    old = str(rows[0][2])
    new = rows[0][2] = old.replace(".", "-nieuw.", 1)
    Image.objects.filter(pk=image.pk).update(variants=variants)
    for url in _list_pages(articles[0], topics[0]):
        page = anonymous_client.get(url).content.decode()
        assert new in page and f"{old} " not in page, url


# The header picture's caption as an included template rendered it (images/caption.html).
TEMPLATE_CAPTION = (
    "{% load i18n %}{% if image.caption or image.credit %}<figcaption>{{ image.caption }}"
    '{% if image.credit %} <span class="credit">{% translate "Picture" %}: {{ image.credit }}'
    "</span>{% endif %}</figcaption>{% endif %}\n"
)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_article_byline_is_the_html_the_include_rendered(
    articles: list[Article], language: str
):
    tag = Template("{% load cards %}{% byline article %}|{% byline article linked=False %}")
    template = Template(
        '{% include "includes/byline.html" with authors=article.authors linked=True %}|'
        '{% include "includes/byline.html" with authors=article.authors %}'
    )
    with translation.override(language):
        for article in _listed(articles):
            values = {"article": article}
            assert tag.render(Context(values)) == template.render(Context(values))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_caption_is_the_html_the_template_rendered(articles: list[Article], language: str):
    tag = Template("{% load pictures %}{% picture_caption image %}")
    template = Template(TEMPLATE_CAPTION)
    image = Article.objects.get(pk=articles[0].pk).header_image
    assert image is not None
    with translation.override(language):
        for caption, credit in (("", ""), ("Een <b>haven</b>", ""), ("", "ANP & co"), ("A", "B")):
            image.caption, image.credit = caption, credit
            for shown in (image, None):
                values = {"image": shown}
                assert tag.render(Context(values)) == template.render(Context(values))


# "About the author" as the included template rendered it (includes/author_box.html).
TEMPLATE_AUTHOR_BOX = """{% load i18n %}<aside class="author-box" aria-labelledby="author-box-title{{ box_id|default:'' }}">
  {% if author.photo %}<img src="{{ author.photo_url }}" alt="" width="96" height="96" class="author-photo">{% endif %}
  <div>
    <h2 id="author-box-title{{ box_id|default:'' }}">{% translate "About the author" %}</h2>
    <p class="author-name">{% if author.slug and not is_preview %}<a href="{{ author.get_absolute_url }}">{{ author.display_name }}</a>{% else %}{{ author.display_name }}{% endif %}{% if author.byline %}<span class="byline">, {{ author.byline }}</span>{% endif %}</p>
    {% if author.bio %}<p>{{ author.bio }}</p>{% endif %}
  </div>
</aside>
"""


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_author_boxes_are_the_html_the_include_rendered(articles: list[Article], language: str):
    box = Template(TEMPLATE_AUTHOR_BOX)
    tag = Template("{% load cards %}{% author_boxes article preview=is_preview %}")
    first = articles[0].author
    User.objects.filter(pk=first.pk).update(
        job_title="Econoom & <schrijver>",
        organisation="R&D",
        bio='Schrijft "veel"',
        photo="profielfoto/abc.jpg",
    )
    shown = ""
    with translation.override(language):
        for article in _listed(articles):
            for preview in (False, True):
                expected = "".join(
                    box.render(Context({"author": author, "box_id": n, "is_preview": preview}))
                    for n, author in enumerate(article.authors, start=1)
                )
                rendered = tag.render(Context({"article": article, "is_preview": preview}))
                assert rendered == expected
                shown += rendered
    assert 'class="author-photo"' in shown and "R&amp;D" in shown and "&quot;veel&quot;" in shown


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_article_s_topic_tags_are_the_html_the_template_rendered(
    articles: list[Article], language: str
):
    tag = Template("{% load cards %}{% topic_tags topics %}")
    template = Template(
        '{% load i18n %}{% if topics %}<ul class="topic-tags" aria-label="{% translate \'Topics\' %}">'
        '{% for t in topics %}<li><a href="{{ t.get_absolute_url }}">{{ t.label }}</a></li>'
        "{% endfor %}</ul>{% endif %}"
    )
    with translation.override(language):
        for article in articles:
            for topics in (list(article.topics.all()), [], None):
                values = {"topics": topics}
                assert tag.render(Context(values)) == template.render(Context(values))
        assert "Work &amp; Co" in tag.render(Context({"topics": list(Topic.objects.all())})) or (
            language == "nl"
        )
