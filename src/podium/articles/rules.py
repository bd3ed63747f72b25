"""The article's product rules: the same for every deployment, so constants, not settings.

Tests that need another value patch them here (`monkeypatch.setattr(rules, ...)`); code reads
them through the module (`rules.BODY_MAX_CHARS`), never copies them at import time."""

from __future__ import annotations

BODY_MAX_CHARS = 8000  # a submitted article's text, in characters (drafts may run over)
TITLE_MAX_CHARS = 120
LEAD_MAX_CHARS = 400
WORDS_PER_MINUTE = 220  # reading time
# The editors' promise to contributors: a decision within this many hours (the desk flags what is
# older; the confirmation e-mail and "Write for Podium" state it in days).
REVIEW_SLA_HOURS = 48
IMPORT_MAX_BYTES = 5 * 1024 * 1024  # a Word, text or Markdown file to import
