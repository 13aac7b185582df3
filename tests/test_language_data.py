"""The word lists and patterns of guidelines/language/*.yaml: every example runs, bad data fails
with a message that names the file and the marker."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.review.analysis import MARKERS, Analyser, default_analyser
from tests.conftest import ROOT

LANGUAGES = default_analyser().languages
CASES = [
    (code, name, text, marked)
    for code, language in LANGUAGES.items()
    for name, marker in language.markers.items()
    for marked, texts in ((True, marker.marked), (False, marker.unmarked))
    for text in texts
]


def test_both_languages_have_every_marker():
    assert set(LANGUAGES) == {"nl", "en"}
    assert all(set(language.markers) == set(MARKERS) for language in LANGUAGES.values())


@pytest.mark.parametrize(("code", "name", "text", "marked"), CASES, ids=[f"{c}-{n}-{t[:30]}" for c, n, t, _ in CASES])
def test_marker_examples(code, name, text, marked):
    assert LANGUAGES[code].holds(name, text) is marked


def _write(folder: Path, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "xx.yaml").write_text(body, encoding="utf-8")
    return folder


def test_a_missing_marker_is_named(tmp_path):
    folder = _write(tmp_path / "language", "language: xx\nmarkers: {}\n")
    with pytest.raises(ConfigError, match=r"xx.yaml: marker 'we' is missing"):
        Analyser.load(folder)


def test_a_bad_pattern_is_named(tmp_path):
    markers = "".join(
        f"  {name}:\n    patterns: ['{'(' if name == 'negation' else 'x'}']\n    examples: {{marked: [], unmarked: []}}\n"
        for name in MARKERS
    )
    folder = _write(tmp_path / "language", f"language: xx\nmarkers:\n{markers}")
    with pytest.raises(ConfigError, match=r"marker 'negation': field 'patterns': bad regular expression"):
        Analyser.load(folder)


def test_examples_are_required(tmp_path):
    markers = "".join(f"  {name}:\n    words: [x]\n" for name in MARKERS)
    folder = _write(tmp_path / "language", f"language: xx\nmarkers:\n{markers}")
    with pytest.raises(ConfigError, match=r"marker 'we': needs examples"):
        Analyser.load(folder)


def test_a_word_yaml_reads_as_true_or_false_is_refused_with_how_to_fix(tmp_path):
    """An unquoted no, yes, on or off is a boolean to YAML: "no" silently left the negations."""
    english = (ROOT / "guidelines" / "language" / "en.yaml").read_text(encoding="utf-8")
    assert '"no"' in english
    (tmp_path / "en.yaml").write_text(english.replace('"no"', "no"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'negation': field 'words': False is not a word .*quote it"):
        Analyser.load(tmp_path)
