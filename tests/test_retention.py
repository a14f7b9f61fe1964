"""Retention as data: closed cases anonymised N years after closure, the figures kept."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from cases.models import Case, CscInput, Person, PregnancyOutcome
from cases.retention import ANONYMISED, KEPT
from dashboards import selectors as dashboards
from tests.document_fixtures import stored_files, upload
from timeline.models import CaseMilestone
from visits.services import case_note_add

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2027, 2, 15, 10, tzinfo=LONDON)


@pytest.fixture
def cases(make_case, social_worker, team_manager, client, django_capture_on_commit_callbacks):
    """A case closed to CSC in March 2019 (a partner, a note, a revised EDD, a document),
    a miscarriage in May 2019, a case closed in 2024 and one still open."""
    with time_machine.travel(datetime(2019, 3, 1, 10, tzinfo=LONDON), tick=False):
        closed = make_case(
            social_worker, family_name="Oldclosed", edd=date(2019, 8, 1),
            referral_date=date(2019, 2, 20), named_social_worker=social_worker,
        )  # fmt: skip
        case_services.partner_add(
            actor=social_worker, context=None, case=closed, relationship="father",
            person={"given_name": "Dale", "family_name": "Oldclosed",
                    "date_of_birth": date(1990, 2, 3)},
        )  # fmt: skip
        case_services.edd_revise(
            actor=social_worker, context=None, case=closed, edd=date(2019, 8, 8),
            reason="Scan at Frome, Kerry's sister",
        )  # fmt: skip
        case_note_add(actor=social_worker, context=None, case=closed, kind="case_note",
                      text="Kerry Oldclosed told me about her brother")  # fmt: skip
        client.force_login(social_worker)
        with django_capture_on_commit_callbacks(execute=True):
            assert upload(client, closed, title="Oldclosed genogram").status_code == 302
        case_services.case_update_details(
            actor=social_worker, context=None, case=closed,
            csc_input=CscInput.CLOSED,
        )  # fmt: skip
    with time_machine.travel(datetime(2019, 5, 1, 10, tzinfo=LONDON), tick=False):
        loss = make_case(social_worker, family_name="Oldloss", edd=date(2019, 9, 1))
        case_services.outcome_record(
            actor=social_worker, context=None, case=loss,
            outcome=PregnancyOutcome.MISCARRIAGE, outcome_date=date(2019, 5, 1), babies=[],
        )  # fmt: skip
    with time_machine.travel(datetime(2024, 6, 1, 10, tzinfo=LONDON), tick=False):
        recent = make_case(social_worker, family_name="Recentclosed", edd=date(2024, 9, 1),
                           csc_input=CscInput.CLOSED)  # fmt: skip
    with time_machine.travel(TODAY, tick=False):
        still_open = make_case(social_worker, family_name="Stillopen", edd=date(2027, 6, 1),
                               referral_date=date(2027, 1, 10),
                               named_social_worker=social_worker)  # fmt: skip
    return {"closed": closed, "loss": loss, "recent": recent, "open": still_open}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("apply_retention", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def dump() -> str:
    """Every row of every model, as JSON: to see that nothing changed."""
    rows = []
    for model in apps.get_models():
        rows.extend(model.objects.order_by("pk"))
    return serializers.serialize("json", rows)


def figures(manager) -> dict:
    """What the dashboards and the partnership's figures read, over every case."""
    with time_machine.travel(TODAY, tick=False):
        now = datetime.now(tz=LONDON)
        return {
            "team_load": [
                {**row, "worker": row["worker"].pk}
                for row in dashboards.team_load(manager, now, today=now.date())
            ],
            "overdue_actions": [
                (row.locality.pk, row.by_agency, row.total)
                for row in dashboards.overdue_actions_by_locality(manager, today=now.date())
            ],
            "drift": list(
                dashboards.drift_counts(dashboards.open_cases(manager), now).values_list(
                    "id", "overdue_count", "due_soon_count", "first_overdue", "next_due_date"
                )
            ),
            "cases": list(
                Case.objects.order_by("pk").values_list(
                    "pk",
                    "locality_id",
                    "csc_input",
                    "outcome",
                    "outcome_date",
                    "edd",
                    "referral_date",
                    "allocation_date",
                    "birth_date",
                    "identified_date",
                    "identified_source",
                    "named_social_worker_id",
                    "created_at",
                )
            ),  # fmt: skip
            "milestones": list(
                CaseMilestone.objects.order_by("pk").values_list(
                    "case_id", "milestone_id", "state", "due_date", "done_date"
                )
            ),
        }


def test_a_dry_run_lists_what_would_change_and_changes_nothing(cases):
    before = dump()

    out, _ = run("--dry-run")

    assert dump() == before
    lines = out.splitlines()
    assert lines[0].startswith(f"Would anonymise {cases['closed'].reference}: closed 1 March 2019")
    assert "rule closed_cases (7 years)" in lines[0]
    assert lines[1].startswith(f"Would anonymise {cases['loss'].reference}: closed 1 May 2019")
    assert lines[-1] == "Would anonymise 2 case(s) on 15 February 2027."
    assert cases["recent"].reference not in out and cases["open"].reference not in out


def test_the_run_anonymises_the_personal_data_of_the_cases_due(
    cases, django_capture_on_commit_callbacks
):
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run()

    assert out.splitlines()[-1] == "Anonymised 2 case(s) on 15 February 2027."
    closed = Case.objects.get(pk=cases["closed"].pk)
    mother = closed.mother
    assert (mother.given_name, mother.family_name) == ("", "Anonymised")
    assert (mother.nhs_number, mother.address, mother.postcode) == ("", "", "")
    assert mother.date_of_birth is None
    partner = closed.partners.get().person
    assert (partner.given_name, partner.date_of_birth) == ("", None)
    assert {revision.reason for revision in closed.edd_revisions.all()} == {""}
    assert closed.case_notes.get().text == ""
    document = closed.documents.get()
    assert (document.title, document.original_name) == ("", "")
    assert stored_files() == []
    assert closed.anonymised_at is not None
    assert "Anonymised" in closed.display_name and "Oldclosed" not in closed.display_name
    # Kept: the other cases, untouched.
    for key in ("recent", "open"):
        kept = Case.objects.get(pk=cases[key].pk).mother
        assert kept.given_name == "Kerry" and kept.nhs_number
    assert Case.objects.get(pk=cases["recent"].pk).anonymised_at is None


def test_each_case_anonymised_is_audited_and_no_audit_row_changes(cases):
    audit_before = list(AuditEvent.objects.order_by("pk").values())

    run()

    rows = AuditEvent.objects.filter(event_type=AuditEventType.CASE_ANONYMISED).order_by("pk")
    assert [row.case_id for row in rows] == [cases["closed"].pk, cases["loss"].pk]
    first = rows[0]
    assert first.actor is None and first.actor_username == "retention"
    assert first.extra_data["rule"] == "closed_cases"
    assert first.extra_data["closed_on"] == "2019-03-01"
    assert first.extra_data["changed"]["visits.CaseNote"] == 1
    assert list(AuditEvent.objects.order_by("pk").values())[: len(audit_before)] == audit_before


def test_the_dashboard_and_partnership_figures_are_the_same_after(cases, make_user):
    manager = make_user("tm", RoleCode.OPERATIONS_MANAGER)
    before = figures(manager)
    assert any(row[2] == CscInput.CLOSED for row in before["cases"])

    run()

    assert Person.objects.filter(family_name="Anonymised").exists()
    assert figures(manager) == before


def test_running_it_again_changes_nothing(cases):
    run()
    after_first = dump()

    out, _ = run()

    assert dump() == after_first
    assert out == "Anonymised 0 case(s) on 15 February 2027.\n"


def test_a_bad_date_exits_2_naming_it(db):
    with pytest.raises(SystemExit) as exit_:
        run("--today", "2027-02-30")
    assert exit_.value.code == 2


@pytest.mark.parametrize(
    ("rules", "named"),
    [
        ([{"name": "x", "applies_to": "closed", "anonymise_after_years": 0}],
         "RETENTION_RULES[0].anonymise_after_years"),
        ([{"name": "x", "applies_to": "open", "anonymise_after_years": 3}],
         "RETENTION_RULES[0].applies_to"),
        ([{"name": "x", "applies_to": "closed", "anonymise_after_years": 3, "years": 1}],
         "RETENTION_RULES[0].years"),
        ([{"applies_to": "closed", "anonymise_after_years": 3}], "RETENTION_RULES[0].name"),
    ],
)  # fmt: skip
def test_a_bad_rule_exits_2_naming_the_field(db, settings, capsys, rules, named):
    settings.RETENTION_RULES = rules
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("apply_retention", "--dry-run", stderr=err)
    assert exit_.value.code == 2
    assert named in err.getvalue()


def test_the_date_error_names_the_argument(db, capsys):
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("apply_retention", "--today", "soon", stderr=err)
    assert err.getvalue().startswith("error: today:")


def _points_at_a_case(model) -> bool:
    for label in ANONYMISED:
        if apps.get_model(label) is model:
            return True
    return any(
        isinstance(field, models.ForeignKey | models.OneToOneField) and field.related_model is Case
        for field in model._meta.get_fields()
    )


def test_every_text_field_about_a_case_is_anonymised_or_kept_on_purpose():
    """A new free-text field on a case's records must be added to ANONYMISED or KEPT."""
    unclassified = []
    for model in apps.get_models():
        if not _points_at_a_case(model) or model._meta.label == "audit.AuditEvent":
            continue
        label = model._meta.label
        blanked = set(ANONYMISED.get(label, ("", {}))[1])
        kept = KEPT.get(label, frozenset())
        for field in model._meta.get_fields():
            is_text = isinstance(field, models.CharField | models.TextField | models.JSONField)
            if is_text and not field.choices and field.name not in blanked | kept:
                unclassified.append(f"{label}.{field.name}")
    assert unclassified == []


def test_the_year_before_a_leap_day_counts_from_28_february():
    from cases.retention import _years_before

    assert _years_before(date(2028, 2, 29), 7) == date(2021, 2, 28)
    assert _years_before(date(2027, 2, 15), 7) == date(2020, 2, 15)


def test_a_parent_also_on_a_case_still_kept_is_anonymised_with_that_case(cases, social_worker):
    closed = cases["closed"]
    later = Case.objects.create(
        mother=closed.mother, locality=closed.locality, edd=date(2027, 6, 1),
        identified_date=date(2027, 1, 1), identified_source="booking", created_by=social_worker,
    )  # fmt: skip

    run()

    closed.mother.refresh_from_db()
    assert closed.mother.given_name == "Kerry"  # kept for the later case
    assert Case.objects.get(pk=closed.pk).anonymised_at is not None
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_ANONYMISED, case=closed)
    assert event.extra_data["people_kept_for_other_cases"] == 1
    assert later.mother_id == closed.mother_id


def test_an_anonymised_cases_documents_are_not_downloadable_nor_missed_by_the_sweep(
    cases, client, social_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    document = cases["closed"].documents.get()
    client.force_login(social_worker)

    response = client.get(reverse("document_download", args=[cases["closed"].id, document.id]))

    assert response.status_code == 404
    out = io.StringIO()
    call_command("sweep_documents", stdout=out)  # exit 1 if a document had no file
    assert str(document.id) not in out.getvalue()
