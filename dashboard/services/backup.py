"""Consistent copies of the embedded database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from dashboard.errors import InputError


def backup_sqlite(engine: Engine, destination: Path | str) -> Path:
    """Copy the SQLite database with SQLite's online backup API (safe while the app is running).

    The backup API copies a consistent snapshot page by page even while other connections write,
    unlike copying the file, which can catch a half-written transaction or miss the WAL file.
    """
    if engine.dialect.name != "sqlite":
        raise InputError("kpi backup 只适用于内置的 SQLite 数据库；PostgreSQL 请使用 pg_dump 备份")
    destination = Path(destination)
    if destination.exists():
        raise InputError(f"备份文件“{destination}”已存在，为避免覆盖，请换一个文件名")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source_path = engine.url.database
    if not source_path or source_path == ":memory:":
        raise InputError("内存数据库无法备份")
    source, target = sqlite3.connect(source_path), sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return destination
