"""The demo records the work after the birth through the services: meetings, schedules
and reviews that do their milestones, as the people would have recorded them."""

from datetime import date

from postnatal.models import DischargePlanningMeeting, VisitSchedule
from timeline.models import CaseMilestone, CaseStep

TODAY = date(2026, 11, 23)


def test_the_demos_discharge_planning_meetings_and_schedules_do_their_milestones(demo):
    meetings = DischargePlanningMeeting.objects.filter(withdrawn_at__isnull=True)
    assert meetings.exists()
    for meeting in meetings:
        row = CaseMilestone.objects.get(
            case=meeting.case, milestone_id="discharge_planning_meeting"
        )
        assert row.done_date == meeting.held_on
        assert meeting.case.placement == meeting.placement
        assert meeting.attendees.filter(agency="csc").exists()
    for schedule in VisitSchedule.objects.all():
        assert schedule.agreed_on is not None and schedule.visits.count() == 3
    # Every milestone done after the birth was done by a recorded step, not a tick.
    done = CaseMilestone.objects.filter(
        milestone_id__in=["discharge_planning_meeting", "visit_schedule"], done_date__isnull=False
    )
    assert (
        done.count()
        == CaseStep.objects.filter(
            kind__in=["discharge_planning_meeting", "visit_schedule"]
        ).count()
    )
