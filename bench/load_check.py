"""The verdicts of `make bench-load` (bench/load.py), apart from the machinery so that a unit test
can exercise them on made-up data.

What counts as an *accepted* save (decided from podium.articles.views):

* an autosave (``POST …/<pk>/autosave/``) answered 200 with JSON carrying the new ``version``:
  ``services.save_draft`` has committed before the view answers;
* a save through the edit form (``POST …/<pk>/`` with ``save``) answered with the
  Post/Redirect/Get 302 to the article's own edit page: the view's ``transaction.atomic`` block
  has committed before the redirect. The page it redirects to shows the new version.

Anything else is not accepted: 409 (the conflict page, or autosave's "a newer version was saved
elsewhere") is a conflict; a 200 re-render of the form is a refusal (validation); a 5xx, a timeout
or a dropped connection leaves the outcome unknown.

Every save carries a unique marker appended to the text, and a writer always builds its next save
on the text it last saw accepted (autosave: its own text; form save: the text the edit page shows
after the redirect, that is, what the server stored). Drafts keep no revisions, so "in the database
afterwards" means: in the article's stored current text, and

* a *lost write* is an accepted save whose marker is not in its article's stored text, or two
  accepted saves that were given the same version of one article (one overwrote the other);
* a *leaked write* is a save that was refused or met a conflict, yet whose marker is stored;
* of two saves of one version sent at the same moment (two tabs), exactly one may be accepted:
  both accepted means one silently overwrote the other;
* the article's stored version must account for the accepted saves: at least one version per
  accepted save, and no more than accepted plus unknown-outcome saves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ACCEPTED = "accepted"
CONFLICT = "conflict"  # 409 on a save based on the current version: not expected
STALE_REFUSED = "stale_refused"  # 409 on a deliberate save from an old version: expected
STALE_ACCEPTED = (
    "stale_accepted"  # a save from an old version answered as saved: a silent overwrite
)
REFUSED = "refused"  # the form came back with errors
RACE_REFUSED = "race_refused"  # 409 for the slower of two saves of one version sent at once
RACE_BOTH = "race_both"  # both of two saves of one version sent at once were accepted
UNKNOWN = "unknown"  # 5xx, timeout, dropped connection
SENT = "sent"  # logged before each save: a save with no other line never got its answer


@dataclass(frozen=True)
class Stored:
    version: int
    text: str  # title, lead and body as stored


@dataclass
class Verdict:
    accepted: int = 0
    accepted_via: Counter[str] = field(default_factory=Counter)
    writers: set[int] = field(default_factory=set)  # writers with at least one accepted save
    by_outcome: Counter[str] = field(default_factory=Counter)
    lost: list[dict[str, object]] = field(default_factory=list)
    leaked: list[dict[str, object]] = field(default_factory=list)
    version_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.lost
            and not self.leaked
            and not self.version_problems
            and not self.by_outcome[STALE_ACCEPTED]
            and not self.by_outcome[RACE_BOTH]
        )


def final_outcomes(saves: Iterable[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """One entry per marker: its answer, or UNKNOWN when only the "sent" line was written (the
    run ended while the request was in flight)."""
    last: dict[str, Mapping[str, object]] = {}
    for n, save in enumerate(saves):
        marker = str(save["marker"]) or f"#{n}"
        if save["outcome"] != SENT or marker not in last:
            last[marker] = save
    return [
        {**save, "outcome": UNKNOWN} if save["outcome"] == SENT else save for save in last.values()
    ]


def check_writes(
    saves: Iterable[Mapping[str, object]],
    stored: Mapping[int, Stored],
    initial_versions: Mapping[int, int],
) -> Verdict:
    """Judge the writers' log (one mapping per save: outcome, article, marker, version) against
    what the database holds afterwards (`stored`, by article id)."""
    verdict = Verdict()
    versions: dict[int, Counter[int]] = defaultdict(Counter)
    unknown: Counter[int] = Counter()
    for save in final_outcomes(saves):
        outcome = str(save["outcome"])
        article = int(save["article"])  # type: ignore[call-overload]
        marker = str(save["marker"])
        verdict.by_outcome[outcome] += 1
        text = stored[article].text if article in stored else ""
        if outcome == ACCEPTED:
            verdict.accepted += 1
            verdict.accepted_via[str(save.get("via", ""))] += 1
            if save.get("writer") is not None:
                verdict.writers.add(int(save["writer"]))  # type: ignore[call-overload]
            if marker not in text:
                verdict.lost.append(dict(save))
            if save.get("version") is not None:
                versions[article][int(save["version"])] += 1  # type: ignore[call-overload]
            else:
                versions[article][-verdict.accepted] += 1  # counted, version not seen
        elif outcome in (CONFLICT, STALE_REFUSED, RACE_REFUSED, REFUSED):
            if marker in text:
                verdict.leaked.append(dict(save))
        elif outcome == UNKNOWN:
            unknown[article] += 1
    for article, seen in sorted(versions.items()):
        for version, n in seen.items():
            if version > 0 and n > 1:
                verdict.lost.append(
                    {"article": article, "version": version, "problem": f"{n} saves got it"}
                )
    for article in sorted(set(versions) | set(unknown)):
        if article not in stored:
            verdict.version_problems.append(f"article {article} is gone")
            continue
        made = stored[article].version - initial_versions.get(article, 1)
        accepted = sum(versions[article].values())
        if not accepted <= made <= accepted + unknown[article]:
            verdict.version_problems.append(
                f"article {article}: {made} new versions stored for {accepted} accepted "
                f"and {unknown[article]} unknown saves"
            )
    return verdict
