"""The Pre-birth Tracker benchmark: a synthetic national-scale data set, then figures.

    .venv/bin/python bench/run.py --cases 100000        (make bench)

Every figure is printed beside the same work done by raw SQL in the same run,
as a ratio, so the numbers mean something on any machine:

- engine: timelines computed per second, against reading the same facts with raw SQL;
- full recompute: every case's stored timeline written from nothing, and again with
  nothing to change, against inserting the same rows with raw SQL;
- pages: latency percentiles and queries per page for the dashboards and case pages,
  against the page's main query written by hand.

It uses its own database (var/bench/ SQLite, or BENCH_DATABASE_URL) and never the
service's. All data is invented; NHS numbers come from the never-issued 999 range.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402 – with the project on the path


def configure(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["PREBIRTH_VAR_DIR"] = str(args.var_dir)
    # The load test's server checks the sessions made here (bench/load.py).
    os.environ["SECRET_KEY"] = load.SECRET_KEY
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        shutil.rmtree(args.var_dir, ignore_errors=True)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command
    from django.db import connection

    if args.database_url:
        # A dedicated benchmark database, emptied first: audit rows cannot be deleted,
        # so the schema goes. Never point BENCH_DATABASE_URL at the service's database.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def generate(cases: int, localities: int, today: date, seed: int = 2027, first: int = 0):
    """Bulk-create localities, staff and cases at every stage. Returns the staff. `first`
    numbers the localities and cases on from an earlier call (the country growing)."""
    from django.contrib.auth.hashers import make_password
    from faker import Faker

    from accounts.models import Agency, Locality, Role, RoleCode, User
    from cases.models import Case, Person
    from rules import nhs_number as nhs

    rng = random.Random(seed + first)
    # Names as varied as England's (searching one finds a few, not every case), drawn
    # from a pool: Faker for each of 100,000 people would take longer than the rest.
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    given_names = [fake.first_name_female() for _ in range(500)]
    family_names = [fake.last_name() for _ in range(2000)]
    places = Locality.objects.bulk_create(
        Locality(name=f"Bench locality {n:03d}", slug=f"bench-{n:03d}")
        for n in range(first, first + localities)
    )
    password = make_password("bench-password-not-secret")
    roles = {role.code: role for role in Role.objects.all()}
    csc = Agency.objects.get(code="csc")
    staff = {}
    for place in places:
        manager = User.objects.create(username=f"tm-{place.slug}", password=password,
                                      first_name="Team", last_name="Manager",
                                      agency=csc)  # fmt: skip
        manager.roles.add(roles[RoleCode.TEAM_MANAGER])
        manager.localities.add(place)
        workers = []
        for n in range(6):
            worker = User.objects.create(username=f"sw{n}-{place.slug}", password=password,
                                         first_name="Social", last_name=f"Worker {n}",
                                         agency=csc)  # fmt: skip
            worker.roles.add(roles[RoleCode.SOCIAL_WORKER])
            worker.localities.add(place)
            workers.append(worker)
        staff[place.id] = (manager, workers)
    creator = staff[places[0].id][0]
    first_case = Case.objects.count()
    batch = 5000
    for start in range(0, cases, batch):
        size = min(batch, cases - start)
        people = Person.objects.bulk_create(
            Person(given_name=rng.choice(given_names), family_name=rng.choice(family_names),
                   date_of_birth=date(1995, 1, 1) + timedelta(days=rng.randint(0, 4000)),
                   nhs_number=nhs.synthetic(rng))
            for n in range(size)
        )  # fmt: skip
        rows = []
        for n, person in enumerate(people):
            place = places[rng.randrange(localities)]
            gestation_days = rng.randint(60, 330)  # from 8 weeks to 7 weeks after the EDD
            edd = today + timedelta(days=280 - gestation_days)
            referral = edd - timedelta(days=rng.randint(60, 200))
            referred = referral <= today and rng.random() < 0.85
            allocation = referral + timedelta(days=rng.choice([0, 1, 1, 2, 4]))
            born = gestation_days > 280 and rng.random() < 0.9
            birth = edd + timedelta(days=rng.randint(-14, 0)) if born else None
            rows.append(
                Case(
                    reference=f"PB-B{first_case + start + n:07d}",
                    locality=place,
                    mother=person,
                    edd=edd,
                    identified_date=min(edd - timedelta(days=220), today),
                    identified_source="booking",
                    csc_input=rng.choice(["assessment", "child_in_need", "child_protection",
                                          "pre_proceedings"]) if referred else "none",
                    named_social_worker=rng.choice(staff[place.id][1]) if referred else None,
                    referral_date=referral if referred else None,
                    complex=rng.random() < 0.6,
                    allocation_date=allocation if referred and allocation <= today else None,
                    significant_harm=referred and rng.random() < 0.4,
                    bla_panel=referred and rng.random() < 0.1,
                    outcome="live_birth" if born else "",
                    outcome_date=birth,
                    birth_date=birth,
                    placement=rng.choice(["home", "home", "foster", "parent_and_child"])
                    if born else "",
                    placement_date=birth + timedelta(days=2) if born else None,
                    created_by=creator,
                )
            )  # fmt: skip
        Case.objects.bulk_create(rows)
    return staff


def bench_engine(today: date):
    """Engine throughput, against reading the same facts with raw SQL."""
    from django.db import connection

    from cases.models import Case
    from rules import csc
    from rules.timeline import CaseFacts, compute_timeline
    from timeline.services import active_protocol

    protocol = active_protocol()
    columns = ["edd", "referral_date", "complex", "allocation_date", "significant_harm",
               "strategy_discussion_date", "csc_input", "bla_panel", "birth_date",
               "outcome", "placement", "placement_date"]  # fmt: skip
    raw_seconds, raw_rows = timed(_raw_read, connection, columns)
    rows = list(Case.objects.values_list(*columns))
    facts = [
        CaseFacts(
            edd=r[0], today=today, referral_date=r[1], complex=r[2], allocation_date=r[3],
            significant_harm=r[4], strategy_discussion_date=r[5],
            pre_proceedings=csc.in_pre_proceedings(r[6]), cp_plan=csc.has_cp_plan(r[6]),
            bla_panel=r[7], birth_date=r[8], pregnancy_outcome=r[9] or None,
            placement=r[10] or None, placement_date=r[11],
        )
        for r in rows
    ]  # fmt: skip
    compute_timeline(facts[0], protocol)
    seconds, _ = timed(lambda: [compute_timeline(f, protocol) for f in facts])
    return {
        "timelines": len(facts),
        "seconds": seconds,
        "per_second": len(facts) / seconds,
        "raw_sql_seconds": raw_seconds,
        "raw_rows": raw_rows,
    }


def _raw_read(connection, columns) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM cases_case")  # noqa: S608
        return len(cursor.fetchall())


def bench_recompute(today: date):
    """Full recompute from nothing, then again with nothing to change; raw SQL inserts."""
    from django.db import connection, transaction

    from cases.models import Case
    from cases.services import timelines_recompute_all
    from timeline.models import CaseMilestone
    from timeline.services import active_protocol

    protocol = active_protocol()

    def recompute_everything(everything: bool) -> int:
        return sum(
            bool(changes)
            for _, changes in timelines_recompute_all(
                today=today, protocol=protocol, everything=everything
            )
        )

    # From nothing: the timelines stored for the first part of the country go first.
    CaseMilestone.objects.all().delete()
    first_seconds, first_moved = timed(recompute_everything, True)
    rows = CaseMilestone.objects.count()
    again_seconds, again_moved = timed(recompute_everything, False)
    forced_seconds, forced_moved = timed(recompute_everything, True)
    values = list(
        CaseMilestone.objects.values_list("case_id", "milestone_id", "position", "title", "state",
                                          "due_date", "warning_from", "done_date")
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_copy AS SELECT * FROM timeline_casemilestone "
                       "WHERE 1 = 0")  # fmt: skip

    def raw_insert() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_copy (id, case_id, milestone_id, position, title, state, "
                "due_date, warning_from, done_date, not_applicable_reason, tracked_without_date, "
                "due_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, '', %s, NULL)",
                [
                    (n, *_sqlite_ids(v, connection.vendor), False)
                    for n, v in enumerate(values, start=1)
                ],  # fmt: skip
            )

    raw_seconds, _ = timed(raw_insert)
    return {
        "cases": Case.objects.count(),
        "rows": rows,
        "first_seconds": first_seconds,
        "first_changed": first_moved,
        "again_seconds": again_seconds,
        "again_changed": again_moved,
        "forced_seconds": forced_seconds,
        "forced_changed": forced_moved,
        "raw_insert_seconds": raw_seconds,
    }


PAGE_SQL = {
    "locality": """
        SELECT c.id, c.edd, COUNT(m.id) FILTER (WHERE m.state = 'open' AND m.due_date < %s)
        FROM cases_case c LEFT JOIN timeline_casemilestone m ON m.case_id = c.id
        WHERE c.locality_id = %s AND c.csc_input <> 'closed'
        GROUP BY c.id, c.edd ORDER BY c.edd LIMIT 25""",
    # My work reads the worker's case ids first, as the page does (see raw_my_work).
    "my_work": "SELECT id FROM cases_case WHERE named_social_worker_id = %s",
    "case_list": """
        SELECT c.id, c.edd, p.family_name FROM cases_case c JOIN cases_person p
        ON p.id = c.mother_id WHERE c.locality_id = %s ORDER BY c.edd LIMIT 25""",
    # Searches: the locality's cases by the mother's NHS number, or by part of her name.
    "search_nhs": """
        SELECT c.id, c.edd, p.family_name FROM cases_case c JOIN cases_person p
        ON p.id = c.mother_id WHERE c.locality_id = %s AND p.nhs_number = %s
        ORDER BY c.edd LIMIT 25""",
    "search_name": """
        SELECT c.id, c.edd, p.family_name FROM cases_case c JOIN cases_person p
        ON p.id = c.mother_id WHERE c.locality_id = %s AND UPPER(p.family_name) LIKE UPPER(%s)
        ORDER BY c.edd LIMIT 25""",
    "case_timeline": """
        SELECT * FROM timeline_casemilestone WHERE case_id = %s ORDER BY position""",
    # The meeting's families with their mothers, and their open actions.
    "meeting": """
        SELECT d.id, d.current_concerns, d.key_points, c.edd, c.csc_input, p.given_name,
        p.family_name, p.date_of_birth, a.description, a.due_date
        FROM meetings_discussion d JOIN cases_case c ON c.id = d.case_id
        JOIN cases_person p ON p.id = c.mother_id
        LEFT JOIN meetings_action a ON a.case_id = c.id AND a.status = 'open'
        WHERE d.meeting_id = %s ORDER BY d.position""",
}

MEETING_FAMILIES = 40


def make_meeting(place_id, manager, today: date):
    """A tracking meeting in the locality with 40 families, each with concerns, key points,
    a theme, an open action and a supervision date per agency: the page at its fullest."""
    from datetime import time as clock

    from accounts.models import Role, RoleCode, User
    from cases.models import Case
    from meetings.models import Action, Discussion, Meeting, MeetingMember, Supervision, Theme

    chair = User.objects.create(username=f"nm-{place_id}", first_name="Named", last_name="Midwife")
    chair.roles.add(Role.objects.get(code=RoleCode.NAMED_MIDWIFE))
    chair.localities.add(place_id)
    meeting = Meeting.objects.create(
        locality_id=place_id, date=today, start_time=clock(10), end_time=clock(12),
        venue="Bench room", chair=chair, created_by=chair,
    )  # fmt: skip
    MeetingMember.objects.bulk_create([
        MeetingMember(meeting=meeting, user=chair, role="chair", agency="midwifery"),
        MeetingMember(meeting=meeting, user=manager, role="guest", agency="csc"),
    ])  # fmt: skip
    cases = list(
        Case.objects.filter(locality_id=place_id, referral_date__isnull=False).order_by("edd")[
            :MEETING_FAMILIES
        ]
    )
    discussions = Discussion.objects.bulk_create(
        Discussion(meeting=meeting, case=case, position=n, rule_reason="Open to CSC",
                   current_concerns="Housing unsettled; missed antenatal appointments",
                   key_points="Father not engaging\nICPC to be booked",
                   level_of_csc_input=case.csc_input)
        for n, case in enumerate(cases, start=1)
    )  # fmt: skip
    theme = Theme.objects.first()
    for discussion in discussions:
        discussion.themes.add(theme)
    Action.objects.bulk_create(
        Action(case=case, meeting=meeting, description="Book the strategy discussion",
               owner_agency="csc", due_date=today + timedelta(days=7), created_by=chair)
        for case in cases
    )  # fmt: skip
    Supervision.objects.bulk_create(
        Supervision(case=case, agency=agency, supervised_on=today - timedelta(days=40),
                    recorded_by=chair)
        for case in cases
        for agency in ("csc", "midwifery", "phn")
    )  # fmt: skip
    return chair, meeting


def worked_cases(place_id, manager, workers, today: date):
    """Two cases with the work recorded in the service, as the demo records it: one on a
    child protection plan (referral, allocation, assessment, checkpoints, decisions,
    visits, documents, history), one born and home (the after-birth records too). The
    case pages at their fullest: every section of the case page has rows to show."""
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from faker import Faker

    from accounts.models import Agency, Locality, Role, RoleCode, User
    from cases.management.commands.seed_demo import _seed_case
    from referrals.reference_data import ensure_risk_factors

    ensure_risk_factors()

    def person(username: str, role: str, agency: str) -> User:
        user = User.objects.create(username=f"{username}-{place_id}", first_name="Bench",
                                   last_name=username.title(),
                                   agency=Agency.objects.get(code=agency))  # fmt: skip
        user.roles.add(Role.objects.get(code=role))
        user.localities.add(place_id)
        return user

    midwife = person("midwife", RoleCode.MIDWIFE, "midwifery")
    team = {
        RoleCode.SOCIAL_WORKER: [workers[0], manager],
        RoleCode.MIDWIFE: [midwife],
        RoleCode.HEALTH_VISITOR: [person("hv", RoleCode.HEALTH_VISITOR, "phn")],
    }
    fake = Faker("en_GB")
    fake.seed_instance(2027)
    rng = random.Random(2027)
    london = ZoneInfo(settings.TIME_ZONE)
    place = Locality.objects.get(id=place_id)
    return [
        _seed_case(fake, rng, today, london, place, team, midwife, stage)
        for stage in ("cp_plan", "born_at_home")
    ]


def raw_my_work(cursor, case_ids, today) -> None:
    # Overdue or due soon: open, and its warning window has begun.
    marks = ", ".join(["%s"] * len(case_ids)) or "NULL"
    cursor.execute(
        "SELECT m.id, m.title, m.due_date, c.edd FROM timeline_casemilestone m "
        "JOIN cases_case c ON c.id = m.case_id "
        f"WHERE m.case_id IN ({marks}) AND m.state = 'open' AND m.warning_from <= %s "  # noqa: S608
        "ORDER BY m.due_date LIMIT 25",
        [*case_ids, today],
    )
    cursor.fetchall()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def signed_in(client, user):
    """The client signed in as the person, with the second factor too (as every page
    but signing in requires), so each page is measured as people use it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import two_factor

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or two_factor.enrol_for_demo(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def page_targets(staff, today: date) -> list[tuple]:
    """The pages measured, as (name, user, url, raw SQL parameters): the busiest
    locality's manager and its busiest worker, one of the worker's cases, a meeting of
    40 families, and two cases with the pre-birth assessment's work recorded."""
    from cases.models import Case

    place_id = max(staff, key=lambda pid: Case.objects.filter(locality_id=pid).count())
    manager, workers = staff[place_id]
    worker = max(workers, key=lambda w: Case.objects.filter(named_social_worker=w).count())
    case = Case.objects.filter(named_social_worker=worker).order_by("edd").first()
    mother = case.mother
    pages = [
        ("my_work", worker, "/my-work/", [worker.id, today]),
        ("locality", manager, "/locality/", (today, place_id)),
        ("team", manager, "/team/", (today, place_id)),
        ("case_list", manager, "/cases/", (place_id,)),
        (
            "search_name",
            manager,
            f"/cases/?q={mother.family_name}",
            (place_id, f"%{mother.family_name}%"),
        ),
        ("search_nhs", manager, f"/cases/?q={mother.nhs_number}", (place_id, mother.nhs_number)),
        ("case_detail", manager, f"/cases/{case.id}/", (case.id,)),
        ("case_timeline", manager, f"/cases/{case.id}/timeline/", (case.id,)),
    ]
    chair, meeting = make_meeting(place_id, manager, today)
    pages.append(("meeting", chair, f"/meetings/{meeting.id}/", (meeting.id,)))
    # The case pages with the pre-birth assessment's work recorded in them. The raw SQL
    # floor is one case's milestones, as for the other one-case pages.
    planned, born = worked_cases(place_id, manager, workers, today)
    pages += [
        ("case_detail_worked", manager, f"/cases/{planned.id}/", (planned.id,)),
        ("assessment", manager, f"/cases/{planned.id}/assessment/", (planned.id,)),
        ("checkpoints", manager, f"/cases/{planned.id}/checkpoints/", (planned.id,)),
        ("plans", manager, f"/cases/{planned.id}/plans/", (planned.id,)),
        ("history", manager, f"/cases/{planned.id}/history/", (planned.id,)),
        ("after_birth", manager, f"/cases/{born.id}/after-birth/", (born.id,)),
    ]
    return pages


def analyse() -> None:
    """PostgreSQL's planner statistics brought up to date after a bulk load, as
    autovacuum would soon do (docs/operations.md); SQLite's plans use none."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def page_reads(targets) -> dict[str, int]:
    """Database pages (8 kB buffers) each page's request reads, from EXPLAIN (ANALYZE,
    BUFFERS) of every read it makes: PostgreSQL only (SQLite counts none)."""
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        return {}
    reads = {}
    for name, user, url, _ in targets:
        client = signed_in(Client(), user)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        total = 0
        with connection.cursor() as cursor:
            for query in captured:
                sql = query["sql"].lstrip()
                if sql.upper().startswith("DECLARE"):  # a server-side cursor's query
                    sql = sql[sql.upper().index(" FOR SELECT") + len(" FOR ") :]
                if not sql.upper().startswith(("SELECT", "WITH")):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = json.loads(plan) if isinstance(plan, str) else plan
                top = plan[0]["Plan"]
                total += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
        reads[name] = total
    return reads


# A page's reads may grow this much while the country grows tenfold and what it shows
# stays the same; more, and it is reading the country (bench check fails).
READS_GROWTH_ALLOWED = 2.0
READS_SLACK = 100  # buffers: index pages of a taller B-tree, a fuller statistics page


def reads_check(small: dict[str, int], large: dict[str, int]) -> list[dict]:
    return [
        {
            "page": name,
            "small": small[name],
            "large": large[name],
            "ok": large[name] <= small[name] * READS_GROWTH_ALLOWED + READS_SLACK,
        }
        for name in small
        if name in large
    ]


def bench_pages(targets, repeats: int):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    pages = targets
    results = []
    for name, user, url, params in pages:
        client = signed_in(Client(), user)
        client.get(url)
        latencies = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(url)
            latencies.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        sql = PAGE_SQL.get(name) or PAGE_SQL["locality" if name == "team" else "case_timeline"]
        raw = []
        with connection.cursor() as cursor:
            for _ in range(repeats):
                start = time.perf_counter()
                first = params[:1] if name == "my_work" else params
                cursor.execute(sql, _sqlite_ids(first, connection.vendor))
                found = cursor.fetchall()
                if name == "my_work":
                    raw_my_work(cursor, [row[0] for row in found], params[1])
                raw.append(time.perf_counter() - start)
        results.append({
            "page": name, "p50": _percentile(latencies, 0.5), "p95": _percentile(latencies, 0.95),
            "p99": _percentile(latencies, 0.99), "queries": len(captured),
            "raw_p50": statistics.median(raw),
        })  # fmt: skip
    return results


def _sqlite_ids(params, vendor):
    # SQLite stores UUIDs as 32 hex characters without hyphens.
    import uuid

    return [p.hex if vendor == "sqlite" and isinstance(p, uuid.UUID) else p for p in params]


def report(args, generated_seconds, engine, recompute, pages, reads, small_cases) -> str:
    lines = [
        f"# Pre-birth Tracker benchmark – {datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Data: {args.cases:,} synthetic cases in {args.localities} localities, and "
        f"{recompute['cases'] - args.cases} with the pre-birth assessment's work recorded "
        f"({recompute['rows']:,} stored milestones), generated in {generated_seconds:.1f} s. "
        f"Database: {os.environ.get('DATABASE_URL', 'SQLite').split('@')[-1]}.",
        "",
        "## Engine",
        f"- {engine['per_second']:,.0f} timelines a second ({engine['timelines']:,} in "
        f"{engine['seconds']:.1f} s, one core)",
        f"- raw SQL reading the same facts: {engine['raw_sql_seconds']:.2f} s; engine / raw SQL = "
        f"{engine['seconds'] / engine['raw_sql_seconds']:.1f}×",
        "",
        "## Full recompute (recompute_timelines)",
        f"- from nothing: {recompute['first_seconds']:.1f} s for {recompute['cases']:,} cases "
        f"({recompute['cases'] / recompute['first_seconds']:,.0f} cases a second)",
        f"- again, nothing to change: {recompute['again_seconds']:.1f} s "
        f"({recompute['again_changed']} cases changed; the cases whose facts and engine are "
        "unchanged passed over by their fingerprints)",
        f"- again with `--everything` (every case computed and compared, nothing to change): "
        f"{recompute['forced_seconds']:.1f} s ({recompute['forced_changed']} cases changed)",
        f"- raw SQL inserting the same {recompute['rows']:,} rows: "
        f"{recompute['raw_insert_seconds']:.1f} s; recompute / raw SQL = "
        f"{recompute['first_seconds'] / recompute['raw_insert_seconds']:.1f}×",
        "",
        "## Pages (Django test client, in process)",
        "",
        "| page | p50 ms | p95 ms | p99 ms | queries | raw SQL p50 ms | page / raw SQL |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in pages:
        lines.append(
            f"| {row['page']} | {row['p50'] * 1000:.1f} | {row['p95'] * 1000:.1f} | "
            f"{row['p99'] * 1000:.1f} | {row['queries']} | {row['raw_p50'] * 1000:.2f} | "
            f"{row['p50'] / row['raw_p50']:.1f}× |"
        )
    lines += ["", f"## Database reads per page, {small_cases:,} cases and {recompute['cases']:,}",
              ""]  # fmt: skip
    if not reads:
        lines.append(
            "Measured on PostgreSQL only (EXPLAIN (ANALYZE, BUFFERS)); this run used SQLite."
        )
    else:
        lines += [
            "Buffers (8 kB pages) read by all of one request's queries, the pages' users and "
            "cases the same, the country grown around them. A page passes if its reads grow "
            f"less than {READS_GROWTH_ALLOWED:g}× + {READS_SLACK}: it reads what it shows, "
            "not the country.",
            "",
            "| page | buffers, small | buffers, full | grown | check |",
            "|---|---|---|---|---|",
        ]
        for row in reads:
            grown = row["large"] / row["small"] if row["small"] else 0
            lines.append(f"| {row['page']} | {row['small']:,} | {row['large']:,} | "
                         f"{grown:.2f}× | {'pass' if row['ok'] else 'FAIL'} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def add_common_arguments(parser, var_dir: str) -> None:
    """--database-url, --output and --var-dir, as every benchmark here takes them."""
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--output", help="also write the report to this file")
    parser.add_argument(
        "--var-dir",
        type=Path,
        default=ROOT / "var" / var_dir,
        help="where the benchmark's SQLite database goes (emptied first)",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--localities", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--growth", type=int, default=10,
        help="the pages' database reads are measured with 1/GROWTH of the country and "
        "again with all of it, the pages' own localities the same (PostgreSQL)",
    )  # fmt: skip
    parser.add_argument(
        "--load-users",
        default="1,8,32",
        help="the real-server load test's numbers of people at once",
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=30,
        help="how long each number of people runs (0: no load test)",
    )
    add_common_arguments(parser, "bench")
    args = parser.parse_args(argv)
    configure(args)
    from django.utils import timezone

    from cases.services import timelines_recompute_all
    from timeline.services import active_protocol

    today = timezone.localdate()
    # A country 1/GROWTH the size, with its timelines: the pages' reads there.
    small_places = max(1, args.localities // args.growth)
    small_cases = args.cases * small_places // args.localities
    first_seconds, staff = timed(generate, small_cases, small_places, today)
    for _ in timelines_recompute_all(today=today, protocol=active_protocol()):
        pass
    analyse()
    targets = page_targets(staff, today)
    reads_small = page_reads(targets)
    # Then the rest of the country: the same localities, the pages' users and cases.
    rest_seconds, _ = timed(generate, args.cases - small_cases, args.localities - small_places,
                            today, first=small_places)  # fmt: skip
    analyse()
    engine = bench_engine(today)
    recompute = bench_recompute(today)
    analyse()
    reads = reads_check(reads_small, page_reads(targets))
    pages = bench_pages(targets, args.repeats)
    levels = [int(n) for n in args.load_users.split(",") if n.strip()]
    loaded = (
        load.load_test(staff, today, args.var_dir, args.database_url, levels, args.load_seconds)
        if levels and args.load_seconds > 0
        else []
    )
    text = report(args, first_seconds + rest_seconds, engine, recompute, pages, reads,
                  small_cases)  # fmt: skip
    if loaded:
        text += "\n" + "\n".join(load.report_lines(loaded, workers=3)) + "\n"
    print(text)
    if args.output:
        Path(args.output).write_text(text)
    return 0 if all(row["ok"] for row in reads) else 1


if __name__ == "__main__":
    sys.exit(main())
