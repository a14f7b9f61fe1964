"""The real-server load test: gunicorn on 127.0.0.1 in production settings, driven by a
bounded closed-loop load (each simulated person asks for their next page as soon as the
last one answered, no think time) for a fixed time at each number of people.

The people are signed-in social workers and managers of their own localities, each with
the pages they use: a worker's My work, case list, search, a case of theirs, its timeline
and its assessment; a manager's locality and Team pages, case list filtered, a meeting.
Their sessions are made in the database as a sign-in with the second factor would make
them (the server shares the benchmark's SECRET_KEY), and sent under the production
cookie name with `X-Forwarded-Proto: https`, as a reverse proxy would.

Reported per number of people: requests a second, p50/p95/p99 overall and per page,
errors, and the CPU the server (gunicorn's processes) and PostgreSQL spent per request.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
# Set before Django starts (bench/run.py): the server must check the sessions made here.
SECRET_KEY = "bench-" + secrets.token_hex(32)


@dataclass
class Person:
    username: str
    session_key: str
    pages: list[tuple[str, str]]  # (page name, path)


@dataclass
class Level:
    users: int
    servers: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    server_cpu: float = 0.0
    database_cpu: float = 0.0
    client_cpu: float = 0.0  # the load generator's own (it shares the machine)

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())


def people(staff, today, count: int) -> list[Person]:
    """Up to `count` people, a manager and their workers from each locality in turn."""
    from django.test import Client

    from bench.run import signed_in
    from cases.models import Case
    from meetings.models import Meeting

    chosen = []
    for place_id, (manager, workers) in staff.items():
        meeting = Meeting.objects.filter(locality_id=place_id).first()
        manager_pages = [
            ("locality", "/locality/"),
            ("team", "/team/"),
            ("case_list_filtered", "/cases/?csc_input=child_protection&sort=edd"),
        ]
        if meeting is not None:
            manager_pages.append(("meeting", f"/meetings/{meeting.id}/"))
        chosen.append((manager, manager_pages))
        for worker in workers:
            case = Case.objects.filter(named_social_worker=worker).order_by("edd").first()
            if case is None:
                continue
            chosen.append((worker, [
                ("my_work", "/my-work/"), ("case_list", "/cases/"),
                ("search", f"/cases/?q={case.mother.family_name}"),
                ("case", f"/cases/{case.id}/"), ("timeline", f"/cases/{case.id}/timeline/"),
                ("assessment", f"/cases/{case.id}/assessment/"),
            ]))  # fmt: skip
    found = []
    for user, pages in chosen[:count]:
        client = signed_in(Client(), user)
        found.append(Person(user.username, client.session.session_key, pages))
    return found


def production_env(var_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        **{k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TZ"}},
        "DJANGO_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DOCUMENTS_SCANNER": "none",
        "PREBIRTH_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the container's settings file, in production settings, on a port."""

    def __init__(self, var_dir: Path, database_url: str | None, workers: int):
        self.port = _free_port()
        env = {
            **production_env(var_dir, database_url),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_LOG_LEVEL": "warning",
            # No worker replaced during a run: its warm-up would count as load.
            "GUNICORN_MAX_REQUESTS": "0",
        }
        self.log = open(var_dir / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 – our own server, fixed arguments
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
        )  # fmt: skip
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: see {self.log.name}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer on port {self.port}")

    def cpu_seconds(self) -> float:
        return _tree_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _stat(pid: int) -> list[str]:
    """/proc/PID/stat's fields after the command's name (the first is the state)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _tree_cpu_seconds(pid: int) -> float:
    """The CPU of a process and of its children, those running and those that have
    ended (a gunicorn worker replaced, a PostgreSQL backend closed): a process's own
    utime and stime, and for ended children, its cutime and cstime."""
    fields = _stat(pid)
    if not fields:
        return 0.0
    own = sum(int(fields[n]) for n in (11, 12, 13, 14)) / TICKS
    return own + sum(_tree_cpu_seconds(child) for child in _children(pid))


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat(int(stat.parent.name))
        if len(fields) > 1 and fields[1] == str(pid):
            found.append(int(stat.parent.name))
    return found


def _database_cpu_seconds() -> float:
    """The CPU PostgreSQL has used, its backends' ended ones included (0 on SQLite: that
    is in the server's own): the tree of each postgres process whose parent is not one."""
    postgres = set()
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in {"postgres", "postmaster"}:
                postgres.add(int(comm.parent.name))
        except (OSError, ValueError):
            continue
    roots = [pid for pid in postgres if int((_stat(pid) or ["", "0"])[1]) not in postgres]
    return sum(_tree_cpu_seconds(pid) for pid in roots)


def _run_person(person: Person, port: int, until: float, level: Level, lock, cookie: str):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"{cookie}={person.session_key}", "X-Forwarded-Proto": "https",
               "Host": "127.0.0.1"}  # fmt: skip
    turn = 0
    while time.monotonic() < until:
        name, path = person.pages[turn % len(person.pages)]
        turn += 1
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            status = 0  # no answer
        elapsed = time.perf_counter() - start
        with lock:
            level.statuses[status] += 1
            if status == 200:
                level.latencies[name].append(elapsed)
            else:
                level.errors[name] += 1
    connection.close()


def run_level(servers: list[Server], everyone: list[Person], users: int, seconds: float) -> Level:
    """`users` people at once for `seconds`, split between the servers, after a warm-up."""
    level = Level(users=users, servers=len(servers), seconds=seconds)
    lock = threading.Lock()
    cookie = "__Host-session"
    warm = Level(users=users, servers=len(servers), seconds=1)
    for index, person in enumerate(everyone[: max(users, 2)]):  # every page and worker warm
        _run_person(person, servers[index % len(servers)].port, time.monotonic() + 0.5, warm,
                    threading.Lock(), cookie)  # fmt: skip
    server_before = sum(server.cpu_seconds() for server in servers)
    database_before = _database_cpu_seconds()
    client_before = sum(os.times()[:2])
    if users == 1:  # one person at a time: a manager, then a worker, each half the time
        for person in everyone[:2]:
            _run_person(person, servers[0].port, time.monotonic() + seconds / 2, level, lock,
                        cookie)  # fmt: skip
    else:
        until = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_run_person, args=(person, servers[n % len(servers)].port,
                                                       until, level, lock, cookie))
            for n, person in enumerate(everyone[:users])
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    level.server_cpu = sum(server.cpu_seconds() for server in servers) - server_before
    level.database_cpu = _database_cpu_seconds() - database_before
    level.client_cpu = sum(os.times()[:2]) - client_before
    return level


def load_test(staff, today, var_dir: Path, database_url: str | None, levels: list[int],
              seconds: float, workers: int = 3) -> list[Level]:  # fmt: skip
    """Every level against one server, then the largest against two (the load split)."""
    var_dir = Path(var_dir)
    subprocess.run(  # noqa: S603 – the pages' static files and their manifest, as deployed
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=production_env(var_dir, database_url), check=True,
    )  # fmt: skip
    everyone = people(staff, today, max(*levels, 2))
    results = []
    servers = [Server(var_dir, database_url, workers)]
    try:
        for users in levels:
            results.append(run_level(servers, everyone, users, seconds))
        servers.append(Server(var_dir, database_url, workers))
        results.append(run_level(servers, everyone, max(levels), seconds))
    finally:
        for server in servers:
            server.stop()
    return results


def _ms(values: list[float], fraction: float) -> str:
    from bench.run import _percentile

    return f"{_percentile(values, fraction) * 1000:.0f}" if values else "–"


def _errors(level: Level) -> str:
    """How many requests were not answered 200, and what they were answered instead
    (0: no answer at all)."""
    other = {code: n for code, n in sorted(level.statuses.items()) if code != 200}
    if not other:
        return "0"
    return (
        f"{sum(other.values())} (" + ", ".join(f"{n} × {code}" for code, n in other.items()) + ")"
    )


def report_lines(results: list[Level], workers: int) -> list[str]:
    lines = [
        f"## Load test (gunicorn, {workers} sync workers a server, production settings, "
        "closed loop, no think time)",
        "",
        "| people | servers | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
        "| database CPU ms/req | load generator CPU ms/req |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for level in results:
        every = [value for values in level.latencies.values() for value in values]
        requests = max(1, level.requests)
        lines.append(
            f"| {level.users} | {level.servers} | {level.requests / level.seconds:.1f} "
            f"| {_ms(every, 0.5)} | {_ms(every, 0.95)} | {_ms(every, 0.99)} "
            f"| {_errors(level)} | {level.server_cpu * 1000 / requests:.1f} "
            f"| {level.database_cpu * 1000 / requests:.1f} "
            f"| {level.client_cpu * 1000 / requests:.1f} |"
        )
    heads = [f"{r.users} people, {r.servers} server{'s' * (r.servers > 1)}" for r in results]
    lines += ["", "Per page (p50 / p95 ms):", "", "| page | " + " | ".join(heads) + " |",
              "|---|" + "---|" * len(results)]  # fmt: skip
    pages = sorted({page for level in results for page in level.latencies})
    for page in pages:
        cells = [f"{_ms(r.latencies[page], 0.5)} / {_ms(r.latencies[page], 0.95)}"
                 + (f" ({r.errors[page]} errors)" if r.errors.get(page) else "")
                 for r in results]  # fmt: skip
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return lines
