"""Saving any form exactly as it was shown changes nothing stored.

Found by a new user: the "Referral, decisions and birth" page showed its "select all
that apply" decisions as radios, so one unchanged save of a child-protection case
cleared three decisions and dropped five milestones. This test would have caught it,
and covers forms added later without anyone listing them: the pages come from the URL
patterns, filled in for demo cases of every stage, and the forms from each page's HTML.
"""

import re
from contextlib import contextmanager
from datetime import date, time, timedelta

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from cases import services
from cases.management.commands.seed_demo import seed
from cases.models import Case
from meetings.models import Meeting
from meetings.services import MeetingDetails, meeting_schedule
from tests.formcrawl import fill_route, forms_on, route_parameters, url_routes

TODAY = date(2026, 11, 23)
# Every model of the apps that hold case work: any of their rows changed is a change.
STORED_APPS = ("cases", "timeline", "meetings", "referrals", "assessments", "checkpoints", "plans",
               "postnatal", "visits", "documents")  # fmt: skip
# A social worker and a community midwife, both in Mendip; the meeting's chair and its
# CSC member for the meeting's pages.
PERSONAS = ("priya", "maria")
MEETING_PERSONAS = ("helen", "jo")


STORED_MODELS = {
    model._meta.db_table: model
    for app in STORED_APPS
    for model in apps.get_app_config(app).get_models()
}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _rows(model) -> list[dict]:
    return list(model.objects.order_by("pk").values())


def stored() -> dict[str, list[dict]]:
    return {model.__name__: _rows(model) for model in STORED_MODELS.values()}


class Snapshot:
    """Every stored row, kept up to date by re-reading only the tables a request wrote
    to (from the SQL it ran: every write goes through Django's connection), instead of
    reading every table before and after each of some hundreds of requests."""

    def __init__(self):
        self.rows = stored()

    @contextmanager
    def watching(self):
        """Yields a list that holds, once the block ends, the stored tables it wrote to."""
        written: list[str] = []
        connection.queries_log.clear()  # it keeps only the last 9,000 of a connection's
        with CaptureQueriesContext(connection) as queries:
            yield written
        sql = [query["sql"] for query in queries.captured_queries]
        if len(connection.queries_log) == connection.queries_log.maxlen:  # some forgotten
            tables = set(STORED_MODELS)
        else:
            tables = {match.group(1) for query in sql if (match := WRITE.match(query))}
        written += sorted(STORED_MODELS.keys() & tables)
        for table in written:
            model = STORED_MODELS[table]
            self.rows = {**self.rows, model.__name__: _rows(model)}


def changes(before: dict, after: dict) -> list[str]:
    found = []
    for model, rows in before.items():
        if rows != after[model]:
            was = {row["id"]: row for row in rows}
            now = {row["id"]: row for row in after[model]}
            for pk in sorted(set(was) | set(now), key=str):
                if was.get(pk) != now.get(pk):
                    old, new = was.get(pk) or {}, now.get(pk) or {}
                    fields = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
                    found.append(f"{model} {pk}: {', '.join(fields) or 'added or removed'}")
    return found


def stage(case: Case) -> tuple:
    """What makes one demo case's forms differ from another's."""
    return (
        case.csc_input,
        case.outcome,
        case.referral_date is not None,
        case.allocation_date is not None,
        case.discharge is not None,
        case.placement,
        case.babies.count(),
        case.babies.filter(died_on__isnull=False).exists(),
    )


def one_case_per_stage() -> list[Case]:
    chosen: dict[tuple, Case] = {}
    for case in Case.objects.filter(locality__slug="mendip").order_by("reference"):
        chosen.setdefault(stage(case), case)
    return list(chosen.values())


def pages_of(case: Case) -> list[str]:
    """Every page of the service for this case, from the URL patterns."""
    values = {
        "case_id": [str(case.id)],
        "birth_order": [str(n) for n in case.babies.values_list("birth_order", flat=True)],
        "milestone_id": list(case.milestones.values_list("milestone_id", flat=True)),
        "visit_id": [str(pk) for pk in case.visits.values_list("pk", flat=True)[:2]],
        "note_id": [str(pk) for pk in case.case_notes.values_list("pk", flat=True)[:2]],
        "document_id": [str(pk) for pk in case.documents.values_list("pk", flat=True)[:2]],
        "kind": ["icpc", "strategy-discussion", "bla-panel"],
        "decision_id": [str(pk) for pk in case.decisions.values_list("pk", flat=True)[:1]],
        "specialist_assessment_id": [
            str(pk) for pk in case.specialist_assessments.values_list("pk", flat=True)
        ],
        # An area written from the others, one the health agencies' views go with, and one more.
        "area": ["analysis", "views_of_other_agencies", "parental_history"],
    }
    return _routes_with("case_id", values)


def pages_of_a_meeting(meeting: Meeting) -> list[str]:
    values = {
        "meeting_id": [str(meeting.id)],
        "discussion_id": [str(pk) for pk in meeting.discussions.values_list("pk", flat=True)[:2]],
    }
    return _routes_with("meeting_id", values)


def _routes_with(key: str, values: dict[str, list[str]]) -> list[str]:
    """Every URL pattern with a `key` parameter, filled with each combination of values."""
    urls = []
    for route, _name in url_routes():
        names = route_parameters(route)
        if key not in names:
            continue
        unknown = set(names) - set(values)
        assert not unknown, f"{route}: teach this test how to fill {unknown}"
        combos = [{}]
        for name in names:
            combos = [{**combo, name: value} for combo in combos for value in values[name]]
        urls += [fill_route(route, combo) for combo in combos]
    return urls


def pages_without_a_case() -> list[str]:
    return [fill_route(route, {}) for route, _name in url_routes() if not route_parameters(route)]


@pytest.mark.django_db
def test_every_form_saved_unchanged_changes_nothing(client):
    with time_machine.travel(TODAY, tick=False):
        seed(today=TODAY, cases_per_locality=30)
        cases = one_case_per_stage()
        # A baby's death recorded, so the page that withdraws one has a form to post.
        twins = next(c for c in cases if c.babies.count() >= 1)
        services.baby_death_record(
            actor=User.objects.get(username="priya"),
            context=None,
            case=twins,
            baby=twins.babies.first(),
            died_on=twins.birth_date + timedelta(days=1),
        )
        urls = [url for case in cases for url in pages_of(case)] + pages_without_a_case()
        helen = User.objects.get(username="helen")
        meeting = meeting_schedule(
            actor=helen,
            context=None,
            locality=helen.localities.get(slug="mendip"),
            details=MeetingDetails(TODAY + timedelta(days=8), time(10), time(12), helen, "Frome"),
            members=list(User.objects.filter(username__in=["jo", "sam"])),
        )[0]
        assert meeting.discussions.count() >= 5
        meeting_urls = pages_of_a_meeting(meeting) + pages_without_a_case()
        assert len(cases) >= 10, "the demo should give cases at ten or more stages"

        problems: list[str] = []
        posted = saved = refused = 0
        snapshot = Snapshot()
        for username, pages in [*((p, urls) for p in PERSONAS),
                                *((p, meeting_urls) for p in MEETING_PERSONAS)]:  # fmt: skip
            client.force_login(User.objects.get(username=username))
            for url in pages:
                with snapshot.watching() as written:
                    page = client.get(url)
                if written:  # showing a page changes nothing stored
                    problems.append(f"{username} GET {url}: wrote to {', '.join(written)}")
                if page.status_code != 200 or "text/html" not in page["Content-Type"]:
                    continue
                for form in forms_on(page.content.decode()):
                    if form.method != "post" or not form.visible:
                        continue  # searches, and buttons that act (sign out, undo)
                    target = form.action or url
                    if any(name == "version" and value for name, value in form.fields):
                        refused += _posted_without_its_version(
                            client, target, form, problems, snapshot
                        )
                    before = snapshot.rows
                    with snapshot.watching():
                        response = client.post(target, form.data())
                    posted += 1
                    after = snapshot.rows
                    where = f"{username} {target}"
                    if response.status_code >= 500:
                        problems.append(f"{where}: server error {response.status_code}")
                    for change in changes(before, after):
                        problems.append(f"{where}: changed {change}")
                    if form.shows_values:
                        # An edit form, posted as shown, is accepted (and changes nothing).
                        if response.status_code != 302:
                            problems.append(f"{where}: refused ({response.status_code})")
                        else:
                            saved += 1

    assert not problems, "\n".join(problems)
    # The test would mean nothing if it found no forms.
    assert posted >= 50 and saved >= 10 and refused >= 5, (posted, saved, refused)


def _posted_without_its_version(client, target, form, problems, snapshot) -> int:
    """A change form posted without the version of the record it showed (a page kept from
    before, a script) is refused, saving nothing: otherwise it would skip the check that
    stops it overwriting a change someone made meanwhile."""
    before = snapshot.rows
    data = {name: values for name, values in form.data().items() if name != "version"}
    with snapshot.watching():
        response = client.post(target, data)
    where = f"{target} without its version"
    for change in changes(before, snapshot.rows):
        problems.append(f"{where}: changed {change}")
    page = response.content.decode() if response.status_code == 200 else ""
    if "did not say which version" in page:
        return 1
    if "govuk-error-summary" not in page:  # (a form refused for another reason is fine)
        problems.append(f"{where}: not refused on the page ({response.status_code})")
    return 0


@pytest.mark.django_db
def test_the_snapshot_sees_every_kind_of_write_to_a_stored_table(make_case, named_midwife):
    """What the test above relies on: a write of any kind (ORM or raw SQL, insert, update
    or delete) shows in the snapshot, and a read leaves it as it was."""
    case = make_case(named_midwife, edd=TODAY + timedelta(weeks=20))
    snapshot = Snapshot()
    case_id = Case._meta.pk.get_db_prep_value(case.pk, connection)
    writes = [
        lambda: Case.objects.filter(pk=case.pk).update(edd=TODAY + timedelta(weeks=21)),
        lambda: connection.cursor().execute(
            "UPDATE cases_case SET complex = %s WHERE id = %s", [True, case_id]
        ),
        lambda: case.milestones.all().delete(),
        lambda: make_case(named_midwife, edd=TODAY + timedelta(weeks=30)),
    ]
    with snapshot.watching() as written:
        list(Case.objects.all())
    assert written == []
    for write in writes:
        before = snapshot.rows
        with snapshot.watching() as written:
            write()
        assert written and changes(before, snapshot.rows), written
    assert snapshot.rows == stored()
