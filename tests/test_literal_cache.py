"""The literals of each pattern are kept in a file between runs (`remembered_literals`): a start
with the file analyses no pattern again and builds the very same matchers; a damaged, foreign
or unwritable file costs only the time it would have saved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Config, cache_folder
from bot.review import prefilter, rules
from bot.review.engine import Reviewer


def literals(reviewer: Reviewer) -> list[tuple[str, int, object, object]]:
    """What the prefilter knows of each pattern, in a comparable form."""
    matchers = reviewer._prefilter.always | {m for ms in reviewer._prefilter.by_word.values() for m in ms} | {
        m for ms in reviewer._prefilter.by_substring.values() for m in ms
    }
    return sorted((m.pattern, m.flags, m.needs, m.prefix) for m in matchers)


def build(config: Config, monkeypatch: pytest.MonkeyPatch, folder: Path | str) -> tuple[Reviewer, int]:
    """A Reviewer built with WEBCARE_CACHE=`folder`, and how many patterns it analysed."""
    monkeypatch.setenv("WEBCARE_CACHE", str(folder))
    analysed = []
    real = prefilter._literals_of
    monkeypatch.setattr(prefilter, "_literals_of", lambda items: analysed.append(1) or real(items))
    rules._compile.cache_clear()  # it keeps the matchers of an earlier build in this process
    return Reviewer.from_config(config), len(analysed)


def test_a_second_start_analyses_nothing_and_builds_the_same_matchers(config, monkeypatch, tmp_path):
    (tmp_path / "literals-0123456789abcdef.json").write_text("{}")  # another version's file
    first, analysed_first = build(config, monkeypatch, tmp_path)
    files = list(tmp_path.glob("literals-*.json"))
    assert len(files) == 1 and files[0].name != "literals-0123456789abcdef.json"
    assert analysed_first > 500
    second, analysed_second = build(config, monkeypatch, tmp_path)
    assert analysed_second == 0
    assert literals(second) == literals(first)
    without, _ = build(config, monkeypatch, "off")
    assert literals(without) == literals(first)
    assert not list(tmp_path.glob(".literals-*"))  # no temporary file left behind


def test_patterns_edited_away_are_dropped_when_the_file_is_written(config, monkeypatch, tmp_path):
    build(config, monkeypatch, tmp_path)
    path = next(tmp_path.glob("literals-*.json"))
    entries = json.loads(path.read_text())
    dropped = next(iter(entries))
    path.write_text(json.dumps({**{k: v for k, v in entries.items() if k != dropped}, "2 \\bverouderd\\b": None}))
    _, analysed = build(config, monkeypatch, tmp_path)
    assert analysed == 1  # only the missing one
    assert json.loads(path.read_text()) == entries  # and the stale one is gone


@pytest.mark.parametrize("damage", ["not json {", "[1, 2]", "entries of another shape"])
def test_a_damaged_file_is_analysed_afresh_and_replaced(config, monkeypatch, tmp_path, damage):
    build(config, monkeypatch, tmp_path)
    path = next(tmp_path.glob("literals-*.json"))
    good = json.loads(path.read_text())
    if damage == "entries of another shape":
        damage = json.dumps({key: [["x"]] for key in good})
    path.write_text(damage)
    reviewer, analysed = build(config, monkeypatch, tmp_path)
    assert analysed > 500
    assert json.loads(path.read_text()) == good
    assert literals(reviewer) == literals(build(config, monkeypatch, "off")[0])


def test_an_unwritable_folder_only_costs_time(config, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    reviewer, analysed = build(config, monkeypatch, blocker / "cache")  # a folder inside a file
    assert analysed > 500
    assert reviewer.review  # built and usable
    assert literals(reviewer) == literals(build(config, monkeypatch, "off")[0])


def test_off_keeps_no_file(monkeypatch, tmp_path):
    monkeypatch.setenv("WEBCARE_CACHE", "off")
    assert cache_folder() is None
    monkeypatch.setenv("WEBCARE_CACHE", str(tmp_path))
    assert cache_folder() == tmp_path
    monkeypatch.delenv("WEBCARE_CACHE")
    assert cache_folder() is not None and "webcare-coach" in str(cache_folder())


def test_a_bad_pattern_is_still_refused_after_good_ones_were_remembered(monkeypatch, tmp_path):
    with prefilter.remembered_literals(tmp_path):
        prefilter.Matcher.compile(r"\bgoed\b")
    with prefilter.remembered_literals(tmp_path), pytest.raises(prefilter.re.error):
        prefilter.Matcher.compile(r"\bslecht(\b")
    assert list(json.loads(next(tmp_path.glob("literals-*.json")).read_text())) == [r"2 \bgoed\b"]
