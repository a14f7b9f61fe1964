"""The shipped protocols load; a malformed one fails naming its milestone and field."""

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.protocol import (
    PROTOCOLS_DIR,
    ProtocolError,
    default_protocol,
    load_protocol,
    named_protocol,
    parse_protocol,
)

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
ROUTING = "team_routing = { duty_and_assessment_from_weeks = 30 }\n"
GOOD = """
[[milestones]]
id = "referral"
title = "Referral"
owner = "midwifery"
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
    path.write_text(HEADER + ROUTING + body)
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
        (GOOD.replace('owner = "midwifery"\n', ""),
         "milestone 'referral': field 'owner': is missing"),
        (GOOD.replace('owner = "midwifery"', 'owner = "police"'),
         "milestone 'referral': field 'owner': unknown value 'police' (expected one of csc,"
         " midwifery, phn)"),
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
        (GOOD.replace("weeks = 16", 'weeks = 16\ndone_by = "record:tea"'),
         "milestone 'referral': field 'done_by': unknown recorded step 'record:tea'"),
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
owner = "csc"
applies_when = "always"
anchor = "milestone:b"
source = "x"

[[milestones]]
id = "b"
title = "B"
owner = "csc"
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


REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference documents are not here")
def test_every_default_source_is_the_documents_own_words():
    documents = _words(" ".join(path.read_text() for path in REFERENCE.glob("*.txt")))

    for rule in named_protocol("default").milestones:
        for part in rule.source.split(" … "):
            assert _words(part) in documents, (rule.id, part)


def test_what_the_example_protocol_changes_is_marked_as_an_example():
    default = named_protocol("default")
    example = named_protocol("example_alternative")

    changed = {r.id for r in example.milestones if r.due_rules != default.milestone(r.id).due_rules}
    assert changed == {"icpc", "bla_panel", "cp_review_conference"}
    for milestone_id in changed:
        assert example.milestone(milestone_id).source.startswith("EXAMPLE, not a real procedure")


def test_dates_that_are_not_the_procedures_words_say_where_they_come_from():
    protocol = named_protocol("default")

    assert "Working Together" in protocol.milestone("icpc").interpretation
    assert "Working Together" in protocol.milestone("assessment_completed").interpretation
    assert "one-working-day" in protocol.milestone("allocation").interpretation


ICPC = """
[[milestones]]
id = "icpc"
title = "ICPC"
owner = "csc"
applies_when = "significant_harm"
combine = "earliest"
source = "procedure"

[[milestones.due]]
anchor = "gestation"
weeks = 26

[[milestones.due]]
anchor = "strategy_discussion"
offset = 15
unit = "working_days"
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (GOOD.replace("weeks = 16", "weeks = 16\noffset = -2"),
         "milestone 'referral': field 'offset': must be 0 or more, not -2"),
        (GOOD.replace("weeks = 16", "weeks = 50"),
         "milestone 'referral': field 'weeks': must be from 0 to 44, not 50"),
        (GOOD.replace("weeks = 16", "weeks = 16\ndays = 7"),
         "milestone 'referral': field 'days': must be from 0 to 6, not 7"),
        (GOOD.replace('anchor = "gestation"\nweeks = 16', 'anchor = "referral"\nweeks = 2'),
         "milestone 'referral': field 'weeks': only the gestation anchor takes weeks"),
        (GOOD.replace('anchor = "gestation"\nweeks = 16', 'anchor = "referral"\nunit = "hours"'),
         "milestone 'referral': field 'unit': hours can only count from discharge or placement"),
        (GOOD.replace('anchor = "gestation"\nweeks = 16', 'anchor = "none"\noffset = 3'),
         "milestone 'referral': field 'offset': anchor 'none' has no date"),
        (GOOD.replace("weeks = 16", 'weeks = 16\ncombine = "earliest"'),
         "milestone 'referral': field 'combine': only a milestone with [[milestones.due]]"),
        (GOOD.replace("weeks = 16", "weeks = 16\nwarning = -1"),
         "milestone 'referral': field 'warning': must be 0 or more"),
        (GOOD.replace("weeks = 16", 'weeks = 16\nwarning_unit = "hours"'),
         "milestone 'referral': field 'warning_unit': unknown value 'hours'"),
        (GOOD.replace("weeks = 16", 'weeks = 16\ndone_by = "milestone:icpc"'),
         "milestone 'referral': field 'done_by': refers to unknown milestone 'icpc'"),
        (GOOD.replace("weeks = 16", 'weeks = 16\ndone_by = "when_we_feel_like_it"'),
         "milestone 'referral': field 'done_by': unknown value 'when_we_feel_like_it'"),
        (GOOD.replace("weeks = 16", 'weeks = 16\nwhen = "sometimes"'),
         "milestone 'referral': field 'when': unknown value 'sometimes'"),
        (GOOD.replace('"referral"', '"Referral"', 1), "milestone 'Referral': field 'id'"),
        (GOOD.replace('source = "procedure"', 'source = " "'),
         "milestone 'referral': field 'source': must not be empty"),
        (GOOD.replace('anchor = "gestation"\nweeks = 16',
                      'anchor = "placement"\noffset = 8\nunit = "weeks"\nwindow_start = 9'),
         "milestone 'referral': field 'window_start': must be from 0 to 8, not 9"),
        (GOOD + ICPC.replace('unit = "working_days"', 'unit = "fortnights"'),
         "milestone 'icpc': field 'due[1].unit': unknown value 'fortnights'"),
        (GOOD + ICPC.replace("weeks = 26", "weeks = 26\nwhen = 'later'"),
         "milestone 'icpc': field 'due[0].when': unknown value 'later'"),
        (GOOD + ICPC.replace("weeks = 26", "weeks = 26\ncolour = 'red'"),
         "milestone 'icpc': field 'due[0].colour': is not a known field"),
        (GOOD + ICPC.replace('anchor = "gestation"\nweeks = 26', 'anchor = "milestone:bla"'),
         "milestone 'icpc': field 'due[0].anchor': refers to unknown milestone 'bla'"),
        (GOOD + ICPC.replace('combine = "earliest"', 'combine = "average"'),
         "milestone 'icpc': field 'combine': unknown value 'average'"),
        (GOOD + ICPC.replace('combine = "earliest"', 'combine = "earliest"\nanchor = "birth"'),
         "milestone 'icpc': field 'anchor': give either due rules on the milestone or"),
        (GOOD.replace('anchor = "gestation"\nweeks = 16', 'anchor = "milestone:referral"'),
         "milestone 'referral': field 'anchor': depends on itself: referral -> referral"),
        ("milestones = [1]", "milestone '#1': must be a table"),
        ("milestones = []", "field 'milestones': needs at least one"),
        ("", "field 'milestones': is missing"),
    ],
)  # fmt: skip
def test_a_malformed_milestone_names_itself_and_the_field(tmp_path, body, expected):
    with pytest.raises(ProtocolError) as error:
        load(tmp_path, body)

    assert str(error.value).startswith(expected)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER.replace('version = "1"', 'version = ""'), "field 'version': must not be empty"),
        (HEADER.replace('version = "1"', 'version = "one point two"'),
         "field 'version': 'one point two' is not a version"),
        (HEADER.replace('version = "1"', "version = 1"), "field 'version': must be str, not int"),
        (HEADER.replace("date = 2026-01-01", 'date = "1 January 2026"'),
         "field 'date': must be date, not str"),
        (HEADER.replace("date = 2026-01-01", "date = 2026-01-01T09:00:00"),
         "field 'date': must be a date like 2027-06-10, without a time"),
        (HEADER.replace('name = "Test"\n', ""), "field 'name': is missing"),
        (HEADER + 'bank_holidays = "FRA"\n', "field 'bank_holidays': unknown value 'FRA'"),
        (HEADER + 'colour = "blue"\n', "field 'colour': is not a known field"),
        (HEADER + "[defaults]\nwarning = -3\n", "field 'defaults.warning': must be 0 or more"),
        (HEADER + "[defaults]\nwarnings = 3\n", "field 'defaults.warnings': is not a known"),
    ],
)  # fmt: skip
def test_a_malformed_protocol_header_names_the_field(tmp_path, header, expected):
    path = tmp_path / "protocol.toml"
    path.write_text(ROUTING + header + GOOD)

    with pytest.raises(ProtocolError) as error:
        load_protocol(path)

    assert str(error.value).startswith(expected)


def test_the_error_carries_the_milestone_and_field(tmp_path):
    with pytest.raises(ProtocolError) as error:
        load(tmp_path, GOOD.replace('"always"', '"sometimes"'))

    assert (error.value.milestone, error.value.field) == ("referral", "applies_when")


def test_a_missing_file_is_a_protocol_error(tmp_path):
    with pytest.raises(ProtocolError, match="cannot read"):
        load_protocol(tmp_path / "nowhere.toml")


def test_the_default_protocol_is_loaded_once():
    assert default_protocol() is default_protocol()
    assert default_protocol() is named_protocol("default")


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_text("this is = = not toml")

    with pytest.raises(ProtocolError, match="not valid TOML"):
        load_protocol(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_bytes(b'name = "\xff\xfe"')

    with pytest.raises(ProtocolError, match="not valid TOML"):
        load_protocol(path)


@pytest.mark.parametrize(
    ("routing", "expected"),
    [
        ("", "field 'team_routing': is missing"),
        ("team_routing = 30\n", "field 'team_routing': must be dict, not int"),
        ("[team_routing]\n", "field 'team_routing.duty_and_assessment_from_weeks': is missing"),
        ("[team_routing]\nduty_and_assessment_from_weeks = 45\n",
         "field 'team_routing.duty_and_assessment_from_weeks': must be from 0 to 44, not 45"),
        ("[team_routing]\nduty_and_assessment_from_weeks = '30'\n",
         "field 'team_routing.duty_and_assessment_from_weeks': must be int, not str"),
        ("[team_routing]\nduty_and_assessment_from_weeks = 30\nduty_and_assessment_from_days = 7\n",
         "field 'team_routing.duty_and_assessment_from_days': must be from 0 to 6, not 7"),
        ("[team_routing]\nduty_and_assessment_from_weeks = 30\nsafeguarding_from_weeks = 20\n",
         "field 'team_routing.safeguarding_from_weeks': is not a known field"),
    ],
)  # fmt: skip
def test_a_malformed_team_routing_names_the_field(tmp_path, routing, expected):
    path = tmp_path / "protocol.toml"
    path.write_text(HEADER + routing + GOOD)

    with pytest.raises(ProtocolError) as error:
        load_protocol(path)

    assert str(error.value).startswith(expected)


def test_the_team_routing_is_read_from_the_file(tmp_path):
    path = tmp_path / "protocol.toml"
    path.write_text(
        HEADER + "[team_routing]\nduty_and_assessment_from_weeks = 28\n"
        "duty_and_assessment_from_days = 3\n" + GOOD
    )

    routing = load_protocol(path).team_routing

    assert (routing.duty_and_assessment_from_weeks, routing.duty_and_assessment_from_days) == (
        28,
        3,
    )


DISCHARGE_PLANNING = """
[[milestones]]
id = "discharge_planning_meeting"
title = "Discharge planning meeting"
owner = "csc"
applies_when = "live_birth"
combine = "earliest"
source = "procedure"

[[milestones.due]]
anchor = "planned_discharge"

[[milestones.due]]
anchor = "discharge"

[[milestones.due]]
anchor = "birth"
offset = 1
fallback = true
"""


def test_a_fallback_rule_loads(tmp_path):
    rule = load(tmp_path, GOOD + DISCHARGE_PLANNING).milestone("discharge_planning_meeting")

    assert [(due.anchor, due.fallback) for due in rule.due_rules] == [
        ("planned_discharge", False), ("discharge", False), ("birth", True),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (GOOD + DISCHARGE_PLANNING.replace('combine = "earliest"', 'combine = "first"'),
         "milestone 'discharge_planning_meeting': field 'due[2].fallback': a fallback is only"),
        (GOOD + DISCHARGE_PLANNING.replace('anchor = "discharge"\n',
                                           'anchor = "discharge"\nfallback = true\n'),
         "milestone 'discharge_planning_meeting': field 'due[2].fallback': only one rule"),
        (GOOD + DISCHARGE_PLANNING.replace("fallback = true", 'fallback = "yes"'),
         "milestone 'discharge_planning_meeting': field 'due[2].fallback': must be bool"),
        (GOOD.replace("weeks = 16", "weeks = 16\nfallback = true"),
         "milestone 'referral': field 'fallback': only a [[milestones.due]] rule"),
    ],
)  # fmt: skip
def test_a_misused_fallback_names_the_field(tmp_path, body, expected):
    with pytest.raises(ProtocolError) as error:
        load(tmp_path, body)

    assert str(error.value).startswith(expected)


def test_every_milestone_of_the_shipped_protocols_names_its_owning_agency():
    for name in ("default", "example_alternative"):
        owners = {rule.id: rule.owner for rule in named_protocol(name).milestones}
        # The procedure's social worker and team manager tasks are children's social care's.
        for milestone_id in ("checkpoint_10_day", "genogram", "allocation", "home_visit_48h",
                             "plo_letter", "discharge_planning_meeting"):  # fmt: skip
            assert owners[milestone_id] == "csc", milestone_id
        assert owners["tracking_end"] == "midwifery"  # the Named Midwife chairs tracking
        assert set(owners.values()) <= {"csc", "midwifery", "phn"}


TRACKING_END = """
[[milestones]]
id = "tracking_end"
title = "End of tracking"
owner = "midwifery"
applies_when = "live_birth"
combine = "first"
source = "Terms of Reference"

[[milestones.due]]
when = "parent_and_child"
anchor = "placement"
offset = 8
unit = "weeks"

[[milestones.due]]
anchor = "birth"
offset = 28
unit = "calendar_days"
done_by = "due_passed"
"""


@pytest.mark.parametrize("name", ["default", "example_alternative"])
def test_the_shipped_protocols_keep_a_baby_in_the_community_tracked_for_28_days(name):
    assert named_protocol(name).community_tracking_days == 28


@pytest.mark.parametrize(
    ("due", "days"),
    [
        ("offset = 28\nunit = \"calendar_days\"", 28),
        ("offset = 42\nunit = \"calendar_days\"", 42),
        ("offset = 6\nunit = \"weeks\"", 42),
        ("offset = 0", 0),
    ],
)  # fmt: skip
def test_the_days_in_the_community_are_the_end_of_trackings_rule_from_the_birth(
    tmp_path, due, days
):
    body = TRACKING_END.replace('offset = 28\nunit = "calendar_days"', due)

    assert load(tmp_path, GOOD + body).community_tracking_days == days


def test_a_single_rule_end_of_tracking_from_the_birth_counts_too(tmp_path):
    body = TRACKING_END.split("[[milestones.due]]")[0].replace('combine = "first"\n', "")
    body += 'anchor = "birth"\noffset = 35\n'

    assert load(tmp_path, GOOD + body).community_tracking_days == 35


def test_without_an_end_of_tracking_from_the_birth_the_days_are_28(tmp_path):
    assert load(tmp_path, GOOD).community_tracking_days == 28
    from_allocation = TRACKING_END.replace('anchor = "birth"', 'anchor = "allocation"')
    assert load(tmp_path, GOOD + from_allocation).community_tracking_days == 28


@pytest.mark.parametrize("unit", ["working_days", "hours"])
def test_an_end_of_tracking_from_the_birth_not_in_days_is_refused(tmp_path, unit):
    body = TRACKING_END.replace('unit = "calendar_days"', f'unit = "{unit}"')

    with pytest.raises(ProtocolError) as error:
        load(tmp_path, GOOD + body)

    assert str(error.value).startswith("milestone 'tracking_end': field 'due[1].unit': ")


@pytest.mark.parametrize("name", ["default", "example_alternative"])
def test_the_shipped_protocols_flag_supervision_older_than_4_weeks(name):
    assert named_protocol(name).supervision_interval_weeks == 4


def test_the_supervision_interval_is_4_weeks_when_a_protocol_sets_none(tmp_path):
    assert "tracking_meeting" not in GOOD
    assert load(tmp_path, GOOD).supervision_interval_weeks == 4


@given(weeks=st.integers(min_value=1, max_value=52))
def test_a_protocol_sets_its_own_supervision_interval(weeks):
    table = f"\n[tracking_meeting]\nsupervision_interval_weeks = {weeks}\n"

    parsed = parse_protocol(tomllib.loads(HEADER + ROUTING + GOOD + table))
    assert parsed.supervision_interval_weeks == weeks


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("supervision_interval_weeks = 0", "must be from 1 to 52, not 0"),
        ("supervision_interval_weeks = 53", "must be from 1 to 52, not 53"),
        ('supervision_interval_weeks = "4"', "must be int, not str"),
        ("supervision_interval_weeks = true", "must be int, not bool"),
        ("supervision_weeks = 4", "supervision_weeks"),
    ],
)
def test_a_bad_supervision_interval_is_refused_naming_the_field(table, message):
    with pytest.raises(ProtocolError) as error:
        parse_protocol(tomllib.loads(HEADER + ROUTING + GOOD + f"[tracking_meeting]\n{table}\n"))

    assert "tracking_meeting." in str(error.value)
    assert message in str(error.value)
