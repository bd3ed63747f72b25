"""Reading the demo content files. Pure Python: nothing here touches the database.

Layout of `content/`:

- `topics.json`: a list of {slug, name, description}.
- `accounts.json`: a list of accounts with their role and profile (see `DemoAccount`).
- `articles/*.html`: one article per file, a header block of `key: value` lines, a line with
  `---`, then the body HTML. Header keys: title, lead, author (an e-mail address from
  accounts.json), topics (comma-separated slugs), state (draft, submitted, changes_requested or
  published), days_ago (when it was published, submitted or written), and message (the editor's
  message; required for changes_requested).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"

ROLES = ("administrator", "editor", "contributor")
STATES = ("draft", "submitted", "changes_requested", "published")
HEADER_KEYS = {"title", "lead", "author", "topics", "state", "days_ago", "message"}
SEPARATOR = "---"


class DemoContentError(ValueError):
    """A content file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class DemoTopic:
    slug: str
    name: str
    description: str
    name_en: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    display_name: str
    job_title: str
    organisation: str
    bio: str
    colour: str = "#3d5a80"
    website: str = ""
    linkedin: str = ""
    trusted: bool = False
    expertise: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DemoArticle:
    source: str
    title: str
    lead: str
    author: str
    topics: tuple[str, ...]
    state: str
    days_ago: int
    body: str
    message: str = ""


def load_topics(directory: Path = CONTENT_DIR) -> list[DemoTopic]:
    rows = json.loads((directory / "topics.json").read_text(encoding="utf-8"))
    return [
        DemoTopic(
            slug=r["slug"],
            name=r["name"],
            description=r.get("description", ""),
            name_en=r.get("name_en", ""),
            description_en=r.get("description_en", ""),
        )
        for r in rows
    ]


def load_accounts(directory: Path = CONTENT_DIR) -> list[DemoAccount]:
    rows = json.loads((directory / "accounts.json").read_text(encoding="utf-8"))
    accounts = []
    for row in rows:
        if row.get("role") not in ROLES:
            raise DemoContentError(
                f"accounts.json: {row.get('email')}: unknown role {row.get('role')!r}"
            )
        accounts.append(
            DemoAccount(
                email=row["email"].strip().lower(),
                role=row["role"],
                display_name=row["display_name"],
                job_title=row.get("job_title", ""),
                organisation=row.get("organisation", ""),
                bio=row.get("bio", ""),
                colour=row.get("colour", DemoAccount.colour),
                website=row.get("website", ""),
                linkedin=row.get("linkedin", ""),
                trusted=bool(row.get("trusted", False)),
                expertise=tuple(row.get("expertise", ())),
            )
        )
    return accounts


def parse_article(text: str, source: str) -> DemoArticle:
    """Parse one article file (see the module docstring for the format)."""
    header_text, sep, body = text.partition(f"\n{SEPARATOR}\n")
    if not sep:
        raise DemoContentError(f"{source}: no '{SEPARATOR}' line between header and body")
    header: dict[str, str] = {}
    for line in header_text.splitlines():
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or key not in HEADER_KEYS:
            raise DemoContentError(f"{source}: unexpected header line {line!r}")
        header[key] = value.strip()
    missing = {"title", "lead", "author", "topics", "state", "days_ago"} - header.keys()
    if missing:
        raise DemoContentError(f"{source}: missing header fields {sorted(missing)}")
    if header["state"] not in STATES:
        raise DemoContentError(f"{source}: unknown state {header['state']!r}")
    if header["state"] == "changes_requested" and not header.get("message"):
        raise DemoContentError(f"{source}: changes_requested needs an editor's message")
    try:
        days_ago = int(header["days_ago"])
    except ValueError:
        raise DemoContentError(f"{source}: days_ago must be a whole number") from None
    return DemoArticle(
        source=source,
        title=header["title"],
        lead=header["lead"],
        author=header["author"].lower(),
        topics=tuple(slug.strip() for slug in header["topics"].split(",") if slug.strip()),
        state=header["state"],
        days_ago=days_ago,
        body=body.strip(),
        message=header.get("message", ""),
    )


def load_articles(directory: Path = CONTENT_DIR) -> list[DemoArticle]:
    return [
        parse_article(path.read_text(encoding="utf-8"), path.name)
        for path in sorted((directory / "articles").glob("*.html"))
    ]
