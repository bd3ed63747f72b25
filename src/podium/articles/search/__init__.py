"""Full-text search over published articles, Dutch-aware, the same answers on SQLite and on
PostgreSQL. One interface, one module per concern:

- `text`: folding, words, Dutch stems and the index tokens of a text (`compounds`: the parts of
  Dutch compounds);
- `index`: writing the index in the transaction that changes an article (`index_article`,
  `reindex_articles`, `rebuild_index`, `write_documents`, `purge_removed_entries`);
- `results`: a reader's query in bounded work: the newest matches, the most relevant of them
  first, counted up to a limit, kept as the caller says (`Keep`: the delivery layer's cache); snippets;
- `sqlite` (FTS5) and `postgresql` (tsvector + GIN): the only places that know each database's
  search SQL, with the article tables' names from the models (`base`).

Callers import this package only: `from podium.articles import search`.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import Filters, backend
from .index import (
    document_of,
    index_article,
    purge_removed_entries,
    rebuild_index,
    reindex_articles,
    write_documents,
)
from .results import (
    COUNT_LIMIT,
    Hit,
    Keep,
    SearchResults,
    has_terms,
    mark_terms,
    render_snippet,
    search,
)
from .text import (
    MARK_END,
    MARK_START,
    STOP_WORDS,
    Document,
    Term,
    document_for,
    fold,
    query_terms,
    stem,
    stemmed,
    tokens,
    words,
)


def similar_matches(stems: Sequence[str], *, floor: int, exclude: int) -> list[tuple[int, int]]:
    """(index of the stem, article id) for each indexed article with id ≥ `floor`, other than
    `exclude`, whose title, lead, author or topics hold the stem ("read more")."""
    found = backend()
    return [] if found is None else found.in_title_or_meta(stems, floor=floor, exclude=exclude)


__all__ = [
    "COUNT_LIMIT",
    "MARK_END",
    "MARK_START",
    "STOP_WORDS",
    "Document",
    "Filters",
    "Hit",
    "Keep",
    "SearchResults",
    "Term",
    "document_for",
    "document_of",
    "fold",
    "has_terms",
    "index_article",
    "mark_terms",
    "purge_removed_entries",
    "query_terms",
    "rebuild_index",
    "reindex_articles",
    "render_snippet",
    "search",
    "similar_matches",
    "stem",
    "stemmed",
    "tokens",
    "words",
    "write_documents",
]
