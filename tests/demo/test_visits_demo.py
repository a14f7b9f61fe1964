"""The demo's visits are real work: the three CSC visit milestones are done by recorded
visits, and health staff's visits and case notes are there for cases at their stage."""

from datetime import UTC, date, datetime

from django.utils import timezone

from timeline.models import CaseMilestone, CaseStep
from visits.models import CaseNote, Visit

TODAY = date(2026, 11, 23)
VISIT_MILESTONES = {"intro_home_visit": "visit_introductory", "home_visit_48h": "visit_home",
                    "foster_visit_72h": "visit_foster"}  # fmt: skip


def test_the_demos_csc_visit_milestones_are_done_by_visits(demo):
    done = CaseMilestone.objects.filter(
        milestone_id__in=VISIT_MILESTONES, done_date__isnull=False
    ).select_related("case")
    assert done.filter(milestone_id="intro_home_visit").count() >= 20
    assert done.filter(milestone_id="home_visit_48h").exists()
    for row in done:
        kind = VISIT_MILESTONES[row.milestone_id]
        step = CaseStep.objects.get(case=row.case, kind=kind, agency="csc", done_on=row.done_date)
        visit = Visit.objects.get(pk=step.source_id)
        assert visit.agency == "csc" and visit.withdrawn_at is None
        assert timezone.localdate(visit.visited_at) == row.done_date <= TODAY
        assert not row.case.events.filter(milestone_id=row.milestone_id).exists()


def test_the_demo_has_health_visits_and_case_notes(demo):
    agencies = set(Visit.objects.values_list("agency", "type"))

    assert {("midwifery", "antenatal"), ("midwifery", "home"), ("phn", "new_birth")} <= agencies
    assert CaseNote.objects.filter(kind="case_note").count() >= 20
    assert CaseNote.objects.filter(kind="supervision").exists()
    seeded_at = datetime(2026, 11, 23, tzinfo=UTC)  # the clock the demo ran at
    assert all(visit.visited_at <= seeded_at for visit in Visit.objects.all())
