"""Spam and abuse limits for an open sign-up. A new account (no accepted article yet, not trusted)
may submit only a few articles a day, each with only a few links; every submission is also
scanned for configured spam terms and for many links to one domain, which flags it for the
editors (the flag itself lives in podium.moderation, which listens to the article hook)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.accounts.models import User

from .models import Article, ArticleEvent

# Spam resistance (product rules, the same everywhere): a new account (before its first
# published article) submits at most this many articles a day with at most this many links;
# these terms, or this many links to one domain, flag a submission for the editors.
NEW_ACCOUNT_SUBMISSIONS_PER_DAY = 2
NEW_ACCOUNT_MAX_LINKS = 3
SPAM_TERMS = ("casino", "viagra", "crypto-winst", "gegarandeerd rijk", "bitcoin verdubbelen")
SPAM_SAME_DOMAIN_LINKS = 3

_HREF = re.compile(r"""<a\s[^>]*href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def links(html: str) -> list[str]:
    return _HREF.findall(html or "")


def is_new_account(user: User) -> bool:
    """Until an editor has accepted one of their articles (or trusts them), an account is new."""
    if user.is_trusted or user.is_editor:
        return False
    return not Article.objects.filter(author=user, published_at__isnull=False).exists()


def new_account_problems(article: Article) -> list[str]:
    """What a new account may not do with this submission (empty: allowed)."""
    author = article.author
    if not is_new_account(author):
        return []
    problems = []
    per_day = NEW_ACCOUNT_SUBMISSIONS_PER_DAY
    since = timezone.now() - timedelta(days=1)
    submitted = ArticleEvent.objects.filter(
        article__author=author, action=ArticleEvent.Action.SUBMIT, at__gte=since
    ).count()
    if submitted >= per_day:
        problems.append(
            ngettext(
                "New contributors can submit %(limit)d article a day. Try again tomorrow.",
                "New contributors can submit %(limit)d articles a day. Try again tomorrow.",
                per_day,
            )
            % {"limit": per_day}
        )
    max_links = NEW_ACCOUNT_MAX_LINKS
    found = len(links(article.body))
    if found > max_links:
        problems.append(
            _(
                "The text has %(count)d links; until your first article is published the limit is %(limit)d."
            )
            % {"count": found, "limit": max_links}
        )
    return problems


def spam_signals(article: Article) -> list[str]:
    """Why this submission looks like spam (empty: it does not). Terms come from settings."""
    reasons = []
    text = f"{article.title} {article.lead} {article.body}".lower()
    for term in SPAM_TERMS:
        if term.lower() in text:
            reasons.append(_("Contains the spam term “%(term)s”.") % {"term": term})
    domains = Counter(urlsplit(url).hostname or "" for url in links(article.body))
    domains.pop("", None)
    for domain, count in domains.items():
        if count >= SPAM_SAME_DOMAIN_LINKS:
            reasons.append(_("%(count)d links to %(domain)s.") % {"count": count, "domain": domain})
    return reasons
