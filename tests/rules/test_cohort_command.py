"""`manage.py cohort FACTS.json`: the cohort decision as JSON, or exit 2 naming the bad
field, never a traceback."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rules.cli import cohort_main
from rules.contract import COHORT_KEYS, INPUT_KEYS
from rules.protocol import default_protocol
from tests.rules.test_timeline_command_bad_input import assert_exit_2, json_values

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL = default_protocol()
VALID = {
    "edd": "2027-06-10", "meeting_date": "2027-07-06", "level_of_csc_input": "child_protection",
    "referral_date": "2027-01-20", "allocation_date": "2027-01-21", "complex": True,
    "birth_date": "2027-06-08", "pregnancy_outcome": "live_birth",
    "discharge": "2027-06-10T14:30", "placement": "home", "placement_date": "2027-06-10",
    "events": {"intro_home_visit": "2027-02-01", "genogram": {"not_applicable": "Done"}},
}  # fmt: skip
IN_THE_COMMUNITY = (
    "Born 8 June 2027, 28 days before the meeting: within 28 days of birth in the community"
)


def run(text: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cohort_main(["-"], out, err, protocol=PROTOCOL, stdin=io.StringIO(text))
    return code, out.getvalue(), err.getvalue()


def decided(facts: dict) -> dict:
    code, out, err = run(json.dumps(facts))
    assert (code, err) == (0, ""), err
    return json.loads(out)


def assert_refused(text: str, field: str | None = None) -> str:
    return assert_exit_2(*run(text), field, text)


def test_the_decision_is_printed_as_json():
    code, out, err = run(json.dumps(VALID))

    assert (code, err) == (0, "")
    assert out == json.dumps({"in_cohort": True, "reason": IN_THE_COMMUNITY}, indent=2) + "\n"


def test_a_day_later_the_baby_is_out():
    assert decided({**VALID, "meeting_date": "2027-07-07"}) == {
        "in_cohort": False,
        "reason": "Born 8 June 2027, 29 days before the meeting: more than 28 days after birth"
        " in the community",
    }


def test_an_unborn_baby_not_yet_referred():
    facts = {"edd": "2027-06-10", "meeting_date": "2027-03-02", "level_of_csc_input": "none"}

    assert decided(facts) == {
        "in_cohort": False,
        "reason": "Not referred to children's social care yet",
    }


def test_a_parent_and_child_placement_until_its_mid_point_review():
    facts = {**VALID, "placement": "parent_and_child", "meeting_date": "2027-07-27"}
    held = {**facts, "events": {"pc_midpoint_review": "2027-07-27"}}

    assert decided(facts) == {
        "in_cohort": True,
        "reason": "In a parent and child placement; mid-point review not yet held",
    }
    assert decided(held) == {
        "in_cohort": False,
        "reason": "Parent and child placement's mid-point review held on 27 July 2027",
    }


def test_the_facts_may_be_as_of_another_day_than_the_meeting():
    # Facts as they stood on 20 June, asked about the meeting of 6 June: unborn then.
    facts = {**VALID, "meeting_date": "2027-06-06", "today": "2027-06-20"}

    assert decided(facts) == {
        "in_cohort": True,
        "reason": "Unborn, open to children's social care (child protection plan)",
    }


def test_a_file_and_manage_py_give_the_same(tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(VALID))
    out = io.StringIO()

    call_command("cohort", str(path), stdout=out, stderr=io.StringIO())

    assert json.loads(out.getvalue()) == {"in_cohort": True, "reason": IN_THE_COMMUNITY}


@pytest.mark.parametrize(
    ("facts", "field", "message"),
    [
        ({**VALID, "colour": "red"}, "colour", "is not a known fact"),
        ({**VALID, "level_of_csc_input": None}, "level_of_csc_input", "is required"),
        ({k: v for k, v in VALID.items() if k != "level_of_csc_input"}, "level_of_csc_input",
         "is required"),
        ({**VALID, "level_of_csc_input": "open"}, "level_of_csc_input",
         "must be one of assessment, care_proceedings, child_in_need, child_protection,"
         " cla_parent_and_child, closed, none, pre_proceedings"),
        ({**VALID, "level_of_csc_input": ["child_protection"]}, "level_of_csc_input",
         "must be one of"),
        ({k: v for k, v in VALID.items() if k != "meeting_date"}, "meeting_date", "is required"),
        ({**VALID, "meeting_date": "2027-13-01"}, "meeting_date", "'2027-13-01' is not a real"),
        ({**VALID, "meeting_date": "6 July 2027"}, "meeting_date", "must be an ISO date"),
        ({**VALID, "meeting_date": "2027-07-06T10:00"}, "meeting_date", "must be an ISO date"),
        ({**VALID, "meeting_date": 20270706}, "meeting_date", "must be an ISO date"),
        ({**VALID, "meeting_date": "9999-12-31"}, "meeting_date", "'9999-12-31' is not between"),
        ({**VALID, "today": "2027-02-30"}, "today", "'2027-02-30' is not a real date"),
        ({k: v for k, v in VALID.items() if k != "edd"}, "edd", "is required"),
        ({**VALID, "meeting_date": "2027-06-01"}, "birth_date",
         "The date of birth must be today or in the past"),
        ({**VALID, "referral_date": None}, "referral_date", "Enter the date of referral"),
        ({**VALID, "pregnancy_outcome": "stillbirth"}, "birth_date",
         "There is no date of birth after a stillbirth"),
        ({**VALID, "events": {"tea": "2027-02-01"}}, "events.tea",
         "is not a milestone of this protocol"),
        ({**VALID, "x\x1b[31m": 1}, "x\\u001b[31m", "is not a known fact"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_naming_the_field(facts, field, message):
    err = assert_refused(json.dumps(facts), field)

    assert err.startswith(f"error: {field}: {message}"), err


@pytest.mark.parametrize("text", ["[]", '"facts"', "null"])
def test_facts_that_are_not_an_object_are_refused(text):
    assert_refused(text, "facts")


@pytest.mark.parametrize("text", ["", "{", '{"edd": "2027-06-10",}', "[" * 100_000])
def test_text_that_is_not_json_is_refused(text):
    assert assert_refused(text, "-").startswith("error: -: not valid JSON: ")


def test_a_file_that_cannot_be_read_is_named(tmp_path):
    missing = tmp_path / "missing.json"
    out, err = io.StringIO(), io.StringIO()

    assert cohort_main([str(missing)], out, err, protocol=PROTOCOL) == 2
    assert err.getvalue().startswith(f"error: {missing}: cannot read: ")


@pytest.mark.parametrize("argv", [[], ["a.json", "b.json"]])
def test_not_one_file_prints_the_usage(argv):
    out, err = io.StringIO(), io.StringIO()

    assert cohort_main(argv, out, err, protocol=PROTOCOL) == 2
    assert (out.getvalue(), err.getvalue()) == (
        "",
        "usage: cohort FACTS.json (or - for standard input)\n",
    )


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(INPUT_KEYS | COHORT_KEYS)), value=json_values)
@example(key="level_of_csc_input", value={"child_protection": True})
@example(key="meeting_date", value=["2027-07-06"])
def test_any_json_value_for_any_key_gives_a_decision_or_exit_2(key, value):
    text = json.dumps({**VALID, key: value})
    code, out, err = run(text)

    if code == 0:
        assert set(json.loads(out)) == {"in_cohort", "reason"}
        return
    err = assert_refused(text)
    if key in COHORT_KEYS:
        assert err.startswith(f"error: {key}: "), err


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(max_size=200),
    st.integers(0, len(json.dumps(VALID)) - 1).map(lambda n: json.dumps(VALID)[:n]),
    st.dictionaries(st.sampled_from(sorted(INPUT_KEYS | COHORT_KEYS)), json_values).map(json.dumps),
))  # fmt: skip
def test_any_text_gives_a_decision_or_exit_2_and_never_a_traceback(text):
    code, out, err = run(text)

    if code != 0:
        assert_refused(text)


def test_manage_py_cohort_run_as_a_program(tmp_path):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(VALID))
    bad.write_text(json.dumps({**VALID, "level_of_csc_input": "open"}))

    def manage(path):
        return subprocess.run(
            [sys.executable, "manage.py", "cohort", str(path)],
            cwd=ROOT, env={**os.environ}, capture_output=True, text=True, check=False,
            timeout=120,
        )  # fmt: skip

    ran, refused = manage(good), manage(bad)

    assert (ran.returncode, ran.stderr) == (0, "")
    assert json.loads(ran.stdout) == {"in_cohort": True, "reason": IN_THE_COMMUNITY}
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("error: level_of_csc_input: must be one of ")
    assert "Traceback" not in refused.stderr
