"""Pre-birth assessments: every read, scoped to what the user may see.

Each takes a case the user has already been given by `cases.selectors.case_for_user`
(which scopes it, 404 otherwise, and audits the read): everyone who may read the case
may read its assessment.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from accounts.models import RoleCode
from assessments.models import AgencyView, AreaStatus, Assessment, AssessmentArea, AssessmentState
from assessments.services import decision_refusal
from audit.services import AuditContext, audit_list_read
from cases.models import STILL_OPEN
from cases.selectors import visible_cases
from rules import assessment as rules

# The Team page lists at most this many; more would be a backlog to raise, not to scroll.
AWAITING_SHOWN = 50


def awaiting_authorisation(
    user,
    *,
    context: AuditContext | None,
    mine_to_decide: bool = False,
    page: str = "awaiting_authorisation",
) -> list[Assessment]:
    """Assessments sent for authorisation on the open cases of a team manager's
    localities, the longest waiting first, each with `may_decide` (False on one the user
    wrote or sent: another team manager authorises it). `mine_to_decide`: only those
    the user may authorise (My work). The cases listed are recorded as read, as `page`."""
    if not user.has_role(RoleCode.TEAM_MANAGER):
        return []
    cases = visible_cases(user).filter(STILL_OPEN, locality_id__in=user.locality_ids)
    assessments = list(
        Assessment.objects.filter(state=AssessmentState.SUBMITTED, case__in=cases)
        .select_related("case__mother", "case__locality", "submitted_by", "opened_by")
        # Who wrote an area: the authors the no-self-approval rule refuses.
        .prefetch_related(Prefetch("areas", queryset=AssessmentArea.objects.only(
            "id", "assessment_id", "code", "status", "updated_by_id")))
        .order_by("submitted_at", "id")[:AWAITING_SHOWN]
    )  # fmt: skip
    for assessment in assessments:
        assessment.may_decide = decision_refusal(user, assessment) is None
    if mine_to_decide:
        assessments = [assessment for assessment in assessments if assessment.may_decide]
    if assessments:
        audit_list_read(
            actor=user, context=context, page=page,
            case_ids=[assessment.case_id for assessment in assessments], filters={},
        )  # fmt: skip
    return assessments


def assessment_of(case) -> Assessment | None:
    """The case's assessment with its areas and agency views."""
    assessment = (
        Assessment.objects.select_related("opened_by", "submitted_by", "decided_by")
        .prefetch_related(
            Prefetch("areas", queryset=AssessmentArea.objects.select_related("updated_by")),
            Prefetch(
                "agency_views",
                queryset=AgencyView.objects.select_related("author").order_by("agency"),
            ),
        )
        .filter(case=case)
        .first()
    )
    if assessment is not None:
        assessment.case = case
    return assessment


def views_warning(assessment: Assessment) -> str:
    """The warning that a health agency's view is missing ("" when both are added); reads
    the assessment's prefetched views."""
    added = (view.agency for view in assessment.agency_views.all())
    return rules.missing_views_warning(rules.missing_views(added))


def area_of(assessment: Assessment | None, code: str) -> AssessmentArea:
    """One area of an assessment the user has been given, else 404."""
    if assessment is None or code not in rules.AREA_CODES:
        raise Http404("No such area")
    return next(area for area in assessment.areas.all() if area.code == code)


@dataclass(frozen=True)
class AssessmentSummary:
    state: str
    state_label: str
    completed: int
    total: int = len(rules.AREAS)


def assessment_summary(case) -> AssessmentSummary | None:
    """For the case page, in one query: the state and how many areas are completed."""
    row = (
        Assessment.objects.filter(case=case)
        .annotate(completed=Count("areas", filter=Q(areas__status=AreaStatus.COMPLETED)))
        .values("state", "completed")
        .first()
    )
    if row is None:
        return None
    label = Assessment(state=row["state"]).get_state_display()
    return AssessmentSummary(state=row["state"], state_label=label, completed=row["completed"])
