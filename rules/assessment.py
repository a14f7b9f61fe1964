"""The pre-birth assessment: its 15 areas, and who may complete, submit and authorise it.

The areas are the procedure's own list ("Pre birth assessments should explore and analyse
the following using the risk sensible framework"), each with the procedure's words as its
hint, in the procedure's order except that the analysis of risk comes last: it is written
from the others, and cannot be completed while any other area is not. A team manager
authorises the finished assessment, and never one they wrote or sent for authorisation
(no self-approval).

Plain Python: no Django. The services ask these functions; so do the pages.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
AREA_STATUSES = (NOT_STARTED, IN_PROGRESS, COMPLETED)
STATUS_LABELS = {NOT_STARTED: "Not started", IN_PROGRESS: "In progress", COMPLETED: "Completed"}

# What a person does with an area's form.
DRAFT = "draft"
COMPLETE = "complete"
SAVE_ACTIONS = (DRAFT, COMPLETE)


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    hint: str


ANALYSIS = "analysis"
VIEWS_OF_OTHER_AGENCIES = "views_of_other_agencies"

AREAS: tuple[Area, ...] = (
    Area("parental_history", "Parental history",
         "Parental history ie previous children removed / cared for by others"),
    Area("substance_misuse", "Substance misuse", "Substance misuse history"),
    Area("planned_pregnancy", "Planned pregnancy", "Whether the pregnancy was planned"),
    Area("preparation_for_birth", "Preparation for the birth", "Preparation for the birth"),
    Area("programmes_and_referrals", "Programmes and referrals",
         "Any programmes involved in or referral required, for example, baby steps,"
         " children's centre"),
    Area("accommodation", "Accommodation", "Suitability and stability of accommodation"),
    Area("pams_hair_strand", "PAMS assessment and hair strand testing",
         "PAMs assessment/hair strand testing if required"),
    Area("parenting_assessment", "Parenting assessment",
         "Whether a Parenting assessment would be beneficial where there are concerns about"
         " basic parenting ability ie sterilizing bottles/feeds/routines/safer sleeping"),
    Area("parents_views", "Both parents' views of the impending child",
         "Both Parents view of the impending child"),
    Area("wider_family_support", "Wider family support", "Wider family support available"),
    Area(VIEWS_OF_OTHER_AGENCIES, "Views of other agencies",
         "Views of other agencies. The named midwife and health visitor add their own"
         " agency's view."),
    Area("ability_to_engage", "Ability to engage",
         "Ability to commit and attend appointments and engage with advice and support"),
    Area("pre_proceedings_needed", "Whether pre-proceedings is needed",
         "Whether pre proceedings is required"),
    Area("discharge_plan", "Discharge plan",
         "Clear discharge plan for the baby which may include home/care/wider family and a"
         " consideration of what order may be required"),
    Area(ANALYSIS, "Analysis of risk, capacity to change and impact on the child",
         "Analysis of the high risk indicators, underlying risk factors, parental capacity to"
         " change, and the impact on the Child of being within the family"),
)  # fmt: skip
AREA_CODES: tuple[str, ...] = tuple(area.code for area in AREAS)
AREAS_BY_CODE: dict[str, Area] = {area.code: area for area in AREAS}


def area_title(code: str) -> str:
    return AREAS_BY_CODE[code].title


def needed_before(code: str) -> tuple[str, ...]:
    """The areas that must be completed before this one can be: every other area before
    the analysis, which is written from them; nothing before the rest."""
    if code == ANALYSIS:
        return tuple(other for other in AREA_CODES if other != ANALYSIS)
    return ()


def not_completed(statuses: Mapping[str, str], codes: tuple[str, ...] = AREA_CODES) -> list[str]:
    """Of `codes`, in the procedure's order, those not completed (a missing one is not)."""
    return [code for code in codes if statuses.get(code, NOT_STARTED) != COMPLETED]


def in_sentence(title: str) -> str:
    """A title inside a sentence: "Parental history" -> "parental history", "PAMS" kept."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def _titles(codes: list[str]) -> str:
    titles = [in_sentence(area_title(code)) for code in codes]
    if len(titles) == 1:
        return titles[0]
    return ", ".join(titles[:-1]) + " and " + titles[-1]


# The health agencies whose own view "views of other agencies" asks for, in a sentence,
# and who adds it. A missing one is warned of, never blocking: the assessment may have to
# go without it.
HEALTH_VIEWS = {
    "midwifery": ("midwifery", "midwife"),
    "phn": ("public health nursing", "health visitor"),
}


def missing_views(added: Iterable[str]) -> list[str]:
    """The health agencies (codes, in order) that have not added their view."""
    present = set(added)
    return [agency for agency in HEALTH_VIEWS if agency not in present]


def missing_views_warning(missing: Iterable[str]) -> str:
    """ "The public health nursing view has not been added: the named health visitor adds
    it" ("" when none is missing)."""
    agencies = [HEALTH_VIEWS[code] for code in missing]
    if not agencies:
        return ""
    if len(agencies) == 1:
        ((name, who),) = agencies
        return f"The {name} view has not been added: the named {who} adds it"
    names = " and ".join(name for name, _ in agencies)
    people = " and ".join(who for _, who in agencies)
    return f"The {names} views have not been added: the named {people} add them"


def completion_problem(code: str, text: str, statuses: Mapping[str, str]) -> str | None:
    """Why this area cannot be marked as completed with this text, or None if it can."""
    if not text.strip():
        return f"Enter the {in_sentence(area_title(code))} before marking it as completed"
    waiting = not_completed(statuses, needed_before(code))
    if waiting:
        return f"The analysis is written from the other areas: complete {_titles(waiting)} first"
    return None


def status_after_save(current: str, text: str, action: str) -> str:
    """An area's status once saved: completed when marked so, otherwise in progress while
    it has text, not started while it has none."""
    if action not in SAVE_ACTIONS or current not in AREA_STATUSES:
        raise ValueError(f"unknown action {action!r} or status {current!r}")
    if action == COMPLETE:
        return COMPLETED
    return IN_PROGRESS if text.strip() else NOT_STARTED


def may_submit(statuses: Mapping[str, str]) -> bool:
    """An assessment is sent for authorisation only with all 15 areas completed."""
    return not not_completed(statuses)


def submission_problem(statuses: Mapping[str, str]) -> str | None:
    waiting = not_completed(statuses)
    if not waiting:
        return None
    return (
        f"Complete every area before sending the assessment for authorisation: {_titles(waiting)}"
    )


def authorisation_refusal(
    *, user_id: object, is_team_manager: bool, author_ids: frozenset[object], submitter_id: object
) -> str | None:
    """Why this user may not authorise (or return) the assessment, or None if they may:
    a team manager who neither wrote it nor sent it for authorisation."""
    if not is_team_manager:
        return "Only a team manager can authorise an assessment"
    if user_id in author_ids or user_id == submitter_id:
        return (
            "You wrote or sent this assessment, so you cannot authorise it: another team"
            " manager must"
        )
    return None


def may_authorise(
    *, user_id: object, is_team_manager: bool, author_ids: frozenset[object], submitter_id: object
) -> bool:
    return (
        authorisation_refusal(
            user_id=user_id,
            is_team_manager=is_team_manager,
            author_ids=author_ids,
            submitter_id=submitter_id,
        )
        is None
    )
