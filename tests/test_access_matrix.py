"""Every URL × every person, proven: each URL pattern the resolver knows (so a page added
later cannot be forgotten) is requested by every demo persona and by someone signed out,
with real ids (a case or meeting of the persona's own locality, one of a locality no
persona has, ids that do not exist, a Mendip case restricted to someone else, and a
record of one case under another case's id).

- The own-locality answers must match the written table, docs/access-matrix.md (GET and
  an empty POST). Regenerate it after a deliberate change with
  `WRITE_ACCESS_MATRIX=1 .venv/bin/python -m pytest tests/test_access_matrix.py`, and read
  the diff: every changed cell is a change of who may do what.
- Rules that hold for every page, whatever the table says: signed out → the sign-in page;
  another locality's case or meeting, an id that does not exist, a restricted case the
  person is not named on, or one case's record under another case's id → refused
  (403/404/405), the same answer for each, so an id cannot be probed; no one without
  case access (analyst, administrator) gets 200 on case data.
"""

import os
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from cases.models import Baby, Case
from cases.services import case_restrict
from checkpoints.models import Checkpoint, SpecialistAssessment
from documents.models import Document
from meetings.models import Discussion, Meeting
from plans.forms import KIND_SLUGS
from plans.models import Decision
from rules.assessment import AREAS
from visits.models import CaseNote, Visit

TABLE = Path(__file__).resolve().parent.parent / "docs" / "access-matrix.md"
OWN, ELSEWHERE = "mendip", "south-somerset"  # no demo persona works in South Somerset
PERSONAS = ["priya", "mark", "jo", "helen", "maria", "sam", "hannah", "gita", "kieran",
            "dev", "alex", "ruth"]  # fmt: skip
ANONYMOUS = "signed out"
# Pages about signing in itself (tested in test_two_factor, test_sign_in_throttle,
# test_session_lifetime, test_sessions_list): requesting them changes who is signed in.
NOT_IN_MATRIX = {"login", "logout", "two_factor_verify", "two_factor_setup"}
CASE_DATA_PARAMS = {"case_id", "meeting_id"}
NO_CASE_ACCESS = {"dev", "alex", "ruth"}
# The data protection officer reads a case's access log and subject access there alone.
DPO_PAGES = "dpo_"
# Locality scoping is one rule for every role: other localities' and missing ids are tried
# as a social worker, a Named Midwife, a guest, another locality's manager and an analyst.
VARIANT_PERSONAS = ["priya", "helen", "gita", "kieran", "dev", "ruth"]


def url_patterns(patterns=None, prefix=""):
    """(name, route, parameter names) of every URL the service answers, admin aside."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name not in NOT_IN_MATRIX:
            route = prefix + str(entry.pattern)
            yield entry.name, route, re.findall(r"<(?:\w+:)?(\w+)>", route)


# A record's id parameter: (model, how to find its case, how to name it in the URL, a
# field that orders them the same in every run: ids are random UUIDs, and the record
# chosen decides the answer, e.g. only a visit's own agency withdraws it).
RECORDS = {
    "visit_id": (Visit, "case", "pk", "visited_at"),
    "note_id": (CaseNote, "case", "pk", "written_at"),
    "document_id": (Document, "case", "pk", "uploaded_at"),
    "decision_id": (Decision, "case", "pk", "recorded_at"),
    "specialist_assessment_id": (SpecialistAssessment, "case", "pk", "recorded_at"),
    "birth_order": (Baby, "case", "birth_order", "pk"),
    "milestone_id": (Checkpoint, "case", "kind", "recorded_at"),
}


def _record(model, case_field, value_field, order, locality, exclude_case=None):
    rows = model.objects.filter(**{f"{case_field}__locality__slug": locality})
    if exclude_case is not None:
        rows = rows.exclude(**{case_field: exclude_case})
    row = rows.order_by(f"{case_field}__created_at", order, "pk").first()
    assert row is not None, f"the demo has no {model.__name__} in {locality}"
    return getattr(row, f"{case_field}_id"), getattr(row, value_field)


def _rich_case(locality) -> Case:
    """A case with a baby, an assessment and decisions: most pages have something to show."""
    return (
        Case.objects.filter(locality__slug=locality, babies__isnull=False,
                            assessment__isnull=False, decisions__isnull=False)
        .order_by("created_at", "pk").first()
    )  # fmt: skip


def arguments(name, params, locality, *, mismatched=False):
    """Real ids for a URL's parameters, from one locality's demo data. `mismatched`: the
    record belongs to a different case from the case id given."""
    kwargs: dict = {}
    if "meeting_id" in params:
        meeting = Meeting.objects.filter(locality__slug=locality)
        meeting = meeting.order_by("date", "created_at").first()
        kwargs["meeting_id"] = meeting.pk
        if "discussion_id" in params:
            kwargs["discussion_id"] = Discussion.objects.filter(meeting=meeting).first().pk
        return kwargs
    record = next((p for p in params if p in RECORDS), None)
    if record is not None and not (record == "milestone_id" and name == "milestone_record"):
        case_id, value = _record(*RECORDS[record], locality)
        kwargs[record] = value
        if mismatched:
            other = Case.objects.filter(locality__slug=locality).exclude(pk=case_id)
            case_id = other.order_by("created_at", "pk").first().pk
    elif "case_id" in params:
        case = _rich_case(locality)
        case_id = case.pk
        if "birth_order" in params:
            kwargs["birth_order"] = 1
    if "case_id" in params:
        kwargs["case_id"] = case_id
    if "area" in params:
        kwargs["area"] = AREAS[0].code
    if "kind" in params:
        kwargs["kind"] = next(iter(KIND_SLUGS.values()))
    if name == "milestone_record":
        kwargs["milestone_id"] = "referral"
    return kwargs


def missing(params, kwargs):
    """The same URL with every id one that does not exist."""
    gone = dict(kwargs)
    for param in params:
        if param.endswith("_id") and param not in ("milestone_id",):
            gone[param] = uuid.UUID(int=1) if isinstance(kwargs[param], uuid.UUID) else 999999
    return gone


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        return "sign-in" if location.startswith(reverse("login")) else "302"
    return str(response.status_code)


def read_table() -> dict[tuple[str, str], list[str]]:
    table = {}
    if not TABLE.exists():
        return table
    for line in TABLE.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == len(PERSONAS) + 3 and cells[1] in ("GET", "POST"):
            table[(cells[0].strip("`"), cells[1])] = cells[2:]
    return table


def write_table(results) -> None:
    header = ["page", "method", *PERSONAS, ANONYMOUS]
    lines = [
        "# Who may reach which page: every URL × every demo persona",
        "",
        "Generated by `tests/test_access_matrix.py` (WRITE_ACCESS_MATRIX=1) from the demo",
        "data, and asserted by it: a page whose answer changes, or a page not in this table,",
        "fails the test. The case or meeting is one of Mendip's (the personas' locality;",
        "`kieran` works in Sedgemoor, so Mendip's cases are not his). POST is an empty form.",
        "",
        "200 shown · 204 done, nothing to show · 302 sent on (e.g. to the record made, or a",
        "form's next step) · 403 not for this role · 404 not found (case data this person may",
        "not see answers as if it did not exist) · 405 not this method · sign-in: signed out,",
        "sent to sign in.",
        "",
        "Rules asserted for every page besides this table: another locality's case or meeting,",
        "an id that does not exist, a Mendip case restricted to someone else, or one case's",
        "record under another case's id are refused",
        "(403, 404 or 405), each with the same answer, so ids cannot be probed; `dev`",
        "(analyst), `alex` (administrator) and `ruth` (data protection officer) never get 200",
        "on case data, but for Ruth's own pages (`dpo_*`). Personas: see the README.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for (name, method), cells in sorted(results.items()):
        lines.append(f"| `{name}` | {method} | " + " | ".join(cells) + " |")
    TABLE.write_text("\n".join(lines) + "\n")


def restrict_a_case() -> Case:
    """A Mendip case (not the one the table uses) restricted to its operations manager
    alone, as a staff member's family's would be: to everyone else in Mendip it must
    answer as a missing id does."""
    case = Case.objects.filter(locality__slug=OWN).exclude(pk=_rich_case(OWN).pk)
    case = case.order_by("created_at", "pk").first()
    manager, only_one = User.objects.get(username="mark"), User.objects.get(username="jo")
    case_restrict(actor=manager, context=None, case=case, users=[only_one],
                  reason="A staff member's family")  # fmt: skip
    return case


@pytest.mark.django_db
def test_every_url_answers_every_person_as_the_table_says():
    call_command("seed_demo", verbosity=0)  # every stage of a case, in every locality
    restricted = restrict_a_case()
    clients = {ANONYMOUS: Client()}
    for username in PERSONAS:
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    patterns = sorted(url_patterns())
    problems: list[str] = []
    results: dict[tuple[str, str], list[str]] = {}
    for method in ("GET", "POST"):
        for name, _route, params in patterns:
            own = arguments(name, params, OWN)
            url = reverse(name, kwargs=own)
            cells = []
            for who in [*PERSONAS, ANONYMOUS]:
                client = clients[who]
                answer = outcome(getattr(client, method.lower())(url))
                cells.append(answer)
                open_page = name in ("healthz", "accessibility", "privacy")
                if who == ANONYMOUS and not open_page and answer not in ("sign-in", "405"):
                    problems.append(f"{method} {url} signed out: {answer}")
                case_data = CASE_DATA_PARAMS & set(params)
                officers = who == "ruth" and name.startswith(DPO_PAGES)
                if who in NO_CASE_ACCESS and case_data and answer == "200" and not officers:
                    problems.append(f"{method} {url} {who} (no case access): 200")
            results[(name, method)] = cells
            if not CASE_DATA_PARAMS & set(params):
                continue
            variants = {
                "another locality's": reverse(name, kwargs=arguments(name, params, ELSEWHERE)),
                "a missing id's": reverse(name, kwargs=missing(params, own)),
            }
            if "case_id" in params:
                variants["a restricted case's"] = reverse(
                    name, kwargs={**own, "case_id": restricted.pk}
                )
            if method == "GET" and any(p in RECORDS and p != "milestone_id" for p in params):
                variants["another case's record"] = reverse(
                    name, kwargs=arguments(name, params, OWN, mismatched=True)
                )
            for who in VARIANT_PERSONAS:
                tried = variants
                if who == "ruth" and name.startswith(DPO_PAGES):
                    # Every locality's cases, restricted ones too, are hers to answer for.
                    tried = {"a missing id's": variants["a missing id's"]}
                answers = {
                    label: outcome(getattr(clients[who], method.lower())(other_url))
                    for label, other_url in tried.items()
                }
                # Nothing shown, and nothing to tell an id that exists from one that does not.
                if (
                    any(a not in ("403", "404", "405") for a in answers.values())
                    or len(set(answers.values())) > 1
                ):
                    problems.append(f"{method} {name} {who}: {answers}")
    if os.environ.get("WRITE_ACCESS_MATRIX"):
        write_table(results)
    expected = read_table()
    for key, cells in results.items():
        if key not in expected:
            problems.append(f"{key[1]} {key[0]}: not in docs/access-matrix.md")
        elif expected[key] != cells:
            differ = [
                f"{who} {want}→{got}"
                for who, want, got in zip([*PERSONAS, ANONYMOUS], expected[key], cells, strict=True)
                if want != got
            ]
            problems.append(f"{key[1]} {key[0]}: " + ", ".join(differ))
    for key in set(expected) - set(results):
        problems.append(f"{key[1]} {key[0]}: in the table but no longer a page")
    assert not problems, "\n".join(problems)
