"""The timeline contract, written from SPEC.md alone: JSON facts in, JSON timeline out."""

import io
import json
from datetime import date

import pytest

from rules.cli import main
from rules.contract import FactsError, facts_from_json, facts_to_json, timeline_to_json
from rules.protocol import default_protocol
from rules.timeline import compute_timeline

PROTOCOL = default_protocol()
TODAY = date(2027, 3, 1)
FACTS = {
    "edd": "2027-06-10",
    "today": "2027-03-01",
    "referral_date": "2027-01-20",
    "complex": True,
    "allocation_date": "2027-01-21",
    "significant_harm": True,
    "strategy_discussion_date": "2027-02-10",
    "events": {"intro_home_visit": "2027-02-01", "genogram": {"not_applicable": "Done last year"}},
}


def run(tmp_path, facts) -> tuple[int, str, str]:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts) if not isinstance(facts, str) else facts)
    out, err = io.StringIO(), io.StringIO()
    code = main([str(path)], protocol=PROTOCOL, today=TODAY, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_output_has_exactly_the_contract_keys(tmp_path):
    code, out, _ = run(tmp_path, FACTS)
    timeline = json.loads(out)

    assert code == 0
    assert set(timeline) == {"protocol", "gestation_today", "team", "late_referral_days",
                             "milestones"}  # fmt: skip
    assert timeline["protocol"] == {"name": PROTOCOL.name, "version": PROTOCOL.version}
    assert timeline["gestation_today"] == "25+4"
    assert timeline["team"] == "safeguarding"
    assert timeline["late_referral_days"] == 27
    for milestone in timeline["milestones"]:
        assert set(milestone) == {"id", "title", "due", "status", "done", "days_overdue"}
    by_id = {m["id"]: m for m in timeline["milestones"]}
    assert by_id["icpc"]["due"] == "2027-03-03"
    assert by_id["intro_home_visit"]["status"] == "done"
    assert by_id["genogram"]["status"] == "not_applicable"


def test_hours_are_given_as_a_datetime(tmp_path):
    facts = {"edd": "2027-06-10", "today": "2027-06-12", "birth_date": "2027-06-08",
             "pregnancy_outcome": "live_birth", "discharge": "2027-06-11T15:30:00",
             "placement": "home"}  # fmt: skip

    _, out, _ = run(tmp_path, facts)

    by_id = {m["id"]: m for m in json.loads(out)["milestones"]}
    assert by_id["home_visit_48h"]["due"] == "2027-06-13T15:30:00"
    assert by_id["discharge_planning_meeting"]["due"] == "2027-06-11"


def test_a_missing_today_means_the_day_it_runs(tmp_path):
    _, out, _ = run(tmp_path, {"edd": "2027-06-10"})

    assert json.loads(out)["gestation_today"] == "25+4"
    assert json.loads(out)["team"] is None
    assert json.loads(out)["late_referral_days"] is None


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({}, "edd"),
        ({"edd": "10/06/2027"}, "edd"),
        ({"edd": "2027-06-10", "colour": "blue"}, "colour"),
        ({"edd": "2027-06-10", "complex": "yes"}, "complex"),
        ({"edd": "2027-06-10", "placement": "hotel"}, "placement"),
        ({"edd": "2027-06-10", "events": {"tea_party": "2027-01-01"}}, "events.tea_party"),
        ({"edd": "2027-06-10", "events": {"icpc": {"skip": "x"}}}, "events.icpc"),
        ({"edd": "2028-02-01"}, "edd"),
        ({"edd": "2027-06-10", "birth_date": "2027-02-01", "pregnancy_outcome": "live_birth",
          "discharge": "2027-01-30T10:00"}, "discharge"),
        ({"edd": "2027-06-10", "placement": "home"}, "placement"),
        ({"edd": "2027-06-10", "discharge": "2027-02-01T10:00"}, "discharge"),
        ({"edd": "2027-06-10", "discharge": "2027-02-01"}, "discharge"),
        ({"edd": "2027-06-10", "pregnancy_outcome": "stillbirth", "birth_date": "2027-02-01"},
         "birth_date"),
        ({"edd": "2027-06-10", "pregnancy_outcome": "live_birth"}, "birth_date"),
        ({"edd": None}, "edd"),
        ({"edd": 20270610}, "edd"),
        ({"edd": "2027-02-30"}, "edd"),
        ({"edd": "2027-06-10", "today": "yesterday"}, "today"),
        ({"edd": "2027-06-10", "referral_date": "2027-01-20T09:00"}, "referral_date"),
        ({"edd": "2027-06-10", "referral_date": "2027-01-20", "allocation_date": "2027-01-19"},
         "allocation_date"),
        ({"edd": "2027-06-10", "pregnancy_outcome": "lost"}, "pregnancy_outcome"),
        ({"edd": "2027-06-10", "birth_date": "2027-03-20"}, "birth_date"),
        ({"edd": "2027-06-10", "birth_date": "2026-08-01"}, "birth_date"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "birth_date": "2027-06-08",
          "placement_date": "2027-06-10"}, "placement_date"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "birth_date": "2027-06-08",
          "placement": "foster", "placement_date": "2027-06-07"}, "placement_date"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "pregnancy_outcome": "stillbirth",
          "placement": "foster"}, "placement"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "planned_discharge_date": "2027-06-12"},
         "planned_discharge_date"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "pregnancy_outcome": "stillbirth",
          "planned_discharge_date": "2027-06-12"}, "planned_discharge_date"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "birth_date": "2027-06-08",
          "planned_discharge_date": "2027-06-07"}, "planned_discharge_date"),
        ({"edd": "2027-06-10", "today": "2027-06-20", "birth_date": "2027-06-08",
          "planned_discharge_date": "2027-06-12T10:00"}, "planned_discharge_date"),
        ({"edd": "2027-06-10", "today": "2027-06-12T25:00"}, "today"),
        ({"edd": "2027-06-10", "events": ["icpc"]}, "events"),
        ({"edd": "2027-06-10", "events": {"icpc": None}}, "events.icpc"),
        ({"edd": "2027-06-10", "events": {"icpc": {"not_applicable": " "}}}, "events.icpc"),
        ({"edd": "2027-06-10", "events": {"icpc": "soon"}}, "events.icpc"),
        ([], "facts"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_exits_2(tmp_path, facts, field):
    code, out, err = run(tmp_path, facts)

    assert code == 2
    assert out == ""
    assert err.startswith(f"error: {field}: ")


def test_a_referral_after_the_birth_is_not_an_error(tmp_path):
    facts = {"edd": "2027-06-10", "today": "2027-06-20", "birth_date": "2027-06-05",
             "pregnancy_outcome": "live_birth", "referral_date": "2027-06-15"}  # fmt: skip

    code, out, _ = run(tmp_path, facts)

    assert code == 0
    assert json.loads(out)["late_referral_days"] == (date(2027, 6, 15) - date(2026, 12, 24)).days


def test_a_file_that_is_not_json_exits_2(tmp_path):
    code, _, err = run(tmp_path, "{not json")

    assert code == 2
    assert "not valid JSON" in err


def test_facts_survive_a_round_trip_through_json():
    facts = facts_from_json(FACTS, PROTOCOL, default_today=TODAY)

    assert facts_from_json(facts_to_json(facts), PROTOCOL, default_today=TODAY) == facts


def test_facts_error_carries_the_field():
    with pytest.raises(FactsError) as error:
        facts_from_json({"edd": "nope"}, PROTOCOL, default_today=TODAY)

    assert error.value.field == "edd"


def test_hours_given_with_a_time_zone_are_counted_on_london_time(tmp_path):
    # 14:30 UTC on 11 June 2027 is 15:30 British Summer Time.
    facts = {"edd": "2027-06-10", "today": "2027-06-12", "birth_date": "2027-06-08",
             "pregnancy_outcome": "live_birth", "discharge": "2027-06-11T14:30:00Z",
             "placement": "home"}  # fmt: skip

    _, out, _ = run(tmp_path, facts)

    by_id = {m["id"]: m for m in json.loads(out)["milestones"]}
    assert by_id["home_visit_48h"]["due"] == "2027-06-13T15:30:00"


def test_every_milestone_entry_has_the_contract_types(tmp_path):
    facts = {**FACTS, "pre_proceedings": True, "bla_panel": True}
    _, out, _ = run(tmp_path, facts)

    for milestone in json.loads(out)["milestones"]:
        assert isinstance(milestone["id"], str) and isinstance(milestone["title"], str)
        assert milestone["due"] is None or date.fromisoformat(milestone["due"][:10])
        assert milestone["done"] is None or date.fromisoformat(milestone["done"])
        assert isinstance(milestone["days_overdue"], int)
        assert milestone["status"] in {"done", "done_late", "overdue", "due_soon", "upcoming",
                                       "awaiting", "not_applicable", "closed"}  # fmt: skip
    by_id = {m["id"]: m for m in json.loads(out)["milestones"]}
    assert by_id["plo_letter"]["due"] is None


def test_a_neonatal_death_after_going_home_is_accepted(tmp_path):
    facts = {"edd": "2027-06-10", "today": "2027-06-20", "birth_date": "2027-06-08",
             "pregnancy_outcome": "neonatal_death", "discharge": "2027-06-11T10:00",
             "placement": "home"}  # fmt: skip

    code, out, _ = run(tmp_path, facts)

    assert code == 0
    statuses = {m["id"]: m["status"] for m in json.loads(out)["milestones"]}
    assert statuses["home_visit_48h"] == "closed"


def test_the_protocol_is_the_default_unless_given():
    facts = facts_from_json({"edd": "2027-06-10", "events": {"icpc": "2027-03-01"}},
                            default_today=TODAY)  # fmt: skip

    assert facts.events == {"icpc": date(2027, 3, 1)}
    assert facts.today == TODAY


def test_the_json_out_is_the_timeline_in(tmp_path):
    _, out, _ = run(tmp_path, FACTS)
    facts = facts_from_json(FACTS, PROTOCOL, default_today=TODAY)

    assert json.loads(out) == timeline_to_json(compute_timeline(facts, PROTOCOL))


def test_standard_input_is_read_for_a_dash():
    out, err = io.StringIO(), io.StringIO()

    code = main(["-"], out, err, TODAY, stdin=io.StringIO(json.dumps(FACTS)))

    assert code == 0, err.getvalue()
    assert json.loads(out.getvalue())["team"] == "safeguarding"


def test_a_missing_file_exits_2_naming_it(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    missing = str(tmp_path / "nowhere.json")

    assert main([missing], out, err, TODAY) == 2
    assert err.getvalue().startswith(f"error: {missing}: cannot read")


def test_a_file_that_is_not_text_exits_2(tmp_path):
    path = tmp_path / "facts.json"
    path.write_bytes(b"\xff\xfe\x00{")
    out, err = io.StringIO(), io.StringIO()

    assert main([str(path)], out, err, TODAY) == 2
    assert "not valid JSON" in err.getvalue()


def test_no_file_exits_2_with_the_usage():
    out, err = io.StringIO(), io.StringIO()

    assert main([], out, err, TODAY) == 2
    assert err.getvalue().startswith("usage: timeline FACTS.json")


def test_a_planned_discharge_date_brings_the_discharge_planning_meeting_forward(tmp_path):
    facts = {"edd": "2027-06-10", "today": "2027-06-09", "birth_date": "2027-06-08",
             "pregnancy_outcome": "live_birth", "planned_discharge_date": "2027-06-11",
             "placement": "home"}  # fmt: skip

    code, out, _ = run(tmp_path, facts)

    by_id = {m["id"]: m for m in json.loads(out)["milestones"]}
    assert code == 0
    assert by_id["discharge_planning_meeting"]["due"] == "2027-06-11"
    assert by_id["discharge_planning_meeting"]["status"] == "due_soon"
    assert by_id["visit_schedule"]["due"] == "2027-06-11"
    again = facts_from_json(facts, default_today=TODAY)
    assert facts_to_json(again)["planned_discharge_date"] == "2027-06-11"
