"""The desk's product rules: the same for every deployment, so constants, not settings.

Tests that need another value patch them here; code reads them through the module
(`rules.HOME_SLOTS`)."""

from __future__ import annotations

# The home page: the lead slot and N further placements; the assistant's limits for a title and
# a lead shown there.
HOME_SLOTS = 5
HOME_TITLE_MAX_CHARS = 90
HOME_LEAD_MAX_CHARS = 250
# Automatic trust (publish at once, reviewed afterwards): this many published articles, all of
# the most recent ones published, and an account at least this old.
TRUST_MIN_PUBLISHED = 3
TRUST_RECENT_WINDOW = 5
TRUST_MIN_ACCOUNT_DAYS = 30
# The assistant's self-promotion signals and its originality warning.
SELF_PROMOTION_MAX_OWN_LINKS = 1
SELF_PROMOTION_MAX_OWN_SHARE = 50  # percent of the outbound links
SELF_PROMOTION_MAX_ORG_MENTIONS = 3
ORIGINALITY_WARN_PERCENT = 30
