"""The lost-write checker of `make bench-load` (bench/load_check.py), on made-up logs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

PATH = Path(__file__).resolve().parents[2] / "bench" / "load_check.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_check", PATH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("load_check", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


lc = _load()


def save(outcome: str, marker: str, version: int | None = None, article: int = 7) -> dict:
    return {"outcome": outcome, "article": article, "marker": marker, "version": version}


def test_every_accepted_marker_stored_passes() -> None:
    log = [
        save(lc.SENT, "m1"),
        save(lc.ACCEPTED, "m1", 2),
        save(lc.SENT, "m2"),
        save(lc.ACCEPTED, "m2", 3),
        save(lc.SENT, "old"),
        save(lc.STALE_REFUSED, "old"),
    ]
    verdict = lc.check_writes(log, {7: lc.Stored(3, "text m1 m2")}, {7: 1})
    assert verdict.ok
    assert verdict.accepted == 2
    assert verdict.by_outcome[lc.STALE_REFUSED] == 1


def test_a_missing_marker_is_a_lost_write() -> None:
    log = [save(lc.ACCEPTED, "m1", 2), save(lc.ACCEPTED, "m2", 3)]
    verdict = lc.check_writes(log, {7: lc.Stored(3, "text m2")}, {7: 1})
    assert not verdict.ok
    assert [lost["marker"] for lost in verdict.lost] == ["m1"]


def test_two_saves_given_one_version_is_a_lost_write() -> None:
    log = [save(lc.ACCEPTED, "m1", 2), save(lc.ACCEPTED, "m2", 2)]
    verdict = lc.check_writes(log, {7: lc.Stored(2, "m1 m2")}, {7: 1})
    assert not verdict.ok
    assert verdict.lost == [{"article": 7, "version": 2, "problem": "2 saves got it"}]


def test_refused_save_found_in_the_database_is_leaked() -> None:
    log = [save(lc.ACCEPTED, "m1", 2), save(lc.STALE_REFUSED, "old")]
    verdict = lc.check_writes(log, {7: lc.Stored(2, "m1 old")}, {7: 1})
    assert [leak["marker"] for leak in verdict.leaked] == ["old"]
    assert not verdict.ok


def test_versions_must_account_for_accepted_and_unknown_saves() -> None:
    # A save still in flight at the end (only "sent") may or may not have made a version.
    log = [save(lc.ACCEPTED, "m1", 2), save(lc.SENT, "m2")]
    assert lc.check_writes(log, {7: lc.Stored(3, "m1 m2")}, {7: 1}).ok
    assert lc.check_writes(log, {7: lc.Stored(2, "m1")}, {7: 1}).ok
    too_many = lc.check_writes(log, {7: lc.Stored(5, "m1")}, {7: 1})
    assert too_many.version_problems and not too_many.ok


def test_an_accepted_save_from_an_old_version_fails() -> None:
    verdict = lc.check_writes([save(lc.STALE_ACCEPTED, "old")], {7: lc.Stored(1, "")}, {7: 1})
    assert not verdict.ok


def test_two_tabs_at_once_one_refused_passes() -> None:
    log = [save(lc.ACCEPTED, "p", 2), save(lc.RACE_REFUSED, "q")]
    assert lc.check_writes(log, {7: lc.Stored(2, "p")}, {7: 1}).ok


def test_two_tabs_at_once_both_accepted_fails() -> None:
    # Serialised without the version check: the later save replaced the earlier one's text.
    log = [
        save(lc.ACCEPTED, "p", 2),
        save(lc.ACCEPTED, "q", 3),
        {"outcome": lc.RACE_BOTH, "article": 7, "marker": ""},
    ]
    verdict = lc.check_writes(log, {7: lc.Stored(3, "q")}, {7: 1})
    assert not verdict.ok
    assert [lost["marker"] for lost in verdict.lost] == ["p"]
    assert verdict.by_outcome[lc.RACE_BOTH] == 1
