"""The users of `make bench-load`: readers browsing the public site and writers editing their own
drafts through the real login and edit forms. bench/load.py starts locust on this file; it hands
over the seeded data in $LOAD_DATA (JSON) and collects the writers' log and the figures from
$LOAD_OUT (a directory). See bench/load_check.py for what an accepted save is.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gevent
from load_check import (
    ACCEPTED,
    CONFLICT,
    RACE_BOTH,
    RACE_REFUSED,
    REFUSED,
    SENT,
    STALE_ACCEPTED,
    STALE_REFUSED,
    UNKNOWN,
)
from locust import FastHttpUser, HttpUser, between, events, task
from locust.env import Environment
from locust.stats import StatsEntry

DATA: dict[str, Any] = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
READERS = int(os.environ.get("LOAD_READERS", "200"))
WRITERS = int(os.environ.get("LOAD_WRITERS", "20"))
# A reader looks at a page for a few seconds; a writer types for a while between saves.
READER_WAIT = (
    float(os.environ.get("LOAD_READER_WAIT_MIN", "1")),
    float(os.environ.get("LOAD_READER_WAIT_MAX", "4")),
)
WRITER_WAIT = (
    float(os.environ.get("LOAD_WRITER_WAIT_MIN", "1")),
    float(os.environ.get("LOAD_WRITER_WAIT_MAX", "3")),
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SAVED_MESSAGES = ("Uw concept is opgeslagen.", "Your draft has been saved.")

STATUSES: dict[str, Counter[int]] = defaultdict(Counter)
_saves_log = (OUT / "saves.jsonl").open("a", encoding="utf-8")


@events.request.add_listener
def _count_status(name: str, response: Any = None, **_kwargs: Any) -> None:
    STATUSES[name][int(getattr(response, "status_code", 0) or 0)] += 1


def log_save(**save: object) -> None:
    _saves_log.write(json.dumps(save) + "\n")
    _saves_log.flush()


@events.quitting.add_listener
def _write_figures(environment: Environment, **_kwargs: Any) -> None:
    stats = environment.stats
    assert stats is not None
    kinds: dict[str, StatsEntry] = {}
    rows = []
    for entry in stats.entries.values():
        kind = entry.name.split(":", 1)[0]
        kinds.setdefault(kind, StatsEntry(stats, kind, ""))
        kinds[kind].extend(entry)
        rows.append(_row(entry))
    figures = {
        "started": stats.start_time,
        "last_request": stats.last_request_timestamp,
        "endpoints": sorted(rows, key=lambda r: str(r["name"])),
        "kinds": [_row(entry) for _kind, entry in sorted(kinds.items())],
        "total": _row(stats.total),
        "statuses": {name: dict(counts) for name, counts in STATUSES.items()},
        "errors": [
            {
                "name": e.name,
                "method": e.method,
                "error": str(e.error),
                "occurrences": e.occurrences,
            }
            for e in stats.errors.values()
        ],
    }
    (OUT / "figures.json").write_text(json.dumps(figures, indent=1))
    _saves_log.close()


def _row(entry: StatsEntry) -> dict[str, object]:
    return {
        "name": entry.name,
        "method": entry.method,
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "rps": entry.total_rps,
        "p50": entry.get_response_time_percentile(0.50),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
        "max": entry.max_response_time,
    }


# --- Readers -------------------------------------------------------------------------------------

_reader_numbers = itertools.count(1)
ARTICLE_LINK = re.compile(r'href="/podium/([a-z0-9-]+)/"')
BEACON = re.compile(r'<script id="stats-beacon" type="application/json">(.*?)</script>')
# The share of article visits that follow a link on the page the reader is on; the rest arrive
# from outside (a search engine, social media, the newsletter) at any published article.
FOLLOW_LINKS = float(os.environ.get("LOAD_FOLLOW_LINKS", "0.75"))


class Reader(FastHttpUser):
    """An anonymous reader browsing: the home page, topic and author pages, the article list,
    search and feeds, and articles, mostly by following a link on the page before (as people do),
    sometimes arriving from outside at any article; every article page sends the view beacon its
    script sends, now and then the read-through one too."""

    fixed_count = READERS
    wait_time = between(*READER_WAIT)

    def on_start(self) -> None:
        number = next(_reader_numbers)
        # One browser each: the view beacon counts a reader once per article and day.
        self.headers = {
            "User-Agent": f"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0 L{number}",
            "Accept-Language": "nl-NL,nl;q=0.9",
        }
        self.links: list[str] = []

    def get(self, path: str, name: str, **params: str) -> str:
        url = f"{path}?{urlencode(params)}" if params else path
        response = self.client.get(url, name=name, headers=self.headers)
        text = (response.text or "") if response.status_code == 200 else ""
        found = ARTICLE_LINK.findall(text)
        if found:
            self.links = found
        return text

    @task(3)
    def home(self) -> None:
        self.get("/", "read: home")

    @task(8)
    def article(self) -> None:
        if self.links and random.random() < FOLLOW_LINKS:
            slug = random.choice(self.links)
        else:
            slug = random.choice(DATA["articles"])[0]
        page = self.get(f"/podium/{slug}/", "read: article")
        found = BEACON.search(page)
        if not found:
            return
        beacon = {"signal": "view", "article": str(json.loads(found.group(1))["article"])}
        self.client.post("/lezers/signaal/", data=beacon, name="read: beacon", headers=self.headers)
        if random.random() < 0.3:
            beacon["signal"] = "read"
            self.client.post(
                "/lezers/signaal/", data=beacon, name="read: beacon", headers=self.headers
            )

    @task(2)
    def topic(self) -> None:
        slug = random.choice(DATA["topics"])
        if random.random() < 0.25:
            self.get(
                f"/onderwerpen/{slug}/", "read: topic page 2+", pagina=str(random.randint(2, 5))
            )
        else:
            self.get(f"/onderwerpen/{slug}/", "read: topic")

    @task(2)
    def author(self) -> None:
        self.get(f"/auteurs/{random.choice(DATA['authors'])}/", "read: author")

    @task(1)
    def article_list(self) -> None:
        self.get("/podium/", "read: article list")

    @task(2)
    def search(self) -> None:
        words = random.sample(DATA["words"], random.choice((1, 1, 2)))
        self.get("/zoeken/", "read: search", q=" ".join(words))

    @task(1)
    def feed(self) -> None:
        choice = random.random()
        if choice < 0.5:
            self.client.get("/feed/", name="read: feed", headers=self.headers)
        elif choice < 0.8:
            topic = random.choice(DATA["topics"])
            self.client.get(f"/onderwerpen/{topic}/feed/", name="read: feed", headers=self.headers)
        else:
            author = random.choice(DATA["authors"])
            self.client.get(
                f"/auteurs/{author}/feed/atom/", name="read: feed", headers=self.headers
            )


# --- Writers -------------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields a browser would send from one form (by id): hidden and text inputs, checked
    boxes, textareas. Submit buttons are added by the caller."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea, self.text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            value = "".join(self.text)
            self.fields.append((self.textarea, value.removeprefix("\r\n").removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


class Draft:
    """What the writer's browser holds of one draft: the form's fields, the version it is based on."""

    def __init__(self, pk: int, fields: list[tuple[str, str]]) -> None:
        self.pk = pk
        self.fields = [(k, v) for k, v in fields if k not in ("version", "body")]
        values = dict(fields)
        self.version = int(values["version"])
        self.body = values["body"]
        self.csrf = values["csrfmiddlewaretoken"]

    def data(self, body: str, version: int) -> list[tuple[str, str]]:
        return [*self.fields, ("version", str(version)), ("body", body)]


_writer_accounts = iter(DATA["writers"])


class Writer(HttpUser):
    """A contributor who signs in through the login form and keeps editing their own drafts: mostly
    autosaves while typing, now and then "Save draft", and once in a while a save from an old
    tab (a version that is no longer current), which must be refused with 409."""

    fixed_count = WRITERS
    wait_time = between(*WRITER_WAIT)

    def on_start(self) -> None:
        try:
            self.account = next(_writer_accounts)
        except StopIteration:
            self.stop()
            return
        self.number = self.account["number"]
        self.sequence = itertools.count(1)
        self.drafts: dict[int, Draft] = {}
        self.signed_in = False
        self.login()

    def login(self) -> None:
        page = self.client.get("/account/login/", name="write: login page")
        found = CSRF_INPUT.search(page.text or "")
        token = found.group(1) if found else self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/account/login/",
            data={
                "csrfmiddlewaretoken": token,
                "login": self.account["email"],
                "password": self.account["password"],
            },
            headers={"Referer": self.client.base_url + "/account/login/"},
            allow_redirects=False,
            name="write: login",
            catch_response=True,
        ) as response:
            self.signed_in = response.status_code == 302
            if not self.signed_in:
                response.failure(f"login answered {response.status_code}, not a redirect")

    def reload(self, pk: int) -> Draft | None:
        """Open the edit page (as after a reload): the browser's state becomes the server's."""
        with self.client.get(
            f"/profiel/activiteiten/{pk}/", name="write: edit page", catch_response=True
        ) as response:
            fields = form_fields(response.text or "", "article-form")
            if response.status_code != 200 or not fields:
                response.failure(f"edit page answered {response.status_code} without the form")
                self.drafts.pop(pk, None)
                self.signed_in = "/account/login/" not in (response.url or "")
                return None
        self.drafts[pk] = Draft(pk, fields)
        return self.drafts[pk]

    def pick(self) -> Draft | None:
        """The draft to save now. A draft this browser has not opened yet is opened first, and
        None returned: the writer reads and types before the next save."""
        if not self.signed_in:
            self.login()
            return None
        pk = random.choice(self.account["drafts"])
        if pk not in self.drafts:
            self.reload(pk)
            return None
        return self.drafts[pk]

    def marker(self, kind: str, draft: Draft) -> str:
        # Letters and digits only: nothing the sanitiser or the search index would change.
        return (
            f"LW{kind}{self.number:03d}A{draft.pk}S{next(self.sequence):05d}X{secrets.token_hex(3)}"
        )

    @task(6)
    def autosave(self) -> None:
        draft = self.pick()
        if draft:
            self._autosave(draft, draft.version, stale=False)

    @task(2)
    def save_form(self) -> None:
        draft = self.pick()
        if draft:
            self._save_form(draft, draft.version, stale=False)

    @task(1)
    def save_from_old_tab(self) -> None:
        draft = self.pick()
        if draft and draft.version > 1:
            old = draft.version - 1
            if random.random() < 0.5:
                self._autosave(draft, old, stale=True)
            else:
                self._save_form(draft, old, stale=True)

    @task(1)
    def two_tabs_at_once(self) -> None:
        """Two autosaves of the same version sent at the same moment (two tabs, or a tab and a
        phone): the row lock must let exactly one through and answer the other with 409."""
        draft = self.pick()
        if not draft:
            return
        tabs = [gevent.spawn(self._racing_autosave, draft, tab) for tab in "PQ"]
        gevent.joinall(tabs)
        results = [tab.value for tab in tabs]
        won = [(version, body) for outcome, version, body in results if outcome == ACCEPTED]
        if len(won) == 1 and all(o in (ACCEPTED, RACE_REFUSED) for o, _v, _b in results):
            draft.version, draft.body = won[0]
            return
        if len(won) > 1:
            log_save(outcome=RACE_BOTH, article=draft.pk, marker="", writer=self.number)
        self.reload(draft.pk)

    def _racing_autosave(self, draft: Draft, tab: str) -> tuple[str, int, str]:
        marker = self.marker(tab, draft)
        body = f"{draft.body}<p>{marker}</p>"
        save = {"via": "autosave", "article": draft.pk, "marker": marker, "writer": self.number}
        log_save(outcome=SENT, **save)
        with self.client.post(
            f"/profiel/activiteiten/{draft.pk}/autosave/",
            data=draft.data(body, draft.version),
            headers={
                "X-CSRFToken": draft.csrf,
                "X-Requested-With": "fetch",
                "Accept": "application/json",
                "Referer": f"{self.client.base_url}/profiel/activiteiten/{draft.pk}/",
            },
            name="write: autosave (two tabs at once)",
            catch_response=True,
        ) as response:
            status = response.status_code
            payload = _json(response.text) if status in (200, 409) else {}
            if status == 200 and payload.get("version"):
                log_save(outcome=ACCEPTED, version=payload["version"], **save)
                return ACCEPTED, int(payload["version"]), body
            if status == 409:
                response.success()
                log_save(outcome=RACE_REFUSED, **save)
                return RACE_REFUSED, 0, ""
            outcome = REFUSED if 400 <= status < 500 else UNKNOWN
            log_save(outcome=outcome, status=status, **save)
            response.failure(f"autosave answered {status}")
            return outcome, 0, ""

    def _autosave(self, draft: Draft, version: int, *, stale: bool) -> None:
        marker = self.marker("T" if stale else "A", draft)
        body = f"{draft.body}<p>{marker}</p>"
        save = {"via": "autosave", "article": draft.pk, "marker": marker, "writer": self.number}
        log_save(outcome=SENT, **save)
        with self.client.post(
            f"/profiel/activiteiten/{draft.pk}/autosave/",
            data=draft.data(body, version),
            headers={
                "X-CSRFToken": draft.csrf,
                "X-Requested-With": "fetch",
                "Accept": "application/json",
                "Referer": f"{self.client.base_url}/profiel/activiteiten/{draft.pk}/",
            },
            name="write: autosave (old tab)" if stale else "write: autosave",
            catch_response=True,
        ) as response:
            status = response.status_code
            payload = _json(response.text) if status in (200, 409) else {}
            if status == 200 and payload.get("version"):
                response.success()
                if stale:
                    log_save(outcome=STALE_ACCEPTED, version=payload["version"], **save)
                    response.failure("a save from an old version was accepted")
                    self.reload(draft.pk)
                    return
                log_save(outcome=ACCEPTED, version=payload["version"], **save)
                draft.version, draft.body = int(payload["version"]), body
                return
            if status == 409:
                response.success()
                log_save(outcome=STALE_REFUSED if stale else CONFLICT, **save)
                if not stale:
                    self.reload(draft.pk)  # what the real editor asks the author to do
                return
            outcome = REFUSED if 400 <= status < 500 else UNKNOWN
            log_save(outcome=outcome, status=status, **save)
            response.failure(f"autosave answered {status}")
        self.reload(draft.pk)

    def _save_form(self, draft: Draft, version: int, *, stale: bool) -> None:
        marker = self.marker("U" if stale else "F", draft)
        body = f"{draft.body}<p>{marker}</p>"
        save = {"via": "form", "article": draft.pk, "marker": marker, "writer": self.number}
        log_save(outcome=SENT, **save)
        edit_path = f"/profiel/activiteiten/{draft.pk}/"
        with self.client.post(
            edit_path,
            data=[*draft.data(body, version), ("save", "")],
            headers={"Referer": self.client.base_url + edit_path},
            allow_redirects=False,
            name="write: save form (old tab)" if stale else "write: save form",
            catch_response=True,
        ) as response:
            status, location = response.status_code, response.headers.get("Location", "")
            if status == 302 and location.endswith(edit_path):
                response.success()
                if stale:
                    log_save(outcome=STALE_ACCEPTED, **save)
                    response.failure("a save from an old version was accepted")
                    self.reload(draft.pk)
                    return
            elif status == 409:
                response.success()
                log_save(outcome=STALE_REFUSED if stale else CONFLICT, **save)
                if not stale:
                    self.reload(draft.pk)
                return
            else:
                outcome = REFUSED if status == 200 or 400 <= status < 500 else UNKNOWN
                log_save(outcome=outcome, status=status, **save)
                response.failure(f"save answered {status}")
                self.reload(draft.pk)
                return
        # Post/Redirect/Get: the edit page shows the stored text and its version.
        with self.client.get(
            edit_path, name="write: edit page after save", catch_response=True
        ) as page:
            fields = form_fields(page.text or "", "article-form")
            if page.status_code != 200 or not fields:
                page.failure(f"edit page after a save answered {page.status_code}")
                log_save(outcome=ACCEPTED, version=None, **save)
                self.drafts.pop(draft.pk, None)
                self.reload(draft.pk)
                return
            if not any(text in page.text for text in SAVED_MESSAGES):
                page.failure("the edit page after a save does not say it was saved")
        fresh = Draft(draft.pk, fields)
        log_save(outcome=ACCEPTED, version=fresh.version, **save)
        self.drafts[draft.pk] = fresh


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
