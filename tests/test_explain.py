"""`webcare-coach review --explain`: why the coach said what it said."""

from __future__ import annotations

import json

from tests.test_cli import AT, run

DRAFT = "Sorry voor de fout! We kijken ernaar. Een collega belt je morgen voor 12:00 met de uitkomst. ^Tom"
CUSTOMER = "Mijn factuur klopt niet!"


def test_explain_prints_each_clause_and_why(capsys):
    code, out, err = run(capsys, "review", DRAFT, "--customer", CUSTOMER, "--at", AT, "--no-llm", "--explain")
    assert code == 0 and err == ""
    assert "Context" in out and "een klacht" in out and "klopt niet" in out
    assert "“Een collega belt je morgen voor 12:00 met de uitkomst.”" in out
    assert "wie: iemand namens ons" in out and "tijd: gepland: morgen voor 12:00" in out
    assert "belofte: wij (of iemand namens ons) beloven een vervolg, met tijd" in out
    assert "geen belofte: ernaar kijken of het in behandeling nemen belooft niets controleerbaars" in out  # "We kijken ernaar."
    assert "loze belofte “We kijken ernaar”: beantwoord door een belofte met tijd" in out


def test_explain_json_adds_an_explain_object(capsys):
    code, out, _ = run(capsys, "review", "We kunnen je vandaag niet meer bellen. Morgen om 9:00 staat onze monteur bij je.",
                       "--at", AT, "--json", "--no-llm", "--explain")
    result = json.loads(out)
    assert code == 0 and len(result["promises"]) == 1
    first, second = result["explain"]["clauses"]
    assert (first["actor"], first["negated"], first["promise"], first["why"]) == ("we", True, False, "negated")
    assert (second["actor"], second["tense"], second["mood"], second["promise"]) == ("for_us", "planned", "statement", True)
    assert second["times"] == ["Morgen om 9:00"]
    assert {"kind", "complaint", "reason", "signals"} <= set(result["explain"]["context"])


def test_explain_says_which_categories_the_context_left_out(capsys):
    code, out, _ = run(capsys, "review", "Wat leuk, dank je! Haha, tot de volgende keer 😄", "--customer",
                       "Super snelle bezorging, top!", "--no-llm", "--explain", "--json")
    not_reported = {item["category"]: item["why"] for item in json.loads(out)["explain"]["not_reported"]}
    assert not_reported["humor_in_complaint"] == not_reported["missing_apology"] == "not_in_context"


def test_explain_in_a_batch(capsys, tmp_path):
    path = tmp_path / "drafts.jsonl"
    path.write_text(json.dumps({"id": "a", "draft": DRAFT, "customer": CUSTOMER, "at": AT}) + "\n"
                    + json.dumps({"id": "b", "draft": " "}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "review", "--file", str(path), "--json", "--no-llm", "--explain")
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0 and len(first["explain"]["clauses"]) == 4 and "error" in second and "explain" not in second


def test_explain_on_a_huge_draft_stays_within_the_cap(capsys):
    huge = "Hoi Sanne, sorry! " + "We bellen je morgen en sturen je vrijdag een mail. " * 2000
    code, out, err = run(capsys, "review", huge, "--at", AT, "--json", "--no-llm", "--explain")
    result = json.loads(out)
    assert code == 0 and err == "" and result["truncated_at"] == 10000
    assert max(c["end"] for c in result["explain"]["clauses"]) <= 10000


def test_explain_with_bad_input_is_one_line(capsys):
    code, out, err = run(capsys, "review", "  ", "--explain")
    assert code == 2 and out == "" and err.count("\n") == 1 and "empty" in err


def test_explain_in_a_readable_batch(capsys, tmp_path):
    path = tmp_path / "drafts.jsonl"
    path.write_text(json.dumps({"id": "a", "draft": DRAFT, "customer": CUSTOMER, "at": AT}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "review", "--file", str(path), "--no-llm", "--explain")
    assert code == 0 and "── a" in out and "Zinsdelen" in out and "belofte: wij (of iemand namens ons)" in out


def test_explain_speaks_the_team_language(reviewer):
    from datetime import datetime

    from bot.review.model import Draft

    explanation = reviewer.review_explained(Draft("We can't call you today. We'll call you tomorrow.", at=datetime.fromisoformat(AT)))[1]
    clauses = explanation.to_dict("en")["clauses"]
    assert [(c["promise"], c["why_text"]) for c in clauses] == [
        (False, "negated"), (True, "we (or someone for us) promise a follow-up, with a time")]
