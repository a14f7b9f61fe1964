"""Every recorded step has a page where it is recorded, and the milestone page links it."""

from uuid import uuid4

import pytest
from django.urls import resolve

from rules.protocol import STEP_KINDS, named_protocol
from web.work_links import WORK_PAGES, work_link, work_page


def test_every_step_kind_has_a_page_and_nothing_else_does():
    assert set(WORK_PAGES) == set(STEP_KINDS)


@pytest.mark.parametrize("kind", sorted(STEP_KINDS))
def test_each_link_reverses_to_a_page_of_the_case(kind):
    case_id = uuid4()

    url = work_page(kind).url(case_id)

    match = resolve(url.split("?")[0])
    assert match.url_name == WORK_PAGES[kind].url_name
    assert match.kwargs["case_id"] == case_id
    assert WORK_PAGES[kind].text.startswith(("Record ", "Open ", "Go to ", "Upload "))


def test_the_pages_are_the_ones_that_record_the_work():
    case_id = uuid4()

    assert work_page("icpc").url(case_id).endswith("/plans/new/icpc/")
    assert work_page("bla_panel").url(case_id).endswith("/plans/new/bla-panel/")
    assert work_page("checkpoint_10_day").url(case_id).endswith("/checkpoints/checkpoint_10_day/")
    assert work_page("document_genogram").url(case_id).endswith("/documents/new/?kind=genogram")
    assert work_page("visit_home").url(case_id).endswith("/visits/new/")
    assert work_page(None) is None
    assert work_page("referral_date") is None


@pytest.mark.parametrize("name", ["default", "example_alternative"])
def test_every_milestone_done_by_recorded_work_in_either_protocol_has_a_page(name):
    kinds = {
        due.done_by_step
        for rule in named_protocol(name).milestones
        for due in rule.due_rules
        if due.done_by_step
    }

    assert kinds and kinds <= set(WORK_PAGES)


def test_a_milestone_links_to_the_page_of_the_work_that_does_it():
    case_id = uuid4()

    home_visit = work_link(case_id, "home_visit_48h")
    genogram = work_link(case_id, "genogram")

    assert home_visit.url.endswith("/visits/new/")
    assert home_visit.text == "Record the home visit"
    assert genogram.url.endswith("/documents/new/?kind=genogram")
    assert work_link(case_id, "referral") is None  # done by a fact, not recorded work
    assert work_link(case_id, "no_such_milestone") is None
