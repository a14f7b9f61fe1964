"""What each role may do. The one place these decisions live.

Least privilege: analysts and system administrators see no case data at all; the data
protection officer sees the audit log and, for a subject access request, one case's
records, through her own pages only;
guests may read, not change; the rest work on cases in their localities and on
cases they are named on.
"""

from accounts.models import AgencyCode, RoleCode

CASE_READERS = frozenset(
    {
        RoleCode.SOCIAL_WORKER,
        RoleCode.TEAM_MANAGER,
        RoleCode.OPERATIONS_MANAGER,
        RoleCode.NAMED_MIDWIFE,
        RoleCode.MIDWIFE,
        RoleCode.NAMED_PHN,
        RoleCode.HEALTH_VISITOR,
        RoleCode.GUEST,
    }
)
CASE_WRITERS = CASE_READERS - {RoleCode.GUEST}
AUDIT_READERS = frozenset({RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER})


def can_read_cases(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*CASE_READERS)


def can_change_cases(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*CASE_WRITERS)


RESTRICTORS = frozenset({RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER})


def can_restrict_cases(user) -> bool:
    """Restricts cases to named people (a member of staff's family, a family in the news):
    a team manager or operations manager, of the case's locality (can_restrict_case)."""
    return user.is_authenticated and user.is_active and user.has_role(*RESTRICTORS)


def can_restrict_case(user, case) -> bool:
    return can_restrict_cases(user) and case.locality_id in user.locality_ids


def can_read_case_audit(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*AUDIT_READERS)


# The data protection officer answers "who looked at my record?" and subject access
# requests from the audit log and the records (dataprotection/): those pages only. The
# role is in none of the sets above, so no case page, list, meeting or dashboard is hers.
DATA_PROTECTION_OFFICERS = frozenset({RoleCode.DATA_PROTECTION_OFFICER})


def can_answer_data_protection_requests(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(*DATA_PROTECTION_OFFICERS)


def agency_code(user) -> str | None:
    agency = getattr(user, "agency", None)
    return agency.code if agency is not None else None


def can_record_milestone(user, owner: str) -> bool:
    """A milestone is recorded done, not applicable or undone only by the agency that owns
    it (the protocol's `owner`); others see it."""
    return can_change_cases(user) and agency_code(user) == owner


def can_change_csc_decisions(user) -> bool:
    """The referral, allocation, the decisions, the placement and the level of CSC input
    are children's social care's to record: other agencies see them."""
    return can_change_cases(user) and agency_code(user) == AgencyCode.CSC


def agency_name(code: str) -> str:
    """ "Children's Social Care", for a code; the code itself if it is not an agency's."""
    return AgencyCode(code).label if code in AgencyCode.values else code


def agency_in_sentence(code: str) -> str:
    """ "public health nursing": an agency's name inside a sentence, in lower case as the
    service writes it ("open to children's social care")."""
    return agency_name(code).lower()


# Tracking meetings (Terms of Reference 4.3, 5, 6): the Named Midwife for Safeguarding or
# deputy chairs; CSC's operations manager and the Named PHN are members; team managers
# see their locality's meetings and actions; guests see a meeting they are invited to.
MEETING_CHAIRS = frozenset({RoleCode.NAMED_MIDWIFE})
MEETING_MEMBERS = MEETING_CHAIRS | {RoleCode.OPERATIONS_MANAGER, RoleCode.NAMED_PHN}
MEETING_READERS = MEETING_MEMBERS | {RoleCode.TEAM_MANAGER}


def can_read_meetings(user) -> bool:
    """Sees the meetings of their localities (a guest: only those they are invited to)."""
    return user.is_authenticated and user.is_active and user.has_role(*MEETING_READERS)


def can_chair_meetings(user) -> bool:
    """Schedules meetings, sends invitations, adjusts the cohort, finalises the record."""
    return user.is_authenticated and user.is_active and user.has_role(*MEETING_CHAIRS)


def can_record_meetings(user) -> bool:
    """Records attendance, each family's discussion, actions and supervision."""
    return user.is_authenticated and user.is_active and user.has_role(*MEETING_MEMBERS)
