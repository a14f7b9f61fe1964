"""A supervision note on the case is the agency's supervision on the baby at the tracking
meeting: the pack, the meeting page and the printed pack show its day (the later of it and
a date told at a meeting), and withdrawing the note undoes it. Read, never copied: nothing
is written to the meeting's own supervision records."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import Supervision
from meetings.selectors import meeting_pack
from tests.conftest import PASSWORD
from tests.meeting_fixtures import finalised_meeting, make_staff
from visits.models import NoteKind
from visits.services import case_note_add, case_note_withdraw

NOW = datetime(2027, 1, 20, 12, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
MEETING_DAY = date(2027, 1, 27)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def built(db):
    return finalised_meeting(families=3, day=MEETING_DAY, finalise=False, password=PASSWORD)


def note(actor, case, *, on=None, kind=NoteKind.SUPERVISION, text="Supervision held"):
    return case_note_add(actor=actor, context=None, case=case, kind=kind, text=text, on=on)


def last_supervision(meeting, case) -> dict:
    (pack,) = [p for p in meeting_pack(meeting) if p.case.pk == case.pk]
    return pack.supervision


def test_a_supervision_note_shows_the_family_supervised_on_its_day_on_the_meeting_page(
    client, built
):
    family = built.cases[0]
    assert last_supervision(built.meeting, family)["csc"] == (None, True)  # none recorded

    note(built.social_worker, family, on=date(2027, 1, 14))

    assert last_supervision(built.meeting, family)["csc"] == (date(2027, 1, 14), False)
    client.force_login(built.chair)
    page = client.get(reverse("meeting_detail", args=[built.meeting.id]))
    (shown,) = [p for p, _ in page.context["families"] if p.case.pk == family.pk]
    assert shown.supervision["csc"] == (date(2027, 1, 14), False)
    assert "Social Care: 14 January 2027" in page.content.decode()
    printed = client.get(reverse("meeting_pack", args=[built.meeting.id])).content.decode()
    assert "Social Care: 14 January 2027" in printed
    # The other families, and the other agencies, were not supervised by it.
    assert last_supervision(built.meeting, built.cases[1])["csc"] == (None, True)
    assert last_supervision(built.meeting, family)["phn"] == (None, True)


def test_a_note_without_a_day_counts_on_the_day_it_was_written(built):
    note(built.social_worker, built.cases[0])

    assert last_supervision(built.meeting, built.cases[0])["csc"] == (TODAY, False)


def test_withdrawing_the_note_undoes_it(client, built):
    family = built.cases[0]
    written = note(built.social_worker, family, on=date(2027, 1, 14))

    case_note_withdraw(actor=built.social_worker, context=None, note=written,
                       reason="Written on the wrong case")  # fmt: skip

    assert last_supervision(built.meeting, family)["csc"] == (None, True)
    client.force_login(built.chair)
    page = client.get(reverse("meeting_detail", args=[built.meeting.id])).content.decode()
    assert "14 January 2027" not in page


def test_the_later_of_a_date_told_at_a_meeting_and_a_note_is_the_last_supervision(built):
    family = built.cases[0]
    discussion = built.discussions[0]
    told = meeting_services.supervision_record(
        actor=built.chair, context=None, discussion=discussion, agency="csc",
        supervised_on=date(2027, 1, 10),
    )  # fmt: skip
    older = note(built.social_worker, family, on=date(2027, 1, 5))
    assert last_supervision(built.meeting, family)["csc"][0] == told.supervised_on

    newer = note(built.social_worker, family, on=date(2027, 1, 18))
    assert last_supervision(built.meeting, family)["csc"][0] == date(2027, 1, 18)

    for withdrawn in (newer, older):
        case_note_withdraw(actor=built.social_worker, context=None, note=withdrawn, reason="Error")
    assert last_supervision(built.meeting, family)["csc"][0] == told.supervised_on


def test_each_agencys_note_is_its_own_practitioners_supervision(built):
    family = built.cases[0]
    midwife = make_staff("maria", "midwife", "mendip")
    note(midwife, family, on=date(2027, 1, 12))

    supervision = last_supervision(built.meeting, family)

    assert supervision["midwifery"] == (date(2027, 1, 12), False)
    assert supervision["csc"] == (None, True)


def test_a_case_note_or_a_direction_is_not_supervision(built):
    family = built.cases[0]
    note(built.social_worker, family, kind=NoteKind.CASE_NOTE, on=date(2027, 1, 14))
    note(built.operations_manager, family, kind=NoteKind.MANAGEMENT_DIRECTION,
         on=date(2027, 1, 14), text="Visit weekly")  # fmt: skip

    assert last_supervision(built.meeting, family)["csc"] == (None, True)


def test_an_old_note_is_flagged_as_over_the_interval(built):
    note(built.social_worker, built.cases[0], on=MEETING_DAY - timedelta(weeks=5))

    assert last_supervision(built.meeting, built.cases[0])["csc"][1] is True


def test_an_earlier_meeting_counts_only_supervision_on_or_before_its_day(db):
    with time_machine.travel(datetime(2026, 12, 1, 12, tzinfo=ZoneInfo("Europe/London"))):
        earlier = finalised_meeting(families=1, day=date(2026, 12, 8), next_meeting=False)
    family = earlier.cases[0]
    note(earlier.social_worker, family, on=date(2026, 12, 10))  # after that meeting

    assert last_supervision(earlier.meeting, family)["csc"] == (None, True)

    note(earlier.social_worker, family, on=date(2026, 12, 7))

    assert last_supervision(earlier.meeting, family)["csc"][0] == date(2026, 12, 7)


def test_saving_the_page_unchanged_copies_nothing_into_the_meetings_records(client, built):
    family, discussion = built.cases[0], built.discussions[0]
    note(built.social_worker, family, on=date(2027, 1, 14))
    client.force_login(built.chair)
    page = client.get(reverse("meeting_detail", args=[built.meeting.id]))
    (form,) = [f for p, f in page.context["families"] if p.case.pk == family.pk]
    data = {}
    for each in built.meeting.discussions.all():
        prefix = f"f{each.pk}"
        data.update({
            f"{prefix}-version": each.version,
            f"{prefix}-current_concerns": each.current_concerns,
            f"{prefix}-key_points": each.key_points,
            f"{prefix}-level_of_csc_input": each.level_of_csc_input,
            f"{prefix}-other_themes": "",
        })  # fmt: skip
    # As the browser sends it back: the note's day, shown in the date boxes.
    data.update({f"f{discussion.pk}-supervision_csc_day": "14",
                 f"f{discussion.pk}-supervision_csc_month": "1",
                 f"f{discussion.pk}-supervision_csc_year": "2027"})  # fmt: skip
    assert form.initial["supervision_csc"] == date(2027, 1, 14)

    response = client.post(reverse("meeting_detail", args=[built.meeting.id]), data)

    assert response.status_code == 302
    assert not Supervision.objects.filter(case=family).exists()


def test_the_meeting_page_reads_the_notes_in_a_fixed_number_of_queries(client, built):
    client.force_login(built.chair)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            url = reverse("meeting_detail", args=[built.meeting.id])
            assert client.get(url).status_code == 200
        return len(queries)

    note(built.social_worker, built.cases[0], on=date(2027, 1, 14))
    few = count()
    for family in built.cases:
        note(built.social_worker, family, on=date(2027, 1, 15))
        note(built.social_worker, family, kind=NoteKind.CASE_NOTE)
        note(make_staff(f"hannah-{family.pk}", "health_visitor", "mendip"), family)

    assert count() == few
