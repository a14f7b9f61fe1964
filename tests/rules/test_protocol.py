"""The shipped protocols load; a malformed one fails naming its milestone and field."""

import pytest

from rules.protocol import PROTOCOLS_DIR, ProtocolError, load_protocol, named_protocol

SPEC_IDS = [
    "referral", "team_routing", "allocation", "assessment_opened", "intro_home_visit",
    "agencies_informed", "checkpoint_10_day", "multi_agency_meeting", "checkpoint_30_day",
    "genogram", "chronology", "family_network", "assessment_completed", "icpc", "birth_plan",
    "legal_planning_meeting", "plo_letter", "initial_plo_meeting", "bla_panel",
    "discharge_planning_meeting", "visit_schedule", "home_visit_48h", "foster_visit_72h",
    "cp_review_conference", "pc_midpoint_review", "tracking_end",
]  # fmt: skip

HEADER = """
name = "Test"
version = "1"
date = 2026-01-01
review_date = 2026-07-01
"""
GOOD = """
[[milestones]]
id = "referral"
title = "Referral"
applies_when = "always"
anchor = "gestation"
weeks = 16
source = "procedure"
"""


@pytest.mark.parametrize("name", ["default", "example_alternative"])
def test_the_shipped_protocols_hold_exactly_the_spec_milestones(name):
    protocol = named_protocol(name)

    assert list(protocol.milestone_ids) == SPEC_IDS
    assert protocol.review_date > protocol.date
    assert all(rule.source for rule in protocol.milestones)


def test_the_example_protocol_is_clearly_labelled():
    text = (PROTOCOLS_DIR / "example_alternative.toml").read_text()

    assert text.startswith("# EXAMPLE ONLY")
    assert named_protocol("example_alternative").name.startswith("Example:")


def load(tmp_path, body: str):
    path = tmp_path / "protocol.toml"
    path.write_text(HEADER + body)
    return load_protocol(path)


def test_a_minimal_protocol_loads(tmp_path):
    assert load(tmp_path, GOOD).milestone_ids == ("referral",)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (GOOD.replace('"gestation"', '"conception"'), "milestone 'referral': field 'anchor'"),
        (GOOD.replace('weeks = 16', 'weeks = 16\nunit = "fortnights"'),
         "milestone 'referral': field 'unit': unknown value 'fortnights'"),
        (GOOD.replace('"always"', '"sometimes"'), "milestone 'referral': field 'applies_when'"),
        (GOOD.replace('title = "Referral"\n', ""),
         "milestone 'referral': field 'title': is missing"),
        (GOOD.replace('id = "referral"\n', ""), "milestone '#1': field 'id': is missing"),
        (GOOD + GOOD, "milestone 'referral': field 'id': appears more than once"),
        (GOOD.replace("weeks = 16", 'weeks = "sixteen"'),
         "milestone 'referral': field 'weeks': must be int"),
        (GOOD.replace("weeks = 16", "weeks = 16\ncolour = 3"),
         "milestone 'referral': field 'colour': is not a known field"),
        (GOOD.replace('anchor = "gestation"\nweeks = 16', 'anchor = "milestone:icpc"'),
         "milestone 'referral': field 'anchor': refers to unknown milestone 'icpc'"),
    ],
)  # fmt: skip
def test_a_malformed_protocol_names_the_milestone_and_field(tmp_path, body, expected):
    with pytest.raises(ProtocolError) as error:
        load(tmp_path, body)

    assert str(error.value).startswith(expected)


def test_a_cycle_between_milestones_is_refused(tmp_path):
    body = """
[[milestones]]
id = "a"
title = "A"
applies_when = "always"
anchor = "milestone:b"
source = "x"

[[milestones]]
id = "b"
title = "B"
applies_when = "always"
anchor = "milestone:a"
source = "x"
"""
    with pytest.raises(ProtocolError, match="depends on itself: a -> b -> a"):
        load(tmp_path, body)


def test_a_review_date_before_the_protocol_date_is_refused(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_text(HEADER.replace("2026-07-01", "2025-07-01") + GOOD)

    with pytest.raises(ProtocolError, match="field 'review_date'"):
        load_protocol(path)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_text("this is = = not toml")

    with pytest.raises(ProtocolError, match="not valid TOML"):
        load_protocol(path)
