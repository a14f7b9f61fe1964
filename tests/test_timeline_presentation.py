"""How timelines and counts are shown: plurals, due dates of done milestones, the strip."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from rules.dates import format_date
from rules.gestation import DAYS_IN_PREGNANCY, date_at_gestation
from timeline.models import CaseMilestone, MilestoneState
from timeline.presentation import (
    LABEL_GAP,
    MARKERS,
    WIDTH,
    build_strip,
    due_text,
    label_width,
)
from timeline.selectors import MilestoneRow
from web.templatetags.govuk import counted

LONDON = ZoneInfo("Europe/London")
EDD = date(2027, 6, 10)


# Counts of days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "noun", "text"),
    [
        (0, "day", "0 days"),
        (1, "day", "1 day"),
        (2, "day", "2 days"),
        (1, "case", "1 case"),
        (25, "case", "25 cases"),
        (1, "baby,babies", "1 baby"),
        (2, "baby,babies", "2 babies"),
        (None, "day", "0 days"),
    ],
)
def test_a_count_is_singular_for_one_only(number, noun, text):
    assert counted(number, noun) == text


def test_overdue_by_one_day_says_day_not_days():
    def tag(days):
        row = {"status": "overdue", "status_label": "Overdue", "days_overdue": days}
        return render_to_string("components/status_tag.html", {"row": row})

    assert "by 1 day<" in tag(1)
    assert "by 2 days<" in tag(2)


def test_a_referral_one_day_late_reads_1_day_after_it_was_due(client, social_worker, make_case):
    """The timeline page's "Late referral" row, for a referral one day past the threshold."""
    with time_machine.travel(datetime(2027, 2, 15, 10, 0, tzinfo=LONDON), tick=False):
        case = make_case(
            social_worker,
            edd=EDD,
            referral_date=date_at_gestation(EDD, 16) + timedelta(days=1),
            named_social_worker=social_worker,
        )
        client.force_login(social_worker)
        page = client.get(reverse("case_timeline", args=[case.id])).content.decode()

    due = format_date(date_at_gestation(EDD, 16))
    assert f"1 day after it was due ({due})" in page
    assert "1 days" not in page


# The "Due" column ----------------------------------------------------------


def _milestone(**fields) -> CaseMilestone:
    defaults = {"milestone_id": "legal_planning_meeting", "title": "Legal planning meeting"}
    return CaseMilestone(position=1, **(defaults | fields))


def test_a_done_milestone_without_a_due_date_is_not_waiting_for_one():
    done = _milestone(state=MilestoneState.DONE, done_date=date(2027, 2, 1))
    row = MilestoneRow(done, done.status_on(date(2027, 2, 15)), 0)

    assert row.due_text == "No due date"
    assert "Waiting" not in row.due_text


@pytest.mark.parametrize("state", ["done_late", "not_applicable", "closed"])
def test_no_finished_milestone_says_waiting_for_a_date(state):
    assert due_text(_milestone(state=state), state) == "No due date"


def test_an_open_milestone_without_a_date_is_waiting_for_one_or_has_no_fixed_date():
    waiting = _milestone(state=MilestoneState.OPEN)
    undated = _milestone(state=MilestoneState.OPEN, tracked_without_date=True)

    assert due_text(waiting, "awaiting") == "Waiting for a date"
    assert due_text(undated, "upcoming") == "No fixed date"


def test_a_due_date_is_shown_in_words_and_a_due_time_with_its_hour():
    by_date = _milestone(state=MilestoneState.OPEN, due_date=date(2027, 6, 10))
    by_time = _milestone(
        state=MilestoneState.OPEN,
        due_date=date(2027, 6, 10),
        due_at=datetime(2027, 6, 10, 14, 5, tzinfo=LONDON),
    )

    assert due_text(by_date, "upcoming") == "10 June 2027"
    assert due_text(by_time, "upcoming") == "10 June 2027 at 2:05pm"


# The strip -----------------------------------------------------------------


def _row(status, due=None, done=None, title="A milestone"):
    return SimpleNamespace(status=status, due_date=due, done_date=done, title=title)


def _boxes(strip):
    return sorted((x - label_width(text) / 2, x + label_width(text) / 2) for x, text in strip.ticks)


@given(
    edd_offset=st.integers(-400, 400),
    birth_week=st.one_of(st.none(), st.integers(22 * 7, 44 * 7)),
    today_offset=st.integers(-300, 400),
)
def test_no_two_labels_on_the_strip_overlap_and_all_fit(edd_offset, birth_week, today_offset):
    edd = EDD + timedelta(days=edd_offset)
    start = edd - timedelta(days=DAYS_IN_PREGNANCY)
    birth = None if birth_week is None else start + timedelta(days=birth_week)
    strip = build_strip(
        edd=edd, today=start + timedelta(days=today_offset), birth=birth, milestones=[]
    )

    boxes = _boxes(strip)
    for (_, right), (left, _) in zip(boxes, boxes[1:], strict=False):
        assert left - right >= LABEL_GAP - 0.01
    assert boxes[0][0] >= 0 and boxes[-1][1] <= WIDTH
    pregnancy = [x for x, text in strip.ticks if not text.startswith("+")]
    after_birth = [x for x, text in strip.ticks if text.startswith("+")]
    assert all(x <= strip.birth_region_x + 0.05 for x in pregnancy)
    assert after_birth and all(x > strip.birth_region_x for x in after_birth)
    if strip.today_label_x is not None:
        half = label_width("Today") / 2
        assert half <= strip.today_label_x <= WIDTH - half


def test_weeks_after_an_early_birth_do_not_overlap_the_weeks_of_pregnancy():
    """Born at 37+0: "36" and "+2w" used to be drawn on top of "40"."""
    start = EDD - timedelta(days=DAYS_IN_PREGNANCY)
    strip = build_strip(edd=EDD, today=EDD, birth=start + timedelta(weeks=37), milestones=[])

    labels = [text for _, text in strip.ticks]
    first_after = next(i for i, text in enumerate(labels) if text.startswith("+"))
    assert labels[:first_after] == ["0", "4", "8", "12", "16", "20", "24", "28", "32", "36"]
    assert labels[first_after:] == ["+4w", "+8w", "+12w"]


def test_the_key_explains_every_mark_drawn_and_no_other():
    today = date(2027, 3, 1)
    strip = build_strip(
        edd=EDD,
        today=today,
        birth=None,
        milestones=[
            _row("done", due=date(2027, 1, 10), done=date(2027, 1, 9)),
            _row("done_late", due=date(2027, 1, 20), done=date(2027, 2, 1)),
            _row("overdue", due=date(2027, 2, 20)),
            _row("upcoming", due=date(2027, 4, 1)),
            _row("awaiting"),
        ],
    )

    shapes = {marker.shape for marker in strip.markers}
    key = {entry.shape: entry.text for entry in strip.key}
    assert shapes == {"circle", "square", "triangle", "ring"}
    assert shapes <= set(key)
    assert "diamond" not in key  # nothing due soon is drawn
    assert {entry.text for entry in strip.key} >= {
        "done",
        "done late",
        "overdue",
        "upcoming",
        "weeks after birth",
        "expected due date (EDD)",
        "today",
    }
    assert "birth" not in {entry.text for entry in strip.key}
    # Shape tells each status apart, not colour alone.
    assert len({shape for shape, _ in MARKERS.values()}) == len(MARKERS)


def test_a_done_milestone_is_drawn_with_its_done_date_even_without_a_due_date():
    strip = build_strip(
        edd=EDD,
        today=date(2027, 3, 1),
        birth=None,
        milestones=[
            _row("done", done=date(2027, 2, 1), title="Legal planning meeting"),
            _row("done_late", due=date(2027, 1, 20), done=date(2027, 2, 1), title="Genogram"),
        ],
    )

    undated, late = strip.markers
    assert undated.label == "Legal planning meeting: done 1 February 2027"
    assert late.label == "Genogram: done late 1 February 2027, due 20 January 2027"
    assert undated.x > late.x  # placed on the day it was done


def test_the_timeline_page_draws_the_key_from_the_strip(client, social_worker, make_case):
    case = make_case(social_worker, edd=EDD, named_social_worker=social_worker)
    client.force_login(social_worker)

    page = client.get(reverse("case_timeline", args=[case.id])).content.decode()

    assert 'class="app-strip__key"' in page
    assert "expected due date (EDD)" in page
