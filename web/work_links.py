"""Where each recorded step is recorded: the one map from a step kind to its page.

A milestone with `done_by = "record:<kind>"` is done by recording that work, not by a
tick (docs/protocol.md); its page, and anything else that offers to record it (the task
lists, through the `work_link` template tag), links here instead.
tests/test_work_links.py checks every kind in rules.protocol.STEP_KINDS
has a link and that each one reverses.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from plans.forms import KIND_SLUGS, KIND_TEXT
from referrals.services import can_allocate, can_record_referral
from rules import decisions
from timeline.services import milestone_done_by_step


@dataclass(frozen=True)
class WorkPage:
    url_name: str
    kwargs: dict  # besides case_id
    text: str  # the link's words: "Record the introductory home visit"
    query: dict | None = None  # chooses what the page records, where it can

    def url(self, case_id) -> str:
        url = reverse(self.url_name, kwargs={"case_id": case_id, **self.kwargs})
        return f"{url}?{urlencode(self.query)}" if self.query else url


def _checkpoint(kind: str, text: str) -> WorkPage:
    # A checkpoint's page is named by its kind, which is the step kind it records.
    return WorkPage("checkpoint_record", {"milestone_id": kind}, text)


def _decision(kind: str) -> WorkPage:
    # The decision page's own title: "Record the initial PLO meeting".
    return WorkPage("plans_decision_record", {"kind": KIND_SLUGS[kind]}, KIND_TEXT[kind][0])


WORK_PAGES: dict[str, WorkPage] = {
    "assessment_opened": WorkPage("assessment_detail", {}, "Open the assessment"),
    "assessment_authorised": WorkPage(
        "assessment_detail", {}, "Go to the assessment to submit and authorise it"
    ),
    "visit_introductory": WorkPage("visit_record", {}, "Record the introductory home visit"),
    "visit_home": WorkPage("visit_record", {}, "Record the home visit"),
    "visit_foster": WorkPage("visit_record", {}, "Record the foster placement visit"),
    "agencies_informed": _checkpoint(
        "agencies_informed", "Record that the involved agencies were informed"
    ),
    "checkpoint_10_day": _checkpoint("checkpoint_10_day", "Record the 10-day checkpoint"),
    "multi_agency_meeting": _checkpoint(
        "multi_agency_meeting", "Record the multi-agency assessment meeting"
    ),
    "checkpoint_30_day": _checkpoint("checkpoint_30_day", "Record the 30-day checkpoint"),
    "family_network": _checkpoint(
        "family_network", "Record the Family Group Conference referral or wider family"
    ),
    "document_genogram": WorkPage(
        "document_upload", {}, "Upload the genogram", query={"kind": "genogram"}
    ),
    "document_chronology": WorkPage(
        "document_upload", {}, "Upload the chronology", query={"kind": "chronology"}
    ),
    "icpc": _decision(decisions.ICPC),
    "legal_planning_meeting": _decision(decisions.LEGAL_PLANNING_MEETING),
    "initial_plo_meeting": _decision(decisions.INITIAL_PLO_MEETING),
    "bla_panel": _decision(decisions.BLA_PANEL),
    "birth_plan": WorkPage("plans_birth_plan", {}, "Record the birth plan"),
    "plo_letter": WorkPage("plans_plo_letter", {}, "Record the PLO letter"),
    "discharge_planning_meeting": WorkPage(
        "postnatal_discharge_planning_meeting", {}, "Record the discharge planning meeting"
    ),
    "visit_schedule": WorkPage("postnatal_visit_schedule", {}, "Record the visit schedule"),
    "cp_review_conference": WorkPage(
        "postnatal_review_conference", {}, "Record the child protection review conference"
    ),
    "pc_midpoint_review": WorkPage(
        "postnatal_midpoint_review", {}, "Record the mid-point placement review"
    ),
}


def work_page(step_kind: str | None) -> WorkPage | None:
    """The page where a step of this kind is recorded (None: not a recorded step)."""
    return WORK_PAGES.get(step_kind) if step_kind else None


@dataclass(frozen=True)
class FactPage:
    """Where a fact that does a milestone (`done_by = "<fact>"`) is recorded, and who may."""

    page: WorkPage
    may: Callable[[object], bool]


# The facts of rules.protocol.DONE_FACTS: each is set by its record, never typed alone.
FACT_PAGES: dict[str, FactPage] = {
    "referral_date": FactPage(
        WorkPage("referral_change", {}, "Record or change the referral"), can_record_referral
    ),
    "allocation_date": FactPage(WorkPage("case_allocate", {}, "Allocate the case"), can_allocate),
}


def fact_page(fact: str | None, user) -> WorkPage | None:
    """The page where this fact is recorded, if this user may record it there."""
    found = FACT_PAGES.get(fact) if fact else None
    return found.page if found and found.may(user) else None


@dataclass(frozen=True)
class WorkLink:
    url: str
    text: str


def work_link(case_id, milestone_id: str) -> WorkLink | None:
    """The link to where the work that does this milestone is recorded for a case, by the
    protocol in use (None: no recorded work does it)."""
    page = work_page(milestone_done_by_step(milestone_id))
    return WorkLink(page.url(case_id), page.text) if page else None
