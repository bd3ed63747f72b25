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

# Co-authors (articles.coauthors): an invitation can be answered this many days; an article has at
# most this many co-authors and open invitations together; an author sends at most this many
# invitations a day (each is an e-mail to an address they typed).
COAUTHOR_INVITATION_DAYS = 14
COAUTHORS_MAX = 5
COAUTHOR_INVITATIONS_PER_DAY = 20
# Preview links (articles.previews): valid this many days unless the author says otherwise, and
# never longer than the maximum.
PREVIEW_LINK_DAYS = 7
PREVIEW_LINK_MAX_DAYS = 30
