"""Writing the index. It holds one row per *published* article (scheduled ones included: queries
filter on the publication time) and is written in the same transaction as the change that makes
it stale: `lifecycle.record`, the writer of every state change and editor's edit, calls
`index_article()` after the write; changes an article's row does not show but its document does (an author's or a topic's
name) call `reindex_articles()`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.models import QuerySet

from ..models import Article
from . import postgresql, sqlite
from .base import TABLE, Backend, backend
from .text import Document, IndexRow, document_for


def document_of(article: Article) -> Document:
    return document_for(
        title=article.title,
        lead=article.lead,
        body_html=article.body,
        author=" ".join(person.display_name for person in article.authors),
        topics=[t.name for t in article.topics.all()],
        topic_ids=[t.pk for t in article.topics.all()],
    )


def write_documents(documents: Sequence[tuple[int, datetime.datetime, Document]]) -> None:
    """Index these (article id, publication time, document) triples as they are, replacing what
    the index held for them: for bulk loads that have the text at hand (`podium seed`)."""
    found = backend()
    if found is not None and documents:
        found.write([IndexRow.of(pk, at, document) for pk, at, document in documents])


def _row(article: Article) -> IndexRow:
    assert article.published_at is not None  # a published article has its time (a constraint)
    return IndexRow.of(article.pk, article.published_at, document_of(article))


def _published(pks: Iterable[int] | None = None) -> QuerySet[Article]:
    rows = Article.objects.filter(state=Article.State.PUBLISHED)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return rows.with_byline().prefetch_related("topics").order_by("pk")


def index_article(article: Article) -> None:
    """Bring the index in line with `article` as stored now: a published article is (re)indexed,
    any other is removed. Call it inside the transaction that changed the article."""
    reindex_articles([article.pk])


def reindex_articles(pks: Iterable[int], batch_size: int = 500) -> int:
    """`index_article` for many articles at once: each published one is rewritten, every other
    (unpublished, or deleted meanwhile) is removed. For changes the article row does not show but
    its document does: the author's name, a topic's name, a deleted account. Call it inside the
    transaction that made the change. Returns the number of articles written."""
    found = backend()
    if found is None:
        return 0
    ids = sorted(set(pks))
    written = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        rows = list(_published(chunk))
        found.write([_row(a) for a in rows])
        kept = {a.pk for a in rows}
        found.delete([pk for pk in chunk if pk not in kept])
        written += len(rows)
    return written


def purge_removed_entries() -> int:
    """Make what was removed or re-indexed gone from the index's storage, not only from its
    answers (after an account deletion). Its cost grows with the index: a background task, in
    short steps (returns how many). Not inside a transaction."""
    found = backend()
    return 0 if found is None else found.purge_removed()


def rebuild_index(batch_size: int = 2000) -> int:
    """Rebuild the whole index from the articles (after bulk imports or seeding). Returns the
    number of indexed articles."""
    found = backend()
    if found is None:
        return 0
    found.clear()
    found.bulk_started()
    total, last_pk = 0, 0
    try:
        while True:
            batch = list(_published().filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                return total
            found.write([_row(a) for a in batch])
            total += len(batch)
            last_pk = batch[-1].pk
    finally:
        found.bulk_finished()


def recreate(schema_editor: BaseDatabaseSchemaEditor, articles: QuerySet[Any]) -> None:
    """For migrations: drop the index table, create it in the current layout and index the
    published `articles` (the migration's historical model) in it."""
    vendor = schema_editor.connection.vendor
    found: Backend
    if vendor == "sqlite":
        found, create = sqlite, [sqlite.CREATE]  # type: ignore[assignment]
    elif vendor == "postgresql":
        found, create = postgresql, postgresql.CREATE  # type: ignore[assignment]
    else:
        return
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    for sql in create:
        schema_editor.execute(sql)
    published = (
        articles.filter(state="published")
        .select_related("author")
        .prefetch_related("topics")
        .order_by("pk")
    )
    batch: list[IndexRow] = []
    for a in published.iterator(chunk_size=500):
        topics = list(a.topics.all())
        document = document_for(
            title=a.title,
            lead=a.lead,
            body_html=a.body,
            author=a.author.display_name,
            topics=[t.name for t in topics],
            topic_ids=[t.pk for t in topics],
        )
        batch.append(IndexRow.of(a.pk, a.published_at, document))
        if len(batch) == 500:
            found.write(batch)
            batch = []
    found.write(batch)
