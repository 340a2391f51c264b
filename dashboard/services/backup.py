"""Backups that travel: a portable archive of every table (either backend), and SQLite file copies.

* ``.zip`` — every table as JSON lines plus a manifest; made on SQLite or PostgreSQL, restored into
  an empty database of either (the way from SQLite to PostgreSQL, and back).
* any other name — a consistent copy of the SQLite file (SQLite's online backup API), restored
  safely: the app must be stopped, leftover ``-wal``/``-shm`` files are moved aside, and the
  integrity check passes before the copy is put in place.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine

from dashboard.errors import InputError
from dashboard.storage import portable
from dashboard.storage.db import upgrade_to_head, write_transaction

ARCHIVE_FORMAT = "kpi-backup/1"
MANIFEST = "manifest.json"
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class ArchiveReport:
    """What an archive holds (or what a restore loaded)."""

    path: Path
    revision: str | None
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _new_file(destination: Path | str) -> Path:
    destination = Path(destination)
    if destination.exists():
        raise InputError(f"备份文件“{destination}”已存在，为避免覆盖，请换一个文件名")
    destination.parent.mkdir(parents=True, exist_ok=True)
    return destination


def backup(engine: Engine, destination: Path | str) -> Path:
    """``.zip``: the portable archive; anything else: the SQLite file copy."""
    if Path(destination).suffix.lower() == ".zip":
        return backup_archive(engine, destination).path
    return backup_sqlite(engine, destination)


def backup_archive(engine: Engine, destination: Path | str) -> ArchiveReport:
    """Write every table, read in one consistent snapshot, into a zip archive (safe while the app runs)."""
    destination = _new_file(destination)
    partial = destination.with_name(destination.name + ".partial")
    rows: dict[str, int] = {}
    connection = portable.snapshot(engine)
    try:
        revision = portable.schema_revision(connection)
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in portable.tables():
                lines = list(portable.dump_rows(connection, table))
                rows[table.name] = len(lines)
                archive.writestr(f"tables/{table.name}.jsonl", "".join(line + "\n" for line in lines))
            archive.writestr(MANIFEST, json.dumps({
                "format": ARCHIVE_FORMAT, "revision": revision, "source": engine.dialect.name,
                "created_at": datetime.now(timezone.utc).isoformat(), "rows": rows,
            }, ensure_ascii=False, indent=2))
    finally:
        connection.close()
    partial.replace(destination)  # a half-written archive never carries the final name
    return ArchiveReport(destination, revision, rows)


def _read_manifest(archive: zipfile.ZipFile, name: str) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise InputError(f"“{name}”不是本系统的备份文件（缺少 {MANIFEST}）") from error
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise InputError(f"“{name}”的备份格式“{manifest.get('format')}”无法识别")
    return manifest


def restore_archive(engine: Engine, source: Path | str) -> ArchiveReport:
    """Load an archive into an empty database (created and migrated if needed), in one transaction.

    Refuses a database that holds any row, and an archive made at another schema revision.
    """
    source = Path(source)
    if not zipfile.is_zipfile(source):
        raise InputError(f"“{source.name}”不是有效的 .zip 备份文件")
    upgrade_to_head(engine)
    with zipfile.ZipFile(source) as archive, write_transaction(engine) as session:
        manifest = _read_manifest(archive, source.name)
        connection = session.connection()
        revision = portable.schema_revision(connection)
        if manifest.get("revision") != revision:
            raise InputError(f"备份的数据库结构版本（{manifest.get('revision')}）与本程序（{revision}）不同，"
                             "请用与备份时相同版本的程序恢复")
        portable.clear_seeded_regions(connection)
        filled = {name: n for name, n in portable.row_counts(connection).items() if n}
        if filled:
            listed = "、".join(f"{name} {n} 行" for name, n in filled.items())
            raise InputError(f"目标数据库不是空的（{listed}）。恢复只能写入空数据库，以免混合两份数据；"
                             "请新建一个空数据库后再恢复")
        rows = {}
        for table in portable.tables():
            with archive.open(f"tables/{table.name}.jsonl") as member:
                lines = (line for line in io.TextIOWrapper(member, encoding="utf-8") if line.strip())
                rows[table.name] = portable.load_rows(connection, table, lines)
        if rows != manifest.get("rows"):
            raise InputError(f"“{source.name}”的内容与其清单不符，可能已损坏；未恢复任何数据")
        portable.reset_sequences(connection)
    return ArchiveReport(source, revision, rows)


def backup_sqlite(engine: Engine, destination: Path | str) -> Path:
    """Copy the SQLite database with SQLite's online backup API (safe while the app is running).

    The backup API copies a consistent snapshot page by page even while other connections write,
    unlike copying the file, which can catch a half-written transaction or miss the WAL file.
    """
    if engine.dialect.name != "sqlite":
        raise InputError("PostgreSQL 数据库请备份为 .zip 文件（kpi backup 备份.zip），或使用 pg_dump")
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise InputError("内存数据库无法备份")
    destination = _new_file(destination)
    source, target = sqlite3.connect(source_path), sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return destination


def _integrity(path: Path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        has_schema = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = ?", (portable.VERSION_TABLE,)).fetchone()[0]
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()
    return result if result != "ok" or has_schema else "不是本系统的数据库（没有结构版本表）"


def _refuse_if_in_use(target: Path) -> None:
    """Refuse while any process (the app, a command) has the database open."""
    if not target.exists():
        return
    probe = sqlite3.connect(target, timeout=1, isolation_level=None)
    try:
        probe.execute("PRAGMA locking_mode=EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        raise InputError(f"数据库“{target}”正被使用（应用或其他命令仍在运行）。请先停止应用再恢复") from error
    finally:
        probe.close()


def restore_sqlite(engine: Engine, source: Path | str) -> Path:
    """Put a SQLite file copy back in place of the configured SQLite database.

    The copy must pass the integrity check; the app must be stopped; the current file and any
    leftover ``-wal``/``-shm`` (which SQLite would otherwise replay into the restored copy) are
    moved aside with a ``.before-restore-<time>`` suffix, never deleted.
    """
    if engine.dialect.name != "sqlite":
        raise InputError("SQLite 文件备份只能恢复到 SQLite 数据库；要恢复到 PostgreSQL，请使用 .zip 备份")
    source = Path(source)
    target = Path(str(engine.url.database))
    engine.dispose()  # our own pooled connections must not count as "in use"
    if not source.is_file():
        raise InputError(f"找不到备份文件“{source}”")
    if (problem := _integrity(source)) != "ok":
        raise InputError(f"备份文件“{source.name}”未通过完整性检查（{problem}），未做任何改动")
    _refuse_if_in_use(target)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    if (problem := _integrity(staged)) != "ok":
        staged.unlink()
        raise InputError(f"复制后的备份未通过完整性检查（{problem}），未做任何改动")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for suffix in ("", *_SIDE_FILES):
        old = target.with_name(target.name + suffix)
        if old.exists():
            old.replace(old.with_name(f"{old.name}.before-restore-{stamp}"))
    staged.replace(target)
    if (problem := _integrity(target)) != "ok":  # what the app will open, checked once more
        raise InputError(f"恢复后的数据库未通过完整性检查（{problem}）；原数据库已保留为 .before-restore-{stamp}")
    return target
