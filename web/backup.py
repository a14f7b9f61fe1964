"""A backup of the whole service in one file, and its restore: the database and the
documents uploaded to cases (DOCUMENTS_ROOT), with a manifest that says what they hold.

The file is a tar archive:

- `manifest.json`: the format, when and from what it was made, the migrations applied,
  every table's row count and a checksum of its rows, the database's triggers (the audit
  log's among them), and the documents' count, size and checksum;
- `database.dump` (PostgreSQL: pg_dump's custom format) or `database.sqlite3` (SQLite: a
  copy made with SQLite's online backup API);
- `documents/…`: DOCUMENTS_ROOT's files, as they are stored.

PostgreSQL's manifest is read in the very snapshot pg_dump dumps (an exported snapshot
in a REPEATABLE READ transaction), SQLite's from the copy itself, so the counts and
checksums are those of the dump even while the service carries on writing. Documents are
copied after the database: every document the dump has, the backup has the file of (a
file uploaded meanwhile is in the backup with no row, as an orphan `manage.py
sweep_documents` lists).

A restore writes the database and the documents back, then reads them again and compares
them with the manifest (`verify`): a restore that does not match says so and fails.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "prebirth-tracker-backup/1"
MANIFEST = "manifest.json"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
DOCUMENTS = "documents"
# What DOCUMENTS_ROOT holds (documents/storage.py): <2 characters>/<uuid>[.pending].
_DOCUMENT_NAME = re.compile(
    r"[0-9a-f]{2}/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\.pending)?"
)
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """Bad input, named by its field: the commands exit 2."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


class RestoreMismatch(Exception):
    """The restored database or documents differ from the backup's manifest."""


@dataclass
class Restored:
    manifest: dict
    unapplied: list[str]  # migrations this version has and the backup had not applied


# Reading what a database and the documents hold.


def _tables(cursor) -> list[str]:
    return sorted(
        table.name for table in connection.introspection.get_table_list(cursor) if table.type == "t"
    )


def _rows_postgresql(cursor, table: str) -> Iterator[bytes]:
    quoted = connection.ops.quote_name(table)
    keys = connection.introspection.get_primary_key_columns(cursor, table) or []
    order = ", ".join(f"t.{connection.ops.quote_name(key)}" for key in keys) or "t::text"
    # A server-side cursor: the audit log can be millions of rows.
    with connection.connection.cursor(name=f"backup_{table}"[:60]) as rows:
        rows.itersize = 5000
        rows.execute(f"SELECT t::text FROM {quoted} AS t ORDER BY {order}")  # noqa: S608
        for (text,) in rows:
            yield text.encode()


def _digest(rows: Iterator[bytes]) -> dict:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(row)
        digest.update(b"\n")
        count += 1
    return {"rows": count, "sha256": digest.hexdigest()}


def _state_postgresql() -> dict:
    """Tables, triggers and migrations of the default (PostgreSQL) database, read in the
    current transaction."""
    with connection.cursor() as cursor:
        tables = {table: _digest(_rows_postgresql(cursor, table)) for table in _tables(cursor)}
        cursor.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE NOT t.tgisinternal AND n.nspname = current_schema() ORDER BY 1, 2"
        )
        triggers = [f"{table}.{name}" for table, name in cursor.fetchall()]
        migrations = _migrations(cursor) if "django_migrations" in tables else []
    return {"tables": tables, "triggers": triggers, "migrations": migrations}


def _state_sqlite(path: Path) -> dict:
    """The same, of a SQLite file, read with the sqlite3 module as it is (no type
    conversion), so a copy and its original read alike."""
    database = sqlite3.connect(path)
    try:
        names = [
            name
            for (name,) in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {}
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            rows = database.execute(f"SELECT * FROM {quoted} ORDER BY rowid")  # noqa: S608
            tables[name] = _digest(repr(row).encode() for row in rows)
        triggers = [
            f"{table}.{name}"
            for table, name in database.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1, 2"
            )
        ]
        migrations = _migrations(database) if "django_migrations" in tables else []
    finally:
        database.close()
    return {"tables": tables, "triggers": triggers, "migrations": migrations}


def _migrations(cursor) -> list[str]:
    """Applied migrations as "app.name"; `cursor` a DB-API cursor or sqlite3 connection."""
    rows = cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in rows.fetchall()]


def _document_files(root: Path) -> list[tuple[str, Path]]:
    """DOCUMENTS_ROOT's files as `<2>/<name>`, sorted; a temporary `.part` (an upload being
    written) is not a document's."""
    if not root.is_dir():
        return []
    found = []
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and _DOCUMENT_NAME.fullmatch(relative):
            found.append((relative, path))
    return sorted(found)


def documents_state(root: Path | None = None) -> dict:
    root = Path(root or settings.DOCUMENTS_ROOT)
    digest, count, size = hashlib.sha256(), 0, 0
    for relative, path in _document_files(root):
        digest.update(f"{relative} {_file_sha256(path)}\n".encode())
        count += 1
        size += path.stat().st_size
    return {"files": count, "bytes": size, "sha256": digest.hexdigest()}


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def database_state() -> dict:
    """What the default database holds now: tables (rows and checksums), triggers and
    applied migrations."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            return _state_postgresql()
    return _state_sqlite(_sqlite_path())


def verify(manifest: dict) -> list[str]:
    """How the database and DOCUMENTS_ROOT differ from a backup's manifest: nothing when
    they hold what it says, row for row and file for file, triggers included."""
    state = database_state()
    problems = []
    expected, found = manifest["tables"], state["tables"]
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            problems.append(f"table {table} is missing")
        elif table not in expected:
            problems.append(f"table {table} is not in the backup")
        elif found[table] != expected[table]:
            rows, wanted = found[table]["rows"], expected[table]["rows"]
            same = " (as many, with different contents)" if rows == wanted else ""
            problems.append(f"table {table}: {rows} rows, the backup has {wanted}{same}")
    for trigger in sorted(set(manifest["triggers"]) - set(state["triggers"])):
        problems.append(f"trigger {trigger} is missing")
    documents = documents_state()
    if documents != manifest["documents"]:
        problems.append(
            f"documents: {documents['files']} files, the backup has"
            f" {manifest['documents']['files']} (or their contents differ)"
        )
    return problems


# Connection details.


def _sqlite_path() -> Path:
    name = str(settings.DATABASES["default"]["NAME"])
    if name in ("", ":memory:") or name.startswith("file:"):
        raise BackupError("database", f"SQLite database {name!r} is not a file")
    return Path(name)


def _libpq_environment() -> dict[str, str]:
    """pg_dump and pg_restore reach the database Django uses, its password in the
    environment (never on a command line others can read)."""
    database = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, variable in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("HOST", "PGHOST"), ("PORT", "PGPORT")):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                             ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"),
                             ("passfile", "PGPASSFILE"), ("service", "PGSERVICE")):  # fmt: skip
        if database.get("OPTIONS", {}).get(option):
            env[variable] = str(database["OPTIONS"][option])
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise RuntimeError(
            f"{name} not found: install the PostgreSQL client tools (Debian: postgresql-client),"
            " of the server's major version or newer"
        )
    return found


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 – a fixed program, no shell
        command, env=_libpq_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


# Backup.


def backup(path: Path) -> dict:
    """Write the backup to `path` (a new file, 0600): the database, then the documents.
    Returns the manifest."""
    path = Path(path)
    if path.exists():
        raise BackupError("path", f"{path} already exists: give a new file name")
    if not path.parent.is_dir():
        raise BackupError("path", f"no folder {path.parent}")
    vendor = connection.vendor
    if vendor not in DUMP:
        raise BackupError("database", f"a {vendor} database cannot be backed up")
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as work:
        dump = Path(work) / DUMP[vendor]
        state = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        manifest = {
            "format": FORMAT,
            "made_at": timezone.now().isoformat(timespec="seconds"),
            "engine": vendor,
            "django": django.get_version(),
            **state,
        }
        partial = path.with_name(f".{path.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as handle,
                tarfile.open(fileobj=handle, mode="w|") as tar,
            ):
                tar.add(dump, arcname=DUMP[vendor])
                manifest["documents"] = _add_documents(tar)
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
                handle.flush()
            with partial.open("rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _dump_postgresql(dump: Path) -> dict:
    pg_dump = _program("pg_dump")
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"])
        return _state_postgresql()


def _dump_sqlite(dump: Path) -> dict:
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)  # all pages in one step: a consistent copy
    finally:
        copy.close()
        source.close()
    os.chmod(dump, 0o600)
    return _state_sqlite(dump)


def _add_documents(tar: tarfile.TarFile) -> dict:
    root = Path(settings.DOCUMENTS_ROOT)
    digest, count, size = hashlib.sha256(), 0, 0
    for relative, path in _document_files(root):
        content = path.read_bytes()
        digest.update(f"{relative} {hashlib.sha256(content).hexdigest()}\n".encode())
        _add_bytes(tar, f"{DOCUMENTS}/{relative}", content)
        count += 1
        size += len(content)
    return {"files": count, "bytes": size, "sha256": digest.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(content), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(content))


# Restore.


def read_manifest(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError("path", f"no file {path}")
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, ValueError, OSError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("path", f"{path} is not a Pre-birth Tracker backup")
    return manifest


def restore(path: Path, *, force: bool = False) -> Restored:
    """Put the backup at `path` into the default database and DOCUMENTS_ROOT, then check
    them against its manifest. Refuses a database with tables, or documents, unless
    `force` (then both are replaced: everything in them now is lost)."""
    path = Path(path)
    manifest = read_manifest(path)
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(
            "path", f"a {manifest['engine']} backup cannot be restored into a {vendor} database"
        )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    newer = sorted(set(manifest["migrations"]) - known)
    if newer:
        raise BackupError(
            "path",
            f"made by a newer version of the service: {len(newer)} migration(s) this version"
            f" does not have, such as {newer[0]}",
        )
    with connection.cursor() as cursor:
        tables = _tables(cursor)
    documents_root = Path(settings.DOCUMENTS_ROOT)
    files = _document_files(documents_root)
    if (tables or files) and not force:
        held = " and ".join(
            part
            for part in (f"{len(tables)} table(s)" if tables else "",
                         f"{len(files)} document file(s) in {documents_root}" if files else "")
            if part
        )  # fmt: skip
        raise BackupError(
            "database" if tables else "documents",
            f"already holds {held}: restore into an empty database, or give --force to"
            " replace them",
        )
    with tempfile.TemporaryDirectory(prefix="prebirth-restore-") as work, tarfile.open(path) as tar:
        dump = Path(work) / DUMP[vendor]
        member = tar.extractfile(DUMP[vendor])
        if member is None:
            raise BackupError("path", f"{path} has no {DUMP[vendor]}")
        with dump.open("wb") as handle:
            shutil.copyfileobj(member, handle, _CHUNK)
        if vendor == "postgresql":
            _restore_postgresql(dump, tables)
        else:
            _restore_sqlite(dump)
        _restore_documents(tar, documents_root, files)
    problems = verify(manifest)
    if problems:
        raise RestoreMismatch("The restore does not match the backup: " + "; ".join(problems))
    unapplied = sorted(known - set(manifest["migrations"]))
    return Restored(manifest=manifest, unapplied=unapplied)


def _restore_postgresql(dump: Path, tables: list[str]) -> None:
    pg_restore = _program("pg_restore")
    if tables:
        # --force: the tables go first (DROP TABLE fires no row trigger; the audit log's
        # go with it), then pg_restore --clean replaces the backup's other objects.
        with transaction.atomic(), connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connections.close_all()
    clean = ["--clean", "--if-exists"] if tables else []
    _run([pg_restore, "--exit-on-error", "--single-transaction", *clean,
          f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)])  # fmt: skip


def _restore_sqlite(dump: Path) -> None:
    connections.close_all()
    source = sqlite3.connect(dump)
    target = sqlite3.connect(_sqlite_path())
    try:
        source.backup(target)  # replaces the whole database, page for page
    finally:
        target.close()
        source.close()


def _restore_documents(tar: tarfile.TarFile, root: Path, existing: list[tuple[str, Path]]) -> None:
    for _relative, path in existing:  # only with --force
        path.unlink()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    prefix = DOCUMENTS + "/"
    for member in tar:
        if not member.name.startswith(prefix):
            continue
        relative = member.name[len(prefix) :]
        if not member.isfile() or not _DOCUMENT_NAME.fullmatch(relative):
            raise BackupError("path", f"{member.name!r} is not a document's file")
        target = root / relative
        target.parent.mkdir(mode=0o700, exist_ok=True)
        source = tar.extractfile(member)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            shutil.copyfileobj(source, handle, _CHUNK)
