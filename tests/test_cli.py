"""The command line as people and scripts use it: output shapes, exit codes, bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import ROOT

# "We gaan ernaar kijken" would be answered by the promise after it (categories.md: whole draft)
DRAFT = "Hoi Sanne, excuses. We nemen je feedback mee! Ik bel je morgen om 10 uur. ^Tom"
CUSTOMER = "Mijn pakket is al een week onderweg, belachelijk"
AT = "2026-11-25T14:00:00+01:00"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_json_has_the_contract_shape(capsys):
    code, out, err = run(capsys, "review", DRAFT, "--customer", CUSTOMER, "--at", AT, "--json", "--no-llm")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert {"language", "complaint", "verdict", "findings", "promises", "llm"} <= set(result)
    assert result["verdict"] == "revise" and result["complaint"] is True
    finding = next(f for f in result["findings"] if f["category"] == "empty_promise")
    assert finding["excerpt"] == "We nemen je feedback mee" == DRAFT[finding["start"] : finding["end"]]
    assert finding["source"] == "rule" and finding["guideline"] == "geen-loze-beloftes"
    assert result["promises"] == [
        {"text": "Ik bel je morgen om 10 uur", "kind": "callback", "due": "2026-11-26T10:00:00+01:00",
         "explicit": True, "start": 46, "end": 72}
    ]
    assert {k: result["llm"][k] for k in ("used", "model", "error")} == {"used": False, "model": None, "error": None}


def test_review_reads_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": __import__("io").BytesIO(DRAFT.encode())})())
    code, out, _ = run(capsys, "review", "-", "--at", AT, "--json")
    assert code == 0 and json.loads(out)["promises"][0]["due"] == "2026-11-26T10:00:00+01:00"


def test_terminal_output_is_readable_and_says_rules_only(capsys):
    code, out, _ = run(capsys, "review", DRAFT, "--customer", CUSTOMER, "--at", AT)
    assert code == 0
    assert "AANPASSEN" in out and "We nemen je feedback mee" in out and "geen-loze-beloftes" in out
    assert "Alleen regels" in out and "\033[" not in out  # no colour codes when not on a terminal


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["review", ""], "empty"),
        (["review", "   \n\t "], "empty"),
        (["review", DRAFT, "--channel", "tiktok"], "unknown channel 'tiktok'"),
        (["review", DRAFT, "--at", "morgen"], "bad --at 'morgen'"),
        (["review"], "give the draft"),
        (["review", DRAFT, "--file", "x.jsonl"], "either TEXT or --file"),
        (["review", "--file", "/nonexistent/drafts.jsonl"], "cannot read --file"),
        (["review", DRAFT, "--bogus"], "unrecognized arguments"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, argv, says):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and says in err, err


def test_huge_draft_is_reviewed_up_to_the_cap_and_says_so(capsys):
    huge = "Hoi Sanne, sorry! " + "Dit is een lange zin over je bestelling. " * 2500  # ~100,000 characters
    code, out, _ = run(capsys, "review", huge, "--json")
    result = json.loads(out)
    assert code == 0 and result["truncated_at"] == 10000 and len(huge) > 99000
    assert result["length"]["count"] > 280 and "too_long" in {f["category"] for f in result["findings"]}
    code, out, _ = run(capsys, "review", huge)
    assert "alleen de eerste 10000 tekens" in out


def test_batch_goes_on_after_bad_lines(capsys, tmp_path):
    lines = [
        json.dumps({"id": "ok-1", "draft": DRAFT, "customer": CUSTOMER, "at": AT}).encode(),
        b'{"id": "bad-utf8", "draft": "caf\xe9 \xff"}',
        b'{"id": "bad-json", "draft": "Hoi" ',
        b"",
        json.dumps({"id": 7, "customer": "x"}).encode(),
        json.dumps({"id": "chan", "draft": DRAFT, "channel": "fax"}).encode(),
        json.dumps({"id": "at", "draft": DRAFT, "at": "gisteren"}).encode(),
        json.dumps({"id": "empty", "draft": "  "}).encode(),
        b"[1, 2]",
        json.dumps({"id": "ok-2", "draft": "Hi Tom, we'll call you back.", "channel": "x"}).encode(),
    ]
    path = tmp_path / "drafts.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    code, out, err = run(capsys, "review", "--file", str(path), "--json")
    assert code == 0 and err == ""
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in results] == ["ok-1", "bad-utf8", "bad-json", 7, "chan", "at", "empty", "line-9", "ok-2"]
    errors = {r["id"]: r["error"] for r in results if "error" in r}
    assert "not valid UTF-8" in errors["bad-utf8"] and "line 2" in errors["bad-utf8"]
    assert "not valid JSON" in errors["bad-json"]
    assert "missing 'draft'" in errors[7]
    assert "unknown channel 'fax'" in errors["chan"]
    assert "'at'" in errors["at"] and "empty" in errors["empty"] and "JSON object" in errors["line-9"]
    assert results[0]["verdict"] == "revise" and results[-1]["findings"][0]["category"] == "no_deadline"


def test_batch_readable_output(capsys, tmp_path):
    path = tmp_path / "drafts.jsonl"
    path.write_text(json.dumps({"id": "a", "draft": DRAFT, "at": AT}) + "\n{oops\n", encoding="utf-8")
    code, out, _ = run(capsys, "review", "--file", str(path))
    assert code == 0 and "── a" in out and "loze belofte" in out and "kon niet beoordelen" in out


def test_guidelines_search_ranks_the_right_guideline_first(capsys):
    expected = {
        "beloftes": "beloftes-nakomen", "excuses": "begrip-excuses-oplossing", "grapjes": "geen-grappen-bij-klachten",
        "DM": "klacht-naar-dm", "promise": "beloftes-nakomen", "blame": "verantwoordelijkheid-nemen",
        "ambtelijk": "geen-ambtelijke-taal", "reclame": "geen-verkooppraatje", "sorry": "begrip-excuses-oplossing",
        "hoofdletters": "respectvol-blijven", "jokes": "geen-grappen-bij-klachten", "te lang": "kort-en-passend",
    }
    for query, guideline in expected.items():
        code, out, _ = run(capsys, "guidelines", *query.split(), "--json")
        assert code == 0 and json.loads(out)[0]["id"] == guideline, query


def test_guidelines_list_and_nothing_found(capsys):
    code, out, _ = run(capsys, "guidelines")
    assert code == 0 and len(out.splitlines()) >= 15 and "beloftes-nakomen" in out
    code, out, _ = run(capsys, "guidelines", "xylofoon")
    assert code == 0 and "Niets gevonden" in out and "beloftes" in out
    code, out, _ = run(capsys, "guidelines", "grapjes")
    assert "Wel:" in out and "Niet:" in out


@pytest.fixture
def team(tmp_path, monkeypatch) -> Path:
    """A team folder with its own app.yaml and a copy of the guidelines."""
    shutil.copytree(ROOT / "guidelines", tmp_path / "guidelines")
    (tmp_path / "app.yaml").write_text("language: nl\n", encoding="utf-8")
    monkeypatch.setenv("WEBCARE_CONFIG", str(tmp_path / "app.yaml"))
    return tmp_path


def test_malformed_rule_file_names_file_rule_and_field(capsys, team):
    path = team / "guidelines/rules/empty_promise.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("category: empty_promise", "category: vague", 1))
    code, _, err = run(capsys, "review", DRAFT)
    assert code == 2 and "empty_promise.yaml" in err and "nl.empty_promise.ernaar_kijken" in err
    assert "field 'category'" in err and err.count("\n") == 1


def test_rule_without_examples_does_not_load(capsys, team):
    (team / "guidelines/rules/extra.yaml").write_text(
        "rules:\n  - id: nl.x.y\n    category: shouting\n    languages: [nl]\n    patterns: ['x']\n"
        "    message: {nl: a, en: b}\n    suggestion: {nl: a, en: b}\n    guideline: respectvol-blijven\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "review", DRAFT)
    assert code == 2 and "extra.yaml" in err and "field 'examples'" in err


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("title: Kom je beloftes na\n", ""), "field 'title': missing"),
        (("## Waarom", "## Why"), "field 'sections'"),
        (("categories: [no_deadline]", "categories: [vague]"), "field 'categories'"),
        (("---\nid:", "--\nid:"), "front matter"),
    ],
)
def test_malformed_guideline_names_file_and_field(capsys, team, change, says):
    path = team / "guidelines/corpus/beloftes-nakomen.md"
    path.write_text(path.read_text(encoding="utf-8").replace(*change, 1), encoding="utf-8")
    for argv in (["review", DRAFT], ["guidelines", "beloftes"]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "beloftes-nakomen.md" in err and says in err, err


def test_bad_app_yaml_names_the_field(capsys, team):
    (team / "app.yaml").write_text("calendar:\n  timezone: Mars/Olympus\n", encoding="utf-8")
    code, _, err = run(capsys, "review", DRAFT)
    assert code == 2 and "calendar.timezone" in err and "Mars/Olympus" in err


def test_team_switches_rules_off_and_changes_severity(capsys, team):
    (team / "app.yaml").write_text(
        "rules:\n  disable: [empty_promise]\n  severity: {nl.impersonal.beste_klant: error}\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "review", "Beste klant, we gaan ernaar kijken.", "--json")
    findings = json.loads(out)["findings"]
    assert code == 0 and "empty_promise" not in {f["category"] for f in findings}
    assert next(f for f in findings if f["rule"] == "nl.impersonal.beste_klant")["severity"] == "error"


def test_english_team_gets_english_messages(capsys, team):
    (team / "app.yaml").write_text("language: en\n", encoding="utf-8")
    code, out, _ = run(capsys, "review", DRAFT, "--customer", CUSTOMER)
    assert code == 0 and "REVISE" in out and "Empty promise" in out and "Rules only" in out


def test_python_dash_m_bot_and_console_script_start_to_finish():
    for command in ([sys.executable, "-m", "bot"], [str(Path(sys.executable).with_name("webcare-coach"))]):
        done = subprocess.run(
            [*command, "review", DRAFT, "--at", AT, "--json"], capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["verdict"] == "revise"


def test_unknown_setting_is_reported(capsys, team):
    (team / "app.yaml").write_text("rules:\n  off: [empty_promise]\n", encoding="utf-8")
    code, _, err = run(capsys, "review", DRAFT)
    assert code == 2 and "field 'rules.False'" in err and "unknown setting" in err


def test_teams_package_zips_the_manifest_with_the_bot_id(capsys, tmp_path):
    import zipfile

    out = tmp_path / "app.zip"
    code, _, _ = run(capsys, "teams-package", "--bot-id", "12345678-1234-1234-1234-123456789abc", "--out", str(out))
    package = zipfile.ZipFile(out)
    manifest = json.loads(package.read("manifest.json"))
    assert code == 0 and sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    assert manifest["bots"][0]["botId"] == manifest["id"] == "12345678-1234-1234-1234-123456789abc"
    code, _, err = run(capsys, "teams-package", "--bot-id", "not-an-id")
    assert code == 2 and "not an app id" in err


def test_promises_lists_what_is_tracked(capsys, tmp_path, monkeypatch):
    from bot.store import SQLiteStore

    monkeypatch.setenv("WEBCARE_DB", str(tmp_path / "db.sqlite"))
    store = SQLiteStore(tmp_path / "db.sqlite")
    late = store.add_promise(platform="slack", workspace="T1", channel="C1", thread="1.1", review_id="r", agent="U1",
                             customer="", text="ik bel je morgen", kind="callback", due=1_000_000.0,
                             due_iso="1970-01-12T14:46:40+01:00", explicit=True, next_at=1_000_000.0)
    done = store.add_promise(platform="slack", workspace="T1", channel="C1", thread="1.1", review_id="r", agent="U1",
                             customer="", text="we mailen je", kind="message", due=1_000_000.0,
                             due_iso="1970-01-12T14:46:40+01:00", explicit=False, next_at=1_000_000.0)
    store.set_status(done, "done")
    code, out, _ = run(capsys, "promises", "--open", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["id"], r["overdue"]) for r in rows] == [(late, True)]
    code, out, _ = run(capsys, "promises")
    assert "TE LAAT" in out and "gedaan" in out
