"""No lost edits: when a save from the form meets a newer stored version (StaleVersion), the
author or editor sees both versions side by side with a word diff and merges them per field:
take mine, take theirs, or (for the text) edit the merged result. The merge posts back to the
same edit view with the stored version, so a third concurrent save is caught the same way."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.safestring import SafeString

from .diff import word_diff_html
from .models import Article
from .sanitize import html_to_text

FIELDS = ("title", "lead", "body")
MINE, THEIRS, EDITED = "mine", "theirs", "edited"


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    mine: str
    theirs: str
    mine_text: str
    theirs_text: str
    diff: SafeString

    @property
    def differs(self) -> bool:
        return self.mine != self.theirs


def field_conflicts(
    article: Article, mine: dict[str, str], labels: dict[str, str]
) -> list[FieldConflict]:
    theirs = {"title": article.title, "lead": article.lead, "body": article.body}
    conflicts = []
    for name in FIELDS:
        to_text = html_to_text if name == "body" else str
        a, b = to_text(theirs[name]), to_text(mine.get(name, ""))
        conflicts.append(
            FieldConflict(
                name, labels[name], mine.get(name, ""), theirs[name], b, a, word_diff_html(a, b)
            )
        )
    return conflicts


def render_conflict(
    request: HttpRequest,
    *,
    article: Article,
    mine: dict[str, str],
    labels: dict[str, str],
    action: str,
    extra: dict[str, str] | None = None,
) -> HttpResponse:
    """The conflict page (HTTP 409): what is stored now, what this person sent, and the merge form."""
    conflicts = field_conflicts(article, mine, labels)
    context = {
        "article": article,
        "conflicts": conflicts,
        "action": action,
        "topics": request.POST.getlist("topics"),
        "extra": extra or {},
        "submit_too": "submit" in request.POST,
    }
    return render(request, "articles/conflict.html", context, status=409)


def merged_data(post: QueryDict, article: Article) -> QueryDict:
    """The form data for a merge posted from the conflict page (unchanged for ordinary saves)."""
    if "merge" not in post:
        return post
    data = post.copy()
    theirs = {"title": article.title, "lead": article.lead, "body": article.body}
    for name in FIELDS:
        choice = post.get(f"{name}_choice", MINE)
        if choice == THEIRS:
            value = theirs[name]
        elif choice == EDITED and name == "body":
            value = post.get("body_merged", "")
        else:
            value = post.get(f"{name}_mine", "")
        data[name] = value
    return data
