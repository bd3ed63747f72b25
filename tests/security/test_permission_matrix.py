"""The permission matrix: every action Podium offers, for every persona, with the answer expected.

`MATRIX` below is the table. Each row is one action (method and URL, with placeholders for the
ids of the world built once for this module) and the answer each persona gets, in the column
order of `PERSONAS`. Adding an action is adding one line.

What a cell's word means:

    ok    200           204   204 (no content)     go    302, the action was done (to `to=`)
    301   a permanent redirect (the favicon to its static file)
    login 302 to the sign-in page                  mfa   302 to the second factor's set-up
    no    302 back with a message; refused, nothing written (a state that does not allow it)
    400, 403, 404, 405  that status; refused, nothing written

Every refusal (login, mfa, no, 4xx) is tried again, each time in a savepoint that is rolled back:

- with another person's ids (the `ALT` twin of each placeholder, owned by someone who is none of
  the personas): the same answer;
- with every other verb: still refused;
- with extra fields a form never offers (`state`, `author`, `published_at`, `featured`, `role`,
  `is_staff`, …): the same answer;

and after each of those, every row of every table is compared, field by field, with the rows
before it (sessions aside): nothing may have changed. A GET never writes either. An action that is
allowed is also sent the extra fields: they may not change an article's state, author or
publication time, nor anyone's roles, beyond what the plain request changes.

The world is built once per module through the product's own services and every request runs in
a savepoint that is rolled back, so a cell sees the same world as every other cell.
"""

from __future__ import annotations

import copy
import datetime
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from PIL import Image

from podium.accounts import roles
from podium.accounts import services as accounts
from podium.accounts.models import User
from podium.accounts.photos import process_photo
from podium.annotations import services as annotations
from podium.articles import coauthors, conversation, previews
from podium.articles import services as articles
from podium.articles.models import Article, CoAuthor
from podium.bestof import services as bestof
from podium.bestof.models import Compilation
from podium.editorial import services as editorial
from podium.editorial.models import Placement
from podium.images import services as images
from podium.moderation import services as moderation
from podium.moderation.models import SpamFlag
from podium.newsletter import services as newsletter
from podium.newsletter import tokens
from podium.newsletter.models import Edition
from podium.topics.models import Topic

from ..podium_helpers import PASSWORD, ArticleBuilder, make_user, sign_in, statement

PERSONAS = (
    "anon", "noprofile", "author", "other", "trusted", "editor0", "editor", "admin", "coauthor"
)  # fmt: skip
# anon       not signed in
# noprofile  signed in, no name and no "Over de auteur" yet
# author     the contributor who wrote every article in the world (except the ALT twins)
# other      another contributor
# trusted    a trusted contributor (published at once)
# editor0    an editor without a second factor (the second factor is required here)
# editor     an editor with a second factor
# admin      an administrator (superuser) with a second factor
# coauthor   a contributor who accepted the author's invitation to the draft, the submission and
#            the published article: in their byline, not their author. A row of eight answers
#            leaves this column out: the co-author answers as the other contributor does.

# Where a signed-in person lands: staff on the desk, everyone else on their own articles.
HOME = {
    persona: "/redactie/" if persona in ("editor0", "editor", "admin") else "/profiel/activiteiten/"
    for persona in PERSONAS
}
REFUSED = {"login", "mfa", "no", "400", "403", "404", "405"}
STATUS = {"ok": 200, "204": 204, "400": 400, "403": 403, "404": 404, "405": 405}
VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Fields no form offers; sent along, they must change nothing the form does not change.
EXTRA = {
    "state": "published",
    "published_at": "2020-01-01 10:00",
    "featured": "on",
    "role": roles.EDITORS,
    "is_staff": "on",
    "is_superuser": "on",
    "is_trusted": "on",
}
IGNORED_TABLES = {"accounts_session", "django_session"}
ARTICLE_TEXT = {"title": "Een titel", "lead": "Een lead.", "body": "<p>Tekst.</p>"}
ADMIN_USER_FORM = {
    "email": "bram@example.org",
    "display_name": "Bram Jansen",
    "slug": "bram",
    "bio": "Bram schrijft.",
    "is_active": "on",
    "role": "contributor",
    "date_joined_0": "2026-01-01",
    "date_joined_1": "10:00:00",
}
# Derived data a page may compute on first sight and keep (the editors' assistant's report and
# the fingerprints it compares): a cache, not a change. Only an allowed GET may write them.
# Opening a preview link is recorded on the link (first, last, how often): the author sees it.
DERIVED_TABLES = {
    "editorial_assistantreport",
    "editorial_fingerprint",
    "editorial_fingerprintband",
    "articles_previewlink",
}


@dataclass(frozen=True)
class Action:
    method: str
    url: str
    answers: str  # one word per persona, in PERSONAS order
    data: dict[str, Any] = field(default_factory=dict)
    json: Any = None  # a JSON body instead of form fields
    to: str | dict[str, str] = ""  # where an allowed action leads (per persona), if it matters
    # The extra fields are this form's own (the admin's user form has is_staff, is_superuser).
    own_fields: bool = False

    @property
    def cells(self) -> dict[str, str]:
        words = self.answers.split()
        if len(words) == len(PERSONAS) - 1:
            words.append(words[PERSONAS.index("other")])
        assert len(words) == len(PERSONAS), f"{self.method} {self.url}: {len(words)} answers"
        return dict(zip(PERSONAS, words, strict=True))


def A(method: str, url: str, answers: str, **kwargs: Any) -> Action:
    return Action(method, url, answers, **kwargs)


# fmt: off
MATRIX: list[Action] = [
    #                                                              anon  noprof author other trust ed0  editor admin
    # --- the public site ----------------------------------------------------------------------------
    A("GET",  "/",                                                "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/podium/",                                         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/podium/{published_slug}/",                        "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/podium/{submitted_slug}/",                        "404   404   404   404   404   404   404   404"),
    A("GET",  "/onderwerpen/",                                    "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/onderwerpen/{topic}/",                            "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/auteurs/{author_slug}/",                          "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/auteurs/{unpublished_slug}/",                     "404   404   404   404   404   404   404   404"),
    A("GET",  "/zoeken/?q=werk",                                  "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/feed/",                                           "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/feed/atom/",                                      "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/onderwerpen/{topic}/feed/atom/",                  "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/auteurs/{author_slug}/feed/",                     "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/onderwerpen/{topic}/feed/",                       "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/auteurs/{author_slug}/feed/atom/",                "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/sitemap.xml",                                     "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/sitemap-{sitemap_section}.xml",                     "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/robots.txt",                                      "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/privacy/",                                        "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/gezondheid/",                                     "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/health/",                                         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/i18n/setlang/",                                   "go    go    go    go    go    go    go    go",
      data={"language": "en", "next": "/"}),
    A("GET",  "/media/authors/2026/{someone_id}.jpg",             "404   404   404   404   404   404   404   404"),
    A("GET",  "/auteurs/",                                        "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/schrijven/",                                      "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/favicon.ico",                                     "301   301   301   301   301   301   301   301"),
    A("GET",  "/manifest.webmanifest",                            "ok    ok    ok    ok    ok    ok    ok    ok"),
    # a photo: public where its owner's public page shows it, else only to its owner and editors
    A("GET",  "/fotos/{public_photo}",                            "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/fotos/{private_photo}",                           "404   ok    404   404   404   ok    ok    ok"),
    A("GET",  "/artikel/{published_slug}/melden/",                "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/artikel/{published_slug}/melden/",                "go    go    go    go    go    go    go    go",
      data={"reason": "advertising", "message": "Reclame."}),
    A("POST", "/artikel/{submitted_slug}/melden/",                "404   404   404   404   404   404   404   404",
      data={"reason": "advertising", "message": "Reclame."}),
    A("POST", "/lezers/signaal/",                                 "204   204   204   204   204   204   204   204",
      data={"article": "{published}", "signal": "view"}),
    A("POST", "/lezers/signaal/",                                 "404   404   404   404   404   404   404   404",
      data={"article": "{submitted}", "signal": "view"}),
    A("POST", "/csp-rapport/",                                    "204   204   204   204   204   204   204   204",
      json={"csp-report": {"document-uri": "https://podium.example/", "violated-directive": "script-src"}}),
    # --- the newsletter, public side ----------------------------------------------------------------
    A("GET",  "/nieuwsbrief/",                                    "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/nieuwsbrief/bedankt/",                            "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/",                                    "go    go    go    go    go    go    go    go",
      data={"email": "nieuw@example.net", "consent": "on", "source": "page"}),
    A("GET",  "/nieuwsbrief/bevestigen/{confirm_token}/",         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/bevestigen/{confirm_token}/",         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/nieuwsbrief/bevestigen/ongeldig/",                "400   400   400   400   400   400   400   400"),
    A("GET",  "/nieuwsbrief/afmelden/{unsubscribe_token}/",       "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/afmelden/{unsubscribe_token}/",       "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/afmelden/{unsubscribe_token}/opnieuw/", "ok  ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/afmelden/ongeldig/opnieuw/",          "400   400   400   400   400   400   400   400"),
    A("GET",  "/nieuwsbrief/mijn-gegevens/",                      "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/mijn-gegevens/",                      "go    go    go    go    go    go    go    go",
      data={"email": "lezer@example.net"}),
    A("GET",  "/nieuwsbrief/mijn-gegevens/verstuurd/",            "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/afmelden/ongeldig/",                  "400   400   400   400   400   400   400   400"),
    A("GET",  "/nieuwsbrief/mijn-gegevens/{data_token}/",         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/mijn-gegevens/{data_token}/download/", "ok   ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/nieuwsbrief/mijn-gegevens/ongeldig/verwijderen/", "400   400   400   400   400   400   400   400"),
    A("POST", "/nieuwsbrief/mijn-gegevens/{data_token}/abonnement/", "go  go    go    go    go    go    go    go",
      data={"action": "unsubscribe"}),
    A("POST", "/nieuwsbrief/mijn-gegevens/ongeldig/abonnement/",  "400   400   400   400   400   400   400   400",
      data={"action": "unsubscribe"}),
    A("POST", "/nieuwsbrief/profiel/",                            "login go    go    go    go    go    go    go"),
    A("GET",  "/nieuwsbrief/archief/",                            "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/nieuwsbrief/archief/{sent_edition}/",             "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/nieuwsbrief/archief/{edition}/",                  "404   404   404   404   404   404   404   404"),
    # the provider's webhook: a forged bounce without the webhook's credentials is refused
    A("POST", "/nieuwsbrief/esp/mailgun/tracking/",               "400   400   400   400   400   400   400   400",
      data={"event": "failed", "recipient": "lezer@example.net"}),
    # --- signing in, the account (allauth and Podium's own doors) ---------------------------------
    A("GET",  "/account/login/",                                  "ok    go    go    go    go    go    go    go", to=HOME),
    A("POST", "/account/login/",                                  "ok    go    go    go    go    go    go    go", to=HOME,
      data={"login": "anna@example.org", "password": "fout-wachtwoord"}),
    A("GET",  "/account/reauthenticate/",                         "login ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/account/2fa/authenticate/",                       "login go    go    go    go    go    go    go", to=HOME),
    A("GET",  "/account/2fa/reauthenticate/",                     "login go    go    go    go    go    ok    ok",
      to="/account/reauthenticate/"),
    A("GET",  "/account/email/",                                  "login ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/account/password/change/",                        "login ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/account/signup/",                                 "ok    go    go    go    go    go    go    go", to=HOME),
    A("POST", "/account/logout/",                                 "go    go    go    go    go    go    go    go", to="/"),
    A("GET",  "/profiel/adres-terugzetten/{undo_token}/",         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/adres-terugzetten/{undo_token}/",         "ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/adres-terugzetten/ongeldig/",             "400   400   400   400   400   400   400   400"),
    # --- the contributor's own pages ----------------------------------------------------------------
    A("GET",  "/profiel/",                                        "login ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/",                                        "login go    go    go    go    go    go    go",
      data={"display_name": "Naam", "bio": "Schrijft."}),
    A("GET",  "/profiel/mijn-gegevens/",                          "login ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/mijn-gegevens/download/",                 "login ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/mijn-gegevens/nieuwsbrief/download/",     "login ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/mijn-gegevens/nieuwsbrief/verwijderen/",  "login go    go    go    go    go    go    go",
      data={"confirm": "on"}),
    A("GET",  "/profiel/activiteiten/",                           "login ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/profiel/activiteiten/nieuw/",                     "login ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/activiteiten/nieuw/",                     "login go    go    go    go    go    go    go",
      data={**ARTICLE_TEXT, "save": ""}),
    A("POST", "/profiel/activiteiten/nieuw/autosave/",            "login ok    ok    ok    ok    ok    ok    ok",
      data=ARTICLE_TEXT),
    A("GET",  "/profiel/activiteiten/nieuw/importeren/",          "login ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/profiel/activiteiten/{draft}/",                   "login 404   ok    404   404   404   404   404   ok"),
    A("POST", "/profiel/activiteiten/{draft}/",                   "login 404   go    404   404   404   404   404   go",
      data={**ARTICLE_TEXT, "version": "{draft_version}", "save": ""}),
    A("POST", "/profiel/activiteiten/{draft}/autosave/",          "login 404   ok    404   404   404   404   404   ok",
      data={**ARTICLE_TEXT, "version": "{draft_version}"}),
    A("GET",  "/profiel/activiteiten/{draft}/importeren/",        "login 404   ok    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{draft}/importeren/",        "login 404   ok    404   404   404   404   404",
      data={"text": "Titel\n\nDe lead.\n\nDe tekst."}),
    A("GET",  "/profiel/activiteiten/{draft}/voorbeeld/",         "login 404   ok    404   404   404   404   404   ok"),
    A("GET",  "/profiel/activiteiten/{submitted}/voorbeeld/",     "login 404   ok    404   404   404   404   404   ok"),
    A("POST", "/profiel/activiteiten/{draft}/indienen/",          "login 404   go    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{published}/indienen/",      "login 404   no    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{submitted}/intrekken/",     "login 404   go    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{published}/offline/",       "login 404   go    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{offline}/heropenen/",       "login 404   go    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{changes}/",                 "login 404   go    404   404   404   404   404",
      data={**ARTICLE_TEXT, "version": "{changes_version}", "save": ""}),
    A("GET",  "/profiel/activiteiten/{draft}/afbeelding/",        "login 404   ok    404   404   404   404   404"),
    A("GET",  "/profiel/activiteiten/{submitted}/afbeelding/",    "login 404   ok    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{draft}/afbeelding/",        "login 404   400   404   404   404   404   404",
      data={"alt_text": "Een foto", "licence": "own"}),
    A("POST", "/profiel/activiteiten/{draft}/afbeelding/gegevens/", "login 404 go    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{draft}/afbeelding/verwijderen/", "login 404 go  404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{submitted}/afbeelding/verwijderen/", "login 404 no 404 404  404   404   404"),
    A("POST", "/profiel/activiteiten/afbeelding/",                "login 400   400   400   400   400   400   400",
      data={"alt_text": "Een foto", "licence": "own"}),
    # the conversation with the editors (issue #18): the author's side, their versions, deleting a draft
    # (the co-author shares the conversation with the author: they read it and answer in it)
    A("GET",  "/profiel/activiteiten/{submitted}/gesprek/",       "login 404   ok    404   404   404   404   404  ok"),
    A("POST", "/profiel/activiteiten/{changes}/gesprek/",         "login 404   go    404   404   404   404   404",
      data={"body": "Ik heb de inleiding ingekort."}),
    A("POST", "/profiel/activiteiten/{draft}/gesprek/",           "login 404   no    404   404   404   404   404  no",
      data={"body": "Hallo redactie?"}),
    A("POST", "/profiel/activiteiten/{changes}/opnieuw-indienen/", "login 404  go    404   404   404   404   404",
      data={"note": "Korter nu."}),
    A("GET",  "/profiel/activiteiten/{submitted}/versies/",       "login 404   ok    404   404   404   404   404"),
    A("GET",  "/profiel/activiteiten/{draft}/verwijderen/",       "login 404   ok    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{draft}/verwijderen/",       "login 404   go    404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{submitted}/verwijderen/",   "login 404   no    404   404   404   404   404"),
    A("POST", "/profiel/meldingen/",                              "login go    go    go    go    go    go    go",
      data={"notify": "daily", "email_language": "en"}),
    A("GET",  "/profiel/activiteiten/{draft}/afbeeldingen/{draft_figure}/", "login 404 ok  404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/{draft}/afbeeldingen/{draft_figure}/", "login 404 go  404   404   404   404   404",
      data={"alt_text": "Een grafiek van de vacatures", "licence": "own"}),
    A("POST", "/profiel/activiteiten/{submitted}/afbeeldingen/{sub_figure}/", "login 404 no 404  404   404   404   404",
      data={"alt_text": "Een grafiek van de vacatures", "licence": "own"}),
    # co-authors and preview links (issue #18): the author invites and removes, the co-author
    # writes until submission and may leave; a preview link opens for anyone holding it
    #                                                              anon  noprof author other trust ed0  editor admin coauth
    A("GET",  "/profiel/activiteiten/{draft}/coauteurs/",         "login 404   ok    404   404   404   404   404   ok"),
    A("POST", "/profiel/activiteiten/{draft}/coauteurs/",         "login 404   go    404   404   404   404   404   no",
      data={"email": "nieuw-lid@example.net", "language": "nl"}),
    A("POST", "/profiel/activiteiten/{submitted}/coauteurs/",     "login 404   no    404   404   404   404   404   no",
      data={"email": "nieuw-lid@example.net", "language": "nl"}),
    A("POST", "/profiel/activiteiten/{draft}/coauteurs/{coauthor_row}/verwijderen/",
                                                                  "login 404   go    404   404   404   404   404   no"),
    A("POST", "/profiel/activiteiten/{draft}/coauteurs/{invited_row}/verwijderen/",
                                                                  "login 404   go    404   404   404   404   404   no"),
    A("POST", "/profiel/activiteiten/{draft}/coauteurs/verlaten/", "login 404  no    404   404   404   404   404   go"),
    A("GET",  "/profiel/activiteiten/uitnodiging/{invitation_token}/", "ok   ok    ok    ok    ok    ok    ok    ok    ok"),
    A("POST", "/profiel/activiteiten/uitnodiging/{invitation_token}/", "no   no    no    go    no    no    no    no    no",
      data={"answer": "accept"}),
    A("POST", "/profiel/activiteiten/uitnodiging/{invitation_token}/", "go   no    no    go    no    no    no    no    no",
      data={"answer": "decline"}),
    A("GET",  "/profiel/activiteiten/uitnodiging/1:ongeldig/",    "404   404   404   404   404   404   404   404   404"),
    A("GET",  "/profiel/activiteiten/{draft}/inzage/",            "login 404   ok    404   404   404   404   404   ok"),
    A("POST", "/profiel/activiteiten/{draft}/inzage/",            "login 404   ok    404   404   404   404   404   ok",
      data={"label": "Juridische zaken", "days": "7"}),
    A("POST", "/profiel/activiteiten/{draft}/inzage/{preview_link}/intrekken/",
                                                                  "login 404   go    404   404   404   404   404   go"),
    A("GET",  "/inzage/{preview_token}/versie-{preview_number}/", "ok    ok    ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/inzage/{preview_token}/versie-99/",               "404   404   404   404   404   404   404   404   404"),
    A("GET",  "/inzage/{revoked_token}/versie-{preview_number}/", "404   404   404   404   404   404   404   404   404"),
    A("GET",  "/profiel/activiteiten/statistieken/",              "login ok    ok    ok    ok    ok    ok    ok"),
    A("GET",  "/profiel/activiteiten/statistieken/{published}/",  "login 404   ok    404   404   404   404   404   ok"),
    # comments and suggestions, the author's side (podium.annotations; the rules: annotations/rules.py)
    A("POST", "/profiel/activiteiten/opmerkingen/artikel/{changes}/opmerking/", "login 404 go  404   404   404   404   404",
      data={"next": "/profiel/activiteiten/{changes}/", "comment-quote": "Teams die leren", "comment-body": "Klopt."},
      to="/profiel/activiteiten/"),
    A("POST", "/profiel/activiteiten/opmerkingen/artikel/{submitted}/opmerking/", "login 404 go 404 404 404 404   404   go",
      data={"comment-quote": "Teams die leren", "comment-body": "Klopt."}),
    # a draft with a co-author is shared among its writers (the editors do not see drafts)
    A("POST", "/profiel/activiteiten/opmerkingen/artikel/{draft}/opmerking/", "login 404 go  404   404   404   404   404   go",
      data={"comment-quote": "Teams die leren", "comment-body": "Klopt."}),
    A("POST", "/profiel/activiteiten/opmerkingen/artikel/{published}/opmerking/", "login 404 no 404 404   404   404   404   no",
      data={"comment-quote": "Teams die leren", "comment-body": "Klopt."}),
    A("POST", "/profiel/activiteiten/opmerkingen/draad/{thread}/antwoord/", "login 404 go    404   404   404   404   404",
      data={"reply-{thread}-body": "Dank u."}),
    A("POST", "/profiel/activiteiten/opmerkingen/draad/{thread}/afgehandeld/", "login 404 go 404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/opmerkingen/draad/{thread}/heropenen/", "login 404 go  404   404   404   404   404"),
    A("POST", "/profiel/activiteiten/opmerkingen/voorstel/{suggestion}/aannemen/", "login 404 go 404  404   404   404   404"),
    A("POST", "/profiel/activiteiten/opmerkingen/voorstel/{suggestion}/afwijzen/", "login 404 go 404  404   404   404   404"),
    A("POST", "/profiel/activiteiten/opmerkingen/voorstel/{sub_suggestion}/aannemen/", "login 404 no 404 404 404  404   404   no"),
    # --- the editors' desk --------------------------------------------------------------------------
    A("GET",  "/redactie/",                                       "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/artikel/{submitted}/",                   "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/artikel/{draft}/",                       "login 403   403   403   403   mfa   404   404"),
    A("POST", "/redactie/artikel/{submitted}/publiceren/",        "login 403   403   403   403   mfa   go    go",
      data={"when": "now", "message": ""}),
    A("POST", "/redactie/artikel/{draft}/publiceren/",            "login 403   403   403   403   mfa   404   404",
      data={"when": "now", "message": ""}),
    A("POST", "/redactie/artikel/{submitted}/wijzigingen/",       "login 403   403   403   403   mfa   go    go",
      data={"changes-message": "Graag korter."}),
    A("POST", "/redactie/artikel/{submitted}/afwijzen/",          "login 403   403   403   403   mfa   go    go",
      data={"reject-message": "Past niet."}),
    A("POST", "/redactie/artikel/{published}/offline/",           "login 403   403   403   403   mfa   go    go",
      data={"takedown-message": "Klacht."}),
    # the conversation, internal notes and claiming (issue #18): the desk's side
    A("GET",  "/redactie/?mine=on",                               "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/artikel/{submitted}/gesprek/",           "login 403   403   403   403   mfa   go    go",
      data={"message-body": "Mooi stuk; één vraag."}),
    A("POST", "/redactie/artikel/{draft}/gesprek/",               "login 403   403   403   403   mfa   404   404",
      data={"message-body": "Hallo?"}),
    A("POST", "/redactie/artikel/{submitted}/notitie/",           "login 403   403   403   403   mfa   go    go",
      data={"note-body": "Lijkt op een stuk van mei."}),
    A("POST", "/redactie/artikel/{submitted}/oppakken/",          "login 403   403   403   403   mfa   go    go"),
    A("POST", "/redactie/artikel/{claimed}/oppakken/",            "login 403   403   403   403   mfa   no    no"),
    A("POST", "/redactie/artikel/{claimed}/overnemen/",           "login 403   403   403   403   mfa   go    go"),
    A("POST", "/redactie/artikel/{submitted}/overnemen/",         "login 403   403   403   403   mfa   no    no"),
    A("GET",  "/redactie/artikel/{submitted}/afbeelding/",        "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/artikel/{draft}/afbeelding/",            "login 403   403   403   403   mfa   404   404"),
    A("POST", "/redactie/artikel/{submitted}/afbeelding/",        "login 403   403   403   403   mfa   400   400",
      data={"alt_text": "Een foto", "licence": "own"}),
    A("POST", "/redactie/artikel/{submitted}/afbeelding/gegevens/", "login 403 403   403   403   mfa   go    go"),
    A("POST", "/redactie/artikel/{submitted}/afbeelding/verwijderen/", "login 403 403 403   403   mfa   go    go"),
    A("GET",  "/redactie/artikel/{submitted}/afbeeldingen/{sub_figure}/", "login 403 403 403 403  mfa   ok    ok"),
    A("GET",  "/redactie/artikel/{draft}/afbeeldingen/{draft_figure}/", "login 403 403 403   403   mfa   404   404"),
    A("POST", "/redactie/artikel/{submitted}/afbeeldingen/{sub_figure}/", "login 403 403 403 403  mfa   go    go",
      data={"alt_text": "Een grafiek van de vacatures", "licence": "own"}),
    A("GET",  "/redactie/artikel/{submitted}/bewerken/",          "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/artikel/{submitted}/bewerken/",          "login 403   403   403   403   mfa   go    go",
      data={**ARTICLE_TEXT, "topics": "{topic_id}", "version": "{submitted_version}", "note": ""}),
    A("POST", "/redactie/artikel/{published2}/voorpagina/",       "login 403   403   403   403   mfa   go    go"),
    A("POST", "/redactie/artikel/{published}/kiezen/bestof/",     "login 403   403   403   403   mfa   go    go"),
    A("POST", "/redactie/artikel/{published}/niet-kiezen/newsletter/", "login 403 403 403   403   mfa   go    go"),
    A("POST", "/redactie/artikel/{published}/gezien/",            "login 403   403   403   403   mfa   go    go"),
    # comments and suggestions, the editors' side (404 to everyone who is not an editor)
    A("POST", "/redactie/opmerkingen/artikel/{submitted}/opmerking/", "login 404 404  404   404   mfa   go    go",
      data={"next": "/redactie/artikel/{submitted}/", "comment-quote": "Teams die leren", "comment-body": "Mooi."},
      to="/redactie/artikel/"),
    A("POST", "/redactie/opmerkingen/artikel/{draft}/opmerking/", "login 404   404   404   404   mfa   404   404",
      data={"comment-quote": "Teams die leren", "comment-body": "Mooi."}),
    A("POST", "/redactie/opmerkingen/artikel/{published}/opmerking/", "login 404 404  404   404   mfa   no    no",
      data={"comment-quote": "Teams die leren", "comment-body": "Mooi."}),
    A("POST", "/redactie/opmerkingen/artikel/{submitted}/voorstel/", "login 404 404   404   404   mfa   go    go",
      data={"suggestion-quote": "Teams die leren", "suggestion-change": "replace", "suggestion-replacement": "Wie leert"}),
    A("POST", "/redactie/opmerkingen/draad/{thread}/antwoord/",   "login 404   404   404   404   mfa   go    go",
      data={"reply-{thread}-body": "Graag gedaan."}),
    A("POST", "/redactie/opmerkingen/draad/{thread}/afgehandeld/", "login 404  404   404   404   mfa   go    go"),
    A("POST", "/redactie/opmerkingen/draad/{thread}/heropenen/",  "login 404   404   404   404   mfa   go    go"),
    A("GET",  "/redactie/voorpagina/",                            "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/voorpagina/volgorde/",                   "login 403   403   403   403   mfa   go    go",
      data={"order": "{placement}", "seen": "{placement}"}),
    A("POST", "/redactie/voorpagina/{placement}/verplaatsen/",    "login 403   403   403   403   mfa   go    go",
      data={"direction": "down", "seen": "{placement}"}),
    A("POST", "/redactie/voorpagina/{placement}/verwijderen/",    "login 403   403   403   403   mfa   go    go"),
    A("GET",  "/redactie/voorpagina/{placement}/tijden/",         "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/voorpagina/{placement}/tijden/",         "login 403   403   403   403   mfa   go    go",
      data={"starts_at": "", "ends_at": ""}),
    A("GET",  "/redactie/licentie/",                              "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/licentie/",                              "login 403   403   403   403   mfa   go    go",
      data={"text": "Ik verleen Podium het recht deze tekst online, in de nieuwsbrief en in druk te publiceren."}),
    A("GET",  "/redactie/statistieken/",                          "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/medewerkers/",                           "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/medewerkers/{other_id}/",                "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/medewerkers/{other_id}/",                "login 403   403   403   403   mfa   go    go",
      data={"trust": "grant", "reason": "Goed werk."}),
    A("POST", "/redactie/meldingen/{report}/afgehandeld/",        "login 403   403   403   403   mfa   go    go"),
    A("POST", "/redactie/spam/{spam_flag}/opgeheven/",            "login 403   403   403   403   mfa   go    go"),
    # --- the newsletter desk ------------------------------------------------------------------------
    A("GET",  "/redactie/nieuwsbrief/",                           "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/nieuwsbrief/nieuw/",                     "login 403   403   403   403   mfa   go    go"),
    A("GET",  "/redactie/nieuwsbrief/abonnees.csv",               "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/nieuwsbrief/importeren/",                "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/nieuwsbrief/{edition}/",                 "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/nieuwsbrief/{edition}/opslaan/",         "login 403   403   403   403   mfa   go    go",
      data={"subject": "Deze week", "intro": "Hallo."}),
    A("POST", "/redactie/nieuwsbrief/{edition}/toevoegen/",       "login 403   403   403   403   mfa   go    go",
      data={"article": "{published2}"}),
    A("POST", "/redactie/nieuwsbrief/{edition}/verwijderen/",     "login 403   403   403   403   mfa   go    go",
      data={"item": "{edition_item}"}),
    A("POST", "/redactie/nieuwsbrief/{edition}/verplaatsen/",     "login 403   403   403   403   mfa   go    go",
      data={"item": "{edition_item}", "direction": "up"}),
    A("POST", "/redactie/nieuwsbrief/{edition}/inplannen/",       "login 403   403   403   403   mfa   go    go",
      data={"send_at": "2099-01-01T10:00", "confirmed": "1"}),
    A("POST", "/redactie/nieuwsbrief/{edition}/niet-inplannen/",  "login 403   403   403   403   mfa   no    no"),
    A("GET",  "/redactie/nieuwsbrief/{edition}/voorbeeld/",       "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/nieuwsbrief/{edition}/voorbeeld.txt",    "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/nieuwsbrief/{edition}/test/",            "login 403   403   403   403   mfa   go    go"),
    A("POST", "/redactie/nieuwsbrief/{edition}/verzenden/",       "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/nieuwsbrief/{edition}/verzenden/",       "login 403   403   403   403   mfa   go    go",
      data={"confirmed": "1"}),
    A("POST", "/redactie/nieuwsbrief/{sent_edition}/verzenden/",  "login 403   403   403   403   mfa   no    no",
      data={"confirmed": "1"}),
    A("GET",  "/redactie/nieuwsbrief/{edition}/voortgang.json",   "login 403   403   403   403   mfa   ok    ok"),
    # --- Het beste van Podium -----------------------------------------------------------------------
    A("GET",  "/redactie/beste-van/",                             "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/beste-van/nieuw/",                       "login 403   403   403   403   mfa   go    go",
      data={"title": "Het beste van 2026", "period_start": "2026-01-01", "period_end": "2026-06-30"}),
    A("GET",  "/redactie/beste-van/{compilation}/",               "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/beste-van/{compilation}/bewerken/",      "login 403   403   403   403   mfa   go    go",
      data={"title": "Het beste", "period_start": "2026-01-01", "period_end": "2026-12-31"}),
    A("GET",  "/redactie/beste-van/{compilation}/artikelen/",     "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/beste-van/{compilation}/artikelen/",     "login 403   403   403   403   mfa   go    go",
      data={"articles": "{published}", "position-{published}": "1"}),
    A("GET",  "/redactie/beste-van/{compilation}/voorbeeld/",     "login 403   403   403   403   mfa   ok    ok"),
    A("POST", "/redactie/beste-van/{compilation}/bouwen/",        "login 403   403   403   403   mfa   go    go"),
    A("GET",  "/redactie/beste-van/{compilation}/status/",        "login 403   403   403   403   mfa   ok    ok"),
    A("GET",  "/redactie/beste-van/{compilation}/download/epub/", "404   404   404   404   404   mfa   ok    ok"),
    A("GET",  "/redactie/beste-van/{compilation}/download/exe/",  "404   404   404   404   404   mfa   404   404"),
    A("POST", "/redactie/beste-van/{compilation}/definitief/",    "login 403   403   403   403   mfa   go    go"),
    # --- the Django admin ---------------------------------------------------------------------------
    A("GET",  "/beheer/",                                         "login login login login login mfa   login ok"),
    A("GET",  "/beheer/accounts/user/{other_id}/change/",         "login login login login login mfa   login ok"),
    A("POST", "/beheer/accounts/user/{other_id}/change/",         "login login login login login mfa   login go",
      data=ADMIN_USER_FORM, own_fields=True),
    A("GET",  "/beheer/articles/article/{submitted}/change/",     "login login login login login mfa   login ok"),
    A("POST", "/beheer/articles/article/{submitted}/change/",     "login login login login login mfa   login 403",
      data={"body": "<script>alert(1)</script>", "state": "published"}),
    A("GET",  "/beheer/accounts/auditevent/",                     "login login login login login mfa   login ok"),
]
# fmt: on

# Every placeholder's twin: the same kind of thing, owned by someone who is none of the personas.
ALT = {
    "draft": "alt_draft",
    "submitted": "alt_submitted",
    "published": "alt_published",
    "published2": "alt_published",
    "changes": "alt_changes",
    "offline": "alt_offline",
    "published_slug": "alt_published_slug",
    "other_id": "someone_id",
    "placement": "alt_placement",
    "edition": "alt_edition",
    "compilation": "alt_compilation",
    "private_photo": "alt_private_photo",
    "thread": "alt_thread",
    "suggestion": "alt_suggestion",
    "sub_suggestion": "alt_suggestion",
    "draft_figure": "alt_draft_figure",
    "sub_figure": "alt_sub_figure",
    "coauthor_row": "alt_coauthor_row",
    "invited_row": "alt_coauthor_row",
    "preview_link": "alt_preview_link",
}


# --- The world, built once ------------------------------------------------------------------------


def _photo() -> Any:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 200)).save(out, "JPEG")
    return process_photo(
        SimpleUploadedFile("portret.jpg", out.getvalue(), content_type="image/jpeg")
    )


def _give_totp(user: User) -> None:
    TOTP.activate(user, generate_totp_secret())


def _join(article: Article, author: User, person: User) -> CoAuthor:
    invitation = coauthors.invite_coauthor(
        article=article, by=author, email=person.email, language="nl"
    )
    return coauthors.accept_invitation(invitation=invitation, by=person)


def _build_world() -> tuple[dict[str, User], dict[str, str]]:
    topics = [Topic.objects.create(name=n, slug=n.lower()) for n in ("Werk", "Zorg")]
    people = {
        "noprofile": make_user("dirk@example.org"),
        "author": make_user(
            "anna@example.org", display_name="Anna de Vries", bio="Anna schrijft.", slug="anna"
        ),
        "other": make_user(
            "bram@example.org", display_name="Bram Jansen", bio="Bram schrijft.", slug="bram"
        ),
        "trusted": make_user(
            "carla@example.org", display_name="Carla", bio="Carla.", slug="carla", is_trusted=True
        ),
        "editor0": make_user("eef@example.org", display_name="Eef Redacteur"),
        "editor": make_user("eva@example.org", display_name="Eva Redacteur"),
        "admin": User.objects.create_superuser("beheer@example.org", PASSWORD),
        "coauthor": make_user(
            "cor@example.org", display_name="Cor Coauteur", bio="Cor schrijft mee.", slug="cor"
        ),
    }
    people["admin"].emailaddress_set.create(email="beheer@example.org", verified=True, primary=True)
    someone = make_user("fenna@example.org", display_name="Fenna", bio="Fenna.", slug="fenna")
    for name in ("editor0", "editor"):
        people[name].role = roles.EDITORS
        people[name].save(update_fields=["role"])
    for name in ("editor", "admin"):
        _give_totp(people[name])
    editor = User.objects.get(pk=people["editor"].pk)
    build = ArticleBuilder(editor=editor, topics=topics)
    S = Article.State
    mine = {s: build(people["author"], S.DRAFT) for s in (S.DRAFT, S.SUBMITTED, S.PUBLISHED)}
    for article in mine.values():  # the co-author joins each while it is a draft
        _join(article, people["author"], people["coauthor"])
    coauthor_row = CoAuthor.objects.get(article=mine[S.DRAFT], user=people["coauthor"])
    invited_row = coauthors.invite_coauthor(
        article=mine[S.DRAFT], by=people["author"], email=people["other"].email, language="nl"
    )
    articles.submit_article(article=mine[S.SUBMITTED], by=people["author"], terms=statement())
    articles.submit_article(article=mine[S.PUBLISHED], by=people["author"], terms=statement())
    articles.publish_article(article=mine[S.PUBLISHED], by=editor)
    mine = {s: Article.objects.get(pk=a.pk) for s, a in mine.items()}
    shared = previews.create_preview_link(article=mine[S.DRAFT], by=people["author"])
    revoked = previews.create_preview_link(article=mine[S.DRAFT], by=people["author"])
    previews.revoke_preview_link(link=revoked.link, by=people["author"])
    theirs = {s: build(someone, s) for s in (S.DRAFT, S.SUBMITTED, S.PUBLISHED)}
    # A picture in the text of each draft and submission (the relation the services keep in step
    # with the body; added directly, so the texts and their versions stay as built).
    figures = {}
    for name, owner, article in (
        ("draft_figure", people["author"], mine[S.DRAFT]),
        ("sub_figure", people["author"], mine[S.SUBMITTED]),
        ("alt_draft_figure", someone, theirs[S.DRAFT]),
        ("alt_sub_figure", someone, theirs[S.SUBMITTED]),
    ):
        out = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 60, 40)).save(out, "JPEG")
        figures[name] = images.upload_image(
            by=owner,
            upload=SimpleUploadedFile("grafiek.jpg", out.getvalue(), content_type="image/jpeg"),
            details=images.ImageDetails(alt_text="Een grafiek"),
        )
        article.figure_images.add(figures[name])
    alt_coauthor_row = _join(theirs[S.DRAFT], someone, make_user("hanna@example.org"))
    alt_preview = previews.create_preview_link(article=theirs[S.DRAFT], by=someone)
    published2 = build(people["author"], S.PUBLISHED)
    changes = build(people["author"], S.CHANGES_REQUESTED)
    offline = build(people["author"], S.OFFLINE)
    alt_changes = build(someone, S.CHANGES_REQUESTED)
    # A submission another editor (none of the personas) handles: to take over, not to claim.
    claimed = build(people["author"], S.SUBMITTED)
    hans = make_user("hans@example.org", display_name="Hans Redacteur", role=roles.EDITORS)
    conversation.claim(article=claimed, by=hans)
    alt_offline = build(someone, S.OFFLINE)
    passage = {"quote": "Teams die leren, winnen.", "change": "replace", "replacement": "Wie leert"}
    thread = annotations.comment_on(article=changes, by=editor, quote="Teams", body="Wie?")
    suggestion = annotations.suggest(article=changes, by=editor, **passage)
    sub_suggestion = annotations.suggest(article=mine[S.SUBMITTED], by=editor, **passage)
    alt_thread = annotations.comment_on(article=alt_changes, by=editor, quote="Teams", body="Wie?")
    alt_suggestion = annotations.suggest(article=alt_changes, by=editor, **passage)
    gijs = make_user("gijs@example.org", display_name="Gijs", bio="Gijs.", slug="gijs")
    for owner in (someone, people["noprofile"], gijs):  # someone has a public page, they do not
        accounts.update_profile(user=owner, by=owner, data={"photo": _photo()})

    placement = editorial.place_on_home(article=mine[S.PUBLISHED], by=editor)
    alt_placement = editorial.place_on_home(article=theirs[S.PUBLISHED], by=editor)
    editorial.pick_article(article=mine[S.PUBLISHED], kind="newsletter", by=editor)
    report = moderation.report_article(
        article=mine[S.PUBLISHED], reason="advertising", message="Reclame.", by=None, client_key="x"
    )
    spam_flag = SpamFlag.objects.create(article=mine[S.SUBMITTED], reasons=["links"])

    sent = newsletter.create_edition(by=editor)
    newsletter.update_edition(edition=sent, subject="Vorige week", intro="Hallo.", by=editor)
    newsletter.start_sending(edition=sent, by=editor)
    Edition.objects.filter(pk=sent.pk).update(
        status=Edition.Status.SENT, finished_at=timezone.now()
    )
    edition = newsletter.create_edition(by=editor)
    newsletter.update_edition(edition=edition, subject="Deze week", intro="Hallo.", by=editor)
    item = newsletter.add_item(edition=edition, article=mine[S.PUBLISHED], by=editor)
    alt_edition = newsletter.create_edition(by=editor)

    today = datetime.date.today()
    compilation = bestof.create_compilation(
        by=editor, title="Het beste", period_start=today.replace(month=1, day=1), period_end=today
    )
    compilation.epub.save("beste.epub", ContentFile(b"PK epub"), save=True)
    Compilation.objects.filter(pk=compilation.pk).update(build_status=Compilation.BuildStatus.DONE)
    alt_compilation = bestof.create_compilation(
        by=editor, title="Ander", period_start=today.replace(month=1, day=1), period_end=today
    )

    change = accounts.record_email_change(
        user=someone, from_email="fenna-oud@example.org", to_email="fenna@example.org"
    )
    pending = newsletter.subscribe(email="nieuw-lid@example.net", consent_text="Ja", source="page")
    reader = newsletter.subscribe(email="lezer@example.net", consent_text="Ja", source="page")
    newsletter.confirm(token=tokens.make_confirm_token(reader.pk, reader.email))

    ids = {
        "draft": mine[S.DRAFT].pk,
        "submitted": mine[S.SUBMITTED].pk,
        "published": mine[S.PUBLISHED].pk,
        "published2": published2.pk,
        "changes": changes.pk,
        "claimed": claimed.pk,
        "offline": offline.pk,
        "alt_draft": theirs[S.DRAFT].pk,
        "alt_submitted": theirs[S.SUBMITTED].pk,
        "alt_published": theirs[S.PUBLISHED].pk,
        "alt_changes": alt_changes.pk,
        "alt_offline": alt_offline.pk,
        "published_slug": mine[S.PUBLISHED].slug,
        "alt_published_slug": theirs[S.PUBLISHED].slug,
        "submitted_slug": mine[S.SUBMITTED].slug,
        "draft_version": mine[S.DRAFT].version,
        "changes_version": changes.version,
        "submitted_version": mine[S.SUBMITTED].version,
        "topic": topics[0].slug,
        "sitemap_section": "artikelen",
        "topic_id": topics[0].pk,
        "author_slug": "anna",
        "unpublished_slug": "fenna-zonder-stukken",
        "other_id": people["other"].pk,
        "someone_id": someone.pk,
        "public_photo": User.objects.get(pk=someone.pk).photo.name.removeprefix("photos/"),
        "private_photo": User.objects.get(pk=people["noprofile"].pk).photo.name.removeprefix(
            "photos/"
        ),
        "alt_private_photo": User.objects.get(pk=gijs.pk).photo.name.removeprefix("photos/"),
        "thread": thread.pk,
        "alt_thread": alt_thread.pk,
        "suggestion": suggestion.pk,
        "sub_suggestion": sub_suggestion.pk,
        "alt_suggestion": alt_suggestion.pk,
        "placement": placement.pk,
        "alt_placement": alt_placement.pk,
        "report": report.pk,
        "spam_flag": spam_flag.pk,
        "edition": edition.pk,
        "alt_edition": alt_edition.pk,
        "edition_item": item.pk,
        "sent_edition": sent.pk,
        "compilation": compilation.pk,
        "alt_compilation": alt_compilation.pk,
        "confirm_token": tokens.make_confirm_token(pending.pk, pending.email),
        "unsubscribe_token": tokens.make_unsubscribe_token(reader.pk),
        "data_token": tokens.make_data_token(reader.pk, reader.email),
        "undo_token": accounts.undo_token(change),
        **{name: image.pk for name, image in figures.items()},
        "coauthor_row": coauthor_row.pk,
        "invited_row": invited_row.pk,
        "alt_coauthor_row": alt_coauthor_row.pk,
        "invitation_token": coauthors.invitation_token(invited_row),
        "preview_link": shared.link.pk,
        "alt_preview_link": alt_preview.link.pk,
        "preview_token": shared.token,
        "preview_number": shared.link.revision.number,
        "revoked_token": revoked.token,
    }
    assert not Placement.objects.filter(pk=0).exists()
    return people, {key: str(value) for key, value in ids.items()}


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[dict[str, User], dict[str, str]]]:
    """Built once, inside a transaction that is rolled back when the module is done."""

    private, media = tmp_path_factory.mktemp("private"), tmp_path_factory.mktemp("media")
    saved = (settings.PODIUM_PRIVATE_ROOT, settings.MEDIA_ROOT)
    settings.PODIUM_PRIVATE_ROOT, settings.MEDIA_ROOT = private, media
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            people, ids = _build_world()
            yield people, {**ids, "_media": str(media), "_private": str(private)}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.PODIUM_PRIVATE_ROOT, settings.MEDIA_ROOT = saved


@pytest.fixture
def matrix_settings(settings: Any, world: Any) -> None:
    settings.PODIUM_STAFF_MFA_REQUIRED = True
    settings.PODIUM_ESP = "mailgun"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "gebruiker:geheim", "MAILGUN_API_KEY": "x"}
    settings.MEDIA_ROOT = world[1]["_media"]  # where the world's files are
    settings.PODIUM_PRIVATE_ROOT = world[1]["_private"]


# --- Asking and comparing -------------------------------------------------------------------------


Rows = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.db_table not in IGNORED_TABLES
        }
    )


def _rows() -> Rows:
    """Every row of every table (sessions aside), every column: plain SQL, as it is stored."""
    found = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608 (our own table names)
            columns = [c[0] for c in cursor.description]
            found[table] = (columns, cursor.fetchall())
    return found


def _changes(before: Rows, *, derived_allowed: bool = False) -> list[str]:
    changed = []
    for table, (columns, rows) in _rows().items():
        if derived_allowed and table in DERIVED_TABLES:
            continue
        old_rows = before[table][1]
        if rows != old_rows:
            old, new = {repr(r): r for r in old_rows}, {repr(r): r for r in rows}
            for key in sorted(old.keys() - new.keys())[:3]:
                changed.append(f"{table}: was {dict(zip(columns, old[key], strict=True))}")
            for key in sorted(new.keys() - old.keys())[:3]:
                changed.append(f"{table}: now {dict(zip(columns, new[key], strict=True))}")
    return changed


def _guarded() -> dict[str, Any]:
    """What extra fields might try to change: articles' state, author and publication time,
    people's roles."""
    return {
        "articles": list(
            Article.objects.order_by("pk").values_list("pk", "state", "author_id", "published_at")
        ),
        "people": list(
            User.objects.order_by("pk").values_list(
                "pk", "role", "is_staff", "is_superuser", "is_trusted", "is_active"
            )
        ),
        "authenticators": Authenticator.objects.count(),
    }


def _fill(template: str, ids: dict[str, str]) -> str:
    return template.format(**ids)


@dataclass(frozen=True)
class Request:
    what: str  # "" for the row itself, else the variation
    method: str
    url: str
    data: dict[str, Any]
    body: Any = None


def _request(action: Action, ids: dict[str, str], **changes: Any) -> Request:
    data = {
        _fill(k, ids): _fill(v, ids) if isinstance(v, str) else v for k, v in action.data.items()
    }
    request = Request("", action.method, _fill(action.url, ids), data, action.json)
    return replace(request, **changes)


def _ask(client: Client, request: Request) -> Any:
    if request.body is not None:
        return client.generic(
            request.method, request.url, json.dumps(request.body), content_type="application/json"
        )
    if request.method == "GET":
        query = urlencode(request.data, doseq=True)
        return client.get(
            request.url + (("&" if "?" in request.url else "?") + query if query else "")
        )
    if request.method == "POST":
        return client.post(request.url, request.data)
    return client.generic(
        request.method,
        request.url,
        urlencode(request.data, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )


def _word(response: Any, expected: str) -> str:
    """The answer in the table's words."""
    status = response.status_code
    if status == 302:
        location = response["Location"]
        if location.startswith(("/account/login/", "/beheer/login/")):
            return "login"
        if location.startswith("/account/2fa/"):
            return "mfa"
        return expected if expected in ("go", "no") else "go"
    return {200: "ok", 204: "204"}.get(status, str(status))


def _rolled_back(client: Client, work: Callable[[], Any]) -> Any:
    """`work` in a savepoint that is rolled back: every cell sees the same world, and the client
    keeps its session (an answer that signs it out, or a new session key, is undone too)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        try:
            return work()
        finally:
            transaction.set_rollback(True)
            cache.clear()  # rate limits start afresh for every cell
            client.cookies = cookies


def _variations(action: Action, ids: dict[str, str]) -> list[Request]:
    """A refusal, tried again: another person's ids, every other verb, extra fields."""
    plain = _request(action, ids)
    alt_ids = {**ids, **{name: ids[twin] for name, twin in ALT.items()}}
    found = [plain]
    if _fill(action.url, alt_ids) != plain.url:
        found.append(_request(action, alt_ids, what="another person's ids"))
    found += [
        replace(plain, what=f"as {verb}", method=verb) for verb in VERBS if verb != action.method
    ]
    extra = {**EXTRA, "author": ids["someone_id"]}
    found.append(replace(plain, what="with extra fields", data={**plain.data, **extra}))
    return found


def _cell(
    client: Client, persona: str, action: Action, ids: dict[str, str], baseline: Rows
) -> list[str]:
    """Ask for one cell (and, for a refusal, its variations). Returns what is wrong."""
    expected = action.cells[persona]
    label = f"{persona:9} {action.method} {action.url}"
    if expected in REFUSED:
        return _refusal(client, action, ids, label, expected, baseline)

    request = _request(action, ids)

    def allowed() -> tuple[Any, list[str], dict[str, Any]]:
        response = _ask(client, request)
        written = _changes(baseline, derived_allowed=True) if action.method == "GET" else []
        return response, written, _guarded()

    response, written, guarded_plain = _rolled_back(client, allowed)
    got = _word(response, expected)
    if got != expected:
        return [f"{label}: expected {expected}, got {got} ({response.status_code})"]
    problems = [f"{label}: a GET wrote " + "; ".join(written[:4])] if written else []
    target = action.to.get(persona, "") if isinstance(action.to, dict) else action.to
    if expected == "go" and target and not response["Location"].startswith(target):
        problems.append(f"{label}: went to {response['Location']}, not {target}")
    if action.method != "GET" and action.json is None and not action.own_fields:
        problems += _extra_fields_change_nothing(client, request, ids, label, guarded_plain)
    return problems


def _refusal(
    client: Client, action: Action, ids: dict[str, str], label: str, expected: str, baseline: Rows
) -> list[str]:
    """The refusal and its variations in one savepoint, then every row compared once; only when
    something was written are they asked again one by one, to say which one wrote it."""
    requests = _variations(action, ids)

    session = client.cookies.get(settings.SESSION_COOKIE_NAME)

    def ask_all() -> tuple[list[tuple[Request, Any]], list[str]]:
        answers = []
        for request in requests:
            answers.append((request, _ask(client, request)))
            if client.cookies.get(settings.SESSION_COOKIE_NAME) != session:
                return [], []  # signed out: the rest would ask as someone else
        return answers, _changes(baseline)

    answers, written = _rolled_back(client, ask_all)
    if not answers:  # one by one, each in a savepoint of its own and with its own session
        answers, written = [], []
        for request in requests:
            response, wrote = _rolled_back(
                client, lambda request=request: (_ask(client, request), _changes(baseline))
            )
            answers.append((request, response))
            written += wrote
    problems = []
    for request, response in answers:
        what = f"{label} {request.what}".rstrip()
        got = _word(response, expected)
        if response.status_code >= 500:
            problems.append(f"{what}: {response.status_code}")
        elif request.what.startswith("as "):
            # Another verb never does the action (a GET may show the page the action is on).
            if response.status_code == 302 and got not in REFUSED:
                problems.append(f"{what}: answered {response['Location']}")
        elif request.what == "another person's ids" and expected in ("no", "400", "405"):
            if got not in REFUSED:  # refused for its state, so for its owner: refused anyhow
                problems.append(f"{what}: not refused ({response.status_code})")
        elif got != expected:
            problems.append(f"{what}: expected {expected}, got {got} ({response.status_code})")
    if written:
        for request in requests:
            wrote = _rolled_back(
                client, lambda request=request: (_ask(client, request), _changes(baseline))[1]
            )
            if wrote:
                what = f"{label} {request.what}".rstrip()
                problems.append(f"{what} was refused, yet wrote: " + "; ".join(wrote[:4]))
    return problems


def _extra_fields_change_nothing(
    client: Client, request: Request, ids: dict[str, str], label: str, guarded_plain: dict[str, Any]
) -> list[str]:
    """An allowed action sent extra fields changes the guarded fields no more than without."""
    guarded_before = _guarded()
    extra = replace(request, data={**request.data, **EXTRA, "author": ids["someone_id"]})
    guarded_extra = _rolled_back(client, lambda: (_ask(client, extra), _guarded())[1])
    return [
        f"{label} with extra fields changed {key}"
        for key, before in guarded_before.items()
        if guarded_plain[key] == before and guarded_extra[key] != before
    ]


def _client(person: User | None) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a finding, not a crash
    return client if person is None else sign_in(client, person)


# --- The tests ------------------------------------------------------------------------------------


def test_every_row_has_an_answer_for_every_persona() -> None:
    for action in MATRIX:
        assert set(action.cells.values()) <= REFUSED | {"ok", "204", "301", "go"}, action
    rows = {(a.method, a.url, repr(a.data), repr(a.json)) for a in MATRIX}
    assert len(rows) == len(MATRIX), "a row appears twice"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(persona: str, world: Any, matrix_settings: None) -> None:
    people, ids = world
    person = people.get(persona)
    client = _client(person)
    baseline = _rows()
    problems = []
    for action in MATRIX:
        problems += _cell(client, persona, action, ids, baseline)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    routes = []
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith(("beheer/", "account/", "nieuwsbrief/esp/")):
                continue  # the admin, allauth and the providers' webhooks: rows of their own
            routes.extend(_routes(entry.url_patterns, pattern))
        elif isinstance(entry, URLPattern):
            routes.append(pattern)
    return routes


def test_every_route_has_a_row() -> None:
    """A new view without a row in the matrix fails here: add its line."""
    covered = {resolve(re.sub(r"\{\w+\}", "1", a.url).split("?")[0]).route for a in MATRIX}
    missing = [route for route in _routes(get_resolver().url_patterns) if route not in covered]
    assert not missing, "routes without a row in MATRIX:\n" + "\n".join(missing)
