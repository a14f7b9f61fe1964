"""`manage.py backup` and `manage.py restore` (web/backup.py), end to end, as an operator
runs them: a seeded database with an uploaded document is backed up, restored into a
fresh database (SQLite: a new file; PostgreSQL: a new database the test creates and
drops), and found intact, read here independently of the commands' own checks.

The PostgreSQL round trip runs when DATABASE_URL names a PostgreSQL server (as CI's run
does) and skips, saying so, otherwise.
"""

import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from audit.protection import MESSAGE

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith(("postgres://", "postgresql://"))

UPLOAD_A_DOCUMENT = """
from accounts.models import User
from cases.models import Case
from documents.demo import minimal_pdf
from documents.services import document_upload
case = Case.objects.order_by("reference").first()
worker = User.objects.filter(roles__code="social_worker").order_by("username").first()
document_upload(actor=worker, context=None, case=case, kind="genogram",
                title="Genogram", file_name="Genogram.pdf",
                content=minimal_pdf(["Genogram", "Synthetic backup test"]))
"""


@dataclass
class Database:
    """One database and documents folder, as the commands see them (their environment)
    and as this test reads them (directly, without Django)."""

    engine: str
    var_dir: Path
    url: str = ""
    env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.var_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV"}}
        env["PREBIRTH_VAR_DIR"] = str(self.var_dir)
        env.pop("DOCUMENTS_ROOT", None)
        if self.url:
            env["DATABASE_URL"] = self.url
        self.env = env

    @property
    def documents(self) -> Path:
        return self.var_dir / "documents"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
            capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip

    def ok(self, *args: str) -> str:
        result = self.manage(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def connect(self):
        if self.engine == "sqlite":
            return sqlite3.connect(self.var_dir / "prebirth.sqlite3")
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def tables(self) -> dict[str, tuple[int, str]]:
        """Every table's row count and a checksum of its rows in a fixed order."""
        with self.connect() as database:
            if self.engine == "sqlite":
                names = [row[0] for row in database.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                    " AND name NOT LIKE 'sqlite_%'").fetchall()]  # fmt: skip
            else:
                names = [row[0] for row in database.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                ).fetchall()]  # fmt: skip
            found = {}
            for name in names:
                rows = database.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608
                lines = sorted(repr(tuple(row)) for row in rows)
                found[name] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
            return found

    def refuses_to_change_audit_rows(self) -> bool:
        with self.connect() as database:
            for statement in ("UPDATE audit_auditevent SET path = 'rewritten'",
                              "DELETE FROM audit_auditevent"):  # fmt: skip
                try:
                    database.execute(statement)
                except Exception as error:  # sqlite3 and psycopg raise their own kinds
                    if MESSAGE not in str(error):
                        raise
                    if self.engine == "sqlite":
                        database.rollback()
                else:
                    return False
        return True

    def document_files(self) -> dict[str, bytes]:
        root = self.documents
        return {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }


AUDIT = "audit_auditevent"


def last_audit_row(database: "Database") -> tuple[str, str, str]:
    """(event type, previous hash, own hash) of the newest audit row."""
    with database.connect() as connection:
        return tuple(connection.execute(
            f"SELECT event_type, previous_hash, row_hash FROM {AUDIT} ORDER BY id DESC LIMIT 1"  # noqa: S608
        ).fetchone())  # fmt: skip


def assert_restored_intact(before: dict, source: Database, restored: Database) -> None:
    """The restored database holds what the source did when it was backed up (`before`),
    row for row, its documents file for file, and its audit log still refuses to be
    rewritten. Its audit log is the source's then, plus one row saying it was restored,
    chained on the backup's last row; the source's has a row saying it was backed up."""
    after = restored.tables()
    assert {k: v for k, v in after.items() if k != AUDIT} == {
        k: v for k, v in before.items() if k != AUDIT
    }
    assert after[AUDIT][0] == before[AUDIT][0] + 1
    for table in ("cases_case", "timeline_casemilestone", AUDIT, "documents_document"):
        assert after[table][0] > 0, f"{table} is empty: the test seeded nothing there"
    assert restored.document_files() == source.document_files()
    assert restored.refuses_to_change_audit_rows()
    assert source.refuses_to_change_audit_rows()
    # Both chains verify; the restored one goes on from the backup's last row.
    backed_up, backup_row_chained_on, _ = last_audit_row(source)
    assert backed_up == "backup_made"
    source.ok("verify_audit")
    kind, chained_on, last = last_audit_row(restored)
    assert kind == "backup_restored" and chained_on == backup_row_chained_on
    restored.ok("verify_audit", "--expect", last)


@pytest.fixture
def fresh_databases(request, tmp_path):
    """A source and a target database, both new: SQLite files, or PostgreSQL databases
    with unique names on DATABASE_URL's server, dropped afterwards."""
    engine = request.param
    if engine == "sqlite":
        yield (Database("sqlite", tmp_path / "source"), Database("sqlite", tmp_path / "target"))
        return
    if not ON_POSTGRES:
        pytest.skip("the PostgreSQL round trip needs DATABASE_URL=postgres://… (not set)")
    import psycopg

    admin_url = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
    names = [f"backup_{role}_{uuid.uuid4().hex[:12]}" for role in ("source", "target")]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base = POSTGRES_URL.rsplit("/", 1)[0]
        yield tuple(
            Database("postgresql", tmp_path / role, url=f"{base}/{name}")
            for role, name in zip(("source", "target"), names, strict=True)
        )
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("fresh_databases", ["sqlite", "postgresql"], indirect=True)
def test_a_backup_restores_into_a_fresh_database_intact(fresh_databases, tmp_path):
    source, target = fresh_databases
    source.ok("migrate", "--noinput", "-v0")
    source.ok("seed_demo", "--cases-per-locality", "1")
    source.ok("shell", "-c", UPLOAD_A_DOCUMENT)
    assert len(source.document_files()) == 1
    bundle = tmp_path / "prebirth.backup"
    before = source.tables()

    said = source.ok("backup", str(bundle))

    assert "1 document file(s)" in said
    assert oct(bundle.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(bundle) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert any(name.startswith("documents/") for name in names)

    said = target.ok("restore", str(bundle))

    assert "checked against its manifest" in said
    assert_restored_intact(before, source, target)

    # A second restore over it is refused, naming what is in the way…
    again = target.manage("restore", str(bundle))
    assert again.returncode == 2
    assert "database: already holds" in again.stderr
    # …unless forced, which replaces everything with the backup again.
    target.ok("shell", "-c", "from audit.services import audit_record; "
              "audit_record(actor=None, event_type='signed_out')")  # fmt: skip
    assert target.tables()[AUDIT][0] == before[AUDIT][0] + 2
    target.ok("restore", str(bundle), "--force")
    assert_restored_intact(before, source, target)


def test_restore_refuses_what_is_not_a_backup_naming_the_field(tmp_path):
    target = Database("sqlite", tmp_path / "target")
    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as tar:
        tar.add(ROOT / "README.md", arcname="README.md")

    for path, message in [
        (tmp_path / "missing.backup", "path: no file"),
        (not_a_backup, "is not a Pre-birth Tracker backup"),
        (ROOT / "README.md", "is not a Pre-birth Tracker backup"),
    ]:
        result = target.manage("restore", str(path))
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
    assert not (target.var_dir / "prebirth.sqlite3").exists() or target.tables() == {}


def test_backup_refuses_to_overwrite_a_file_or_write_into_no_folder(tmp_path):
    source = Database("sqlite", tmp_path / "source")
    source.ok("migrate", "--noinput", "-v0")
    existing = tmp_path / "existing.backup"
    existing.write_text("an earlier backup")

    refused = source.manage("backup", str(existing))
    nowhere = source.manage("backup", str(tmp_path / "no-such-folder" / "x.backup"))

    assert (refused.returncode, nowhere.returncode) == (2, 2)
    assert "path:" in refused.stderr and "already exists" in refused.stderr
    assert "path: no folder" in nowhere.stderr
    assert existing.read_text() == "an earlier backup"


def test_restore_refuses_a_documents_folder_with_files_in_it(tmp_path):
    source = Database("sqlite", tmp_path / "source")
    source.ok("migrate", "--noinput", "-v0")
    bundle = tmp_path / "prebirth.backup"
    source.ok("backup", str(bundle))
    target = Database("sqlite", tmp_path / "target")
    stray = target.documents / "ab" / str(uuid.UUID("ab000000-0000-4000-8000-000000000000"))
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"a document of another deployment")

    refused = target.manage("restore", str(bundle))

    assert refused.returncode == 2
    assert "documents: already holds 1 document file(s)" in refused.stderr
    assert stray.exists()


def test_a_restore_that_does_not_match_its_manifest_fails(tmp_path):
    source = Database("sqlite", tmp_path / "source")
    source.ok("migrate", "--noinput", "-v0")
    bundle = tmp_path / "prebirth.backup"
    source.ok("backup", str(bundle))
    # Tamper: the manifest claims one more row in the audit log than the dump has.
    tampered = tmp_path / "tampered.backup"
    with tarfile.open(bundle) as original, tarfile.open(tampered, "w") as copy:
        for member in original:
            content = original.extractfile(member).read()
            if member.name == "manifest.json":
                content = content.replace(b'"audit_auditevent": {\n      "rows": 0',
                                          b'"audit_auditevent": {\n      "rows": 1')  # fmt: skip
                member.size = len(content)
            copy.addfile(member, io.BytesIO(content))
    target = Database("sqlite", tmp_path / "target")

    result = target.manage("restore", str(tampered))

    assert result.returncode == 1
    assert "table audit_auditevent: 0 rows, the backup has 1" in result.stderr
