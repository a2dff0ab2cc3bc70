"""Backups (docs/backups.md): scripts/backup of a populated portal, then scripts/restore into a
fresh database and media directory, gives back every record of every model and every uploaded file.

The round trip runs on real files and servers, in subprocesses, on the engine of the suite's run:
SQLite files in a temporary directory, or two scratch databases on the PostgreSQL server of
DATABASE_URL (created here and dropped afterwards), backed up with pg_dump and restored with
pg_restore. The scripts run as cron would run them: the portal's production settings, no secret key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection

from assessments.models import Organisation
from reports.memos.models import MemoEvent

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
ENGINE = (
    connection.vendor
)  # from DATABASE_URL, as the suite's run sets it: "sqlite" or "postgresql"

# migrate and load the demo data, then give the empty kinds of media and link tables a record each
POPULATE = """
import io

import django

django.setup()
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management import call_command
from PIL import Image

from assessments.models import Organisation
from itaportal.accounts.models import User
from measures.models import Measure, Progress

call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
image = io.BytesIO()
Image.new("RGB", (64, 64), (160, 20, 20)).save(image, "PNG")
Organisation.objects.order_by("pk").first().emblem.save("ครุฑ.png", ContentFile(image.getvalue()))
progress = Progress.objects.order_by("pk").first()
progress.evidence_file.save("ภาพกิจกรรม 1.pdf", ContentFile(b"%PDF-1.4\\n% evidence\\n"))
user = User.objects.order_by("pk").first()
group = Group.objects.create(name="ผู้ตรวจสอบภายใน")
group.permissions.set(Permission.objects.order_by("pk")[:3])
user.groups.add(group)
user.user_permissions.add(Permission.objects.order_by("pk").last())
Measure.objects.order_by("pk").first().owners.add(user)
"""

# every row of every model (exact values, not a serializer's rounding), the tables, their
# constraints, the sequences and the migration records, as JSON in the file argv[1]
SNAPSHOT = """
import json
import sys

import django

django.setup()
from django.apps import apps
from django.db import connection

from assessments.models import Organisation
from reports.memos.models import MemoEvent
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField

models = {}
files = []
for model in apps.get_models(include_auto_created=True):
    if model._meta.proxy:
        continue
    fields = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.order_by("pk").values_list(*fields)
    models[model._meta.label] = {"fields": fields, "rows": [repr(row) for row in rows]}
    for field in model._meta.concrete_fields:
        if isinstance(field, FileField):
            files += [v for v in model._base_manager.values_list(field.attname, flat=True) if v]
with connection.cursor() as cursor:
    tables = sorted(connection.introspection.table_names(cursor))
    constraints = {
        table: {
            name: {key: info[key] for key in ("columns", "primary_key", "unique", "foreign_key",
                                              "check", "index")}
            for name, info in connection.introspection.get_constraints(cursor, table).items()
        }
        for table in tables
    }
    if connection.vendor == "postgresql":
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
    else:
        cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
    sequences = cursor.fetchall()
migrations = MigrationRecorder.Migration.objects.order_by("app", "name")
snapshot = {
    "models": models,
    "files": sorted(files),
    "tables": tables,
    "constraints": constraints,
    "sequences": sequences,
    "migrations": list(migrations.values_list("app", "name", "applied")),
}
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(snapshot, out, default=str, ensure_ascii=False)
"""

# what load_demo and POPULATE must have filled, or the comparison would prove little
EXPECTED_FILLED = (
    "accounts.User",
    "accounts.User_groups",
    "auth.Group_permissions",
    "assessments.Organisation",
    "assessments.IndicatorScore",
    "measures.Measure",
    "measures.Measure_owners",
    "measures.Progress",
    "reports.Committee",
    "reports.Memo",
    "reports.MemoStep",
    "reports.FrozenAttachment",
)


def django_env(db_url: str, media: Path) -> dict[str, str]:
    """Populating and reading: the test settings (fast password hashing)."""
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "itaportal.test_settings",
    }


def script_env(db_url: str, media: Path) -> dict[str, str]:
    """The scripts: the portal's own settings, without DJANGO_SECRET_KEY or DJANGO_DEBUG."""
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_MEDIA_ROOT": str(media)}
    for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_DEBUG"):
        env.pop(name, None)
    return env


def run(
    args: list[str], env: dict[str, str], *, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if ok:
        assert result.returncode == 0, (
            f"{' '.join(args)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def script(
    name: str, *args: str, db: str, media: Path, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    return run([str(SCRIPTS / name), *args], script_env(db, media), ok=ok)


def snapshots(*targets: tuple[str, Path, Path]) -> list[dict[str, Any]]:
    """Snapshot several (database, media, out) at once: one Django start-up each, in parallel."""
    procs = [
        (
            subprocess.Popen(
                [sys.executable, "-c", SNAPSHOT, str(out)],
                cwd=ROOT,
                env=django_env(db, media),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
            out,
        )
        for db, media, out in targets
    ]
    results = []
    for proc, out in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"snapshot failed\n{stdout}\n{stderr}"
        results.append(json.loads(out.read_text(encoding="utf-8")))
    return results


def media_files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def assert_same_records(source: dict[str, Any], restored: dict[str, Any]) -> None:
    assert restored["tables"] == source["tables"]
    assert restored["models"].keys() == source["models"].keys()
    for label, data in source["models"].items():
        other = restored["models"][label]
        assert other["fields"] == data["fields"], label
        assert len(other["rows"]) == len(data["rows"]), f"{label}: row counts differ"
        for before, after in zip(data["rows"], other["rows"], strict=True):
            assert after == before, f"{label}: a restored row differs"
    assert restored["constraints"] == source["constraints"]
    assert restored["sequences"] == source["sequences"]
    assert restored["migrations"] == source["migrations"]


def pg_server() -> dict[str, Any]:
    """Connection parameters of this run's PostgreSQL server, without a database name."""
    params = connection.settings_dict
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    return {name: params[key] for key, name in keys.items() if params.get(key)}


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """DATABASE_URLs of a source and a fresh target on this run's engine; removed afterwards."""
    if ENGINE == "sqlite":
        yield f"sqlite:///{tmp_path / 'src.sqlite3'}", f"sqlite:///{tmp_path / 'dst.sqlite3'}"
        return
    assert ENGINE == "postgresql", ENGINE
    import psycopg
    from psycopg import sql

    suffix = uuid.uuid4().hex[:10]
    src, dst = f"itaportal_backup_src_{suffix}", f"itaportal_backup_dst_{suffix}"
    server_url = urlsplit(os.environ["DATABASE_URL"])
    with psycopg.connect(dbname="postgres", autocommit=True, **pg_server()) as admin:
        for name in (src, dst):
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield (
            server_url._replace(path=f"/{src}").geturl(),
            server_url._replace(path=f"/{dst}").geturl(),
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **pg_server()) as admin:
            for name in (src, dst):
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def damage(db_url: str) -> None:
    """Lose the memos' audit trail and rename the organisations, behind Django's back."""
    events, organisations = MemoEvent._meta.db_table, Organisation._meta.db_table
    if ENGINE == "sqlite":
        import sqlite3

        db = sqlite3.connect(urlsplit(db_url).path)
        with db:
            db.execute(f'DELETE FROM "{events}"')
            db.execute(f"UPDATE \"{organisations}\" SET name = name || ' (แก้ไข)'")
        db.close()
    else:
        import psycopg
        from psycopg import sql

        dbname = urlsplit(db_url).path.lstrip("/")
        with psycopg.connect(dbname=dbname, autocommit=True, **pg_server()) as pg:
            pg.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(events)))
            pg.execute(
                sql.SQL("UPDATE {} SET name = name || ' (แก้ไข)'").format(
                    sql.Identifier(organisations)
                )
            )


@pytest.mark.slow
@pytest.mark.each_database
def test_backup_and_restore_give_back_every_record_and_file(
    tmp_path: Path, databases: tuple[str, str]
) -> None:
    started = time.monotonic()
    src_db, dst_db = databases
    src_media, dst_media = tmp_path / "media-src", tmp_path / "media-dst"
    run([sys.executable, "-c", POPULATE], django_env(src_db, src_media))

    # Backup, into a directory holding two older backups and something else: --keep 2 leaves the
    # newest old backup beside the new one and never touches what is not a backup.
    backups = tmp_path / "backups"
    for stamp in ("20200101T000000Z", "20210101T000000Z"):
        (backups / f"itaportal-{stamp}").mkdir(parents=True)
        (backups / f"itaportal-{stamp}" / "SHA256SUMS").write_text("")
    (backups / "notes").mkdir()
    made = script("backup", "--keep", "2", str(backups), db=src_db, media=src_media)
    backup = Path(made.stdout.strip())
    assert backup.parent == backups and backup.name.startswith("itaportal-")
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        [backup.name, "itaportal-20210101T000000Z", "notes"]
    )
    database_file = "database.dump" if ENGINE == "postgresql" else "database.sqlite3"
    assert sorted(p.name for p in backup.iterdir()) == sorted(
        ["SHA256SUMS", "manifest.txt", "media.tar.gz", database_file]
    )
    manifest = (backup / "manifest.txt").read_text(encoding="utf-8")
    assert f"database_kind: {ENGINE}" in manifest
    assert "migrations_unapplied: 0" in manifest
    script("restore", "--check", str(backup), db=dst_db, media=dst_media)

    # Restore into the fresh database and media directory, and compare everything.
    restored = script("restore", str(backup), db=dst_db, media=dst_media)
    assert "matches this code's migrations" in restored.stderr
    source, target = snapshots(
        (src_db, src_media, tmp_path / "source.json"), (dst_db, dst_media, tmp_path / "target.json")
    )
    for label in EXPECTED_FILLED:
        assert source["models"][label]["rows"], f"{label} is empty: the round trip proves little"
    assert_same_records(source, target)
    source_media = media_files(src_media)
    assert {name.split("/")[0] for name in source_media} >= {"emblems", "evidence", "memos"}
    assert media_files(dst_media) == source_media
    assert set(target["files"]) <= set(source_media), "a restored row names a missing file"

    # A second restore over the now populated target is refused, and a damaged backup too.
    refused = script("restore", str(backup), db=dst_db, media=dst_media, ok=False)
    assert refused.returncode != 0 and "not empty" in refused.stderr
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    with (tampered / "media.tar.gz").open("r+b") as archive:
        archive.seek(100)
        byte = archive.read(1)
        archive.seek(100)
        archive.write(bytes([byte[0] ^ 0xFF]))
    refused = script("restore", "--force", str(tampered), db=dst_db, media=dst_media, ok=False)
    assert refused.returncode != 0 and "checksums do not match" in refused.stderr

    # --force puts a damaged portal back as it was at the backup.
    damage(dst_db)
    first_memo = sorted((dst_media / "memos").iterdir())[0]
    first_memo.write_bytes(b"not the approved document")
    script("restore", "--force", str(backup), db=dst_db, media=dst_media)
    (target,) = snapshots((dst_db, dst_media, tmp_path / "target-again.json"))
    assert_same_records(source, target)
    assert media_files(dst_media) == source_media

    records = sum(len(data["rows"]) for data in source["models"].values())
    print(
        f"backup round trip on {ENGINE}: {len(source['models'])} models, {records} records,"
        f" {len(source['tables'])} tables, {len(source_media)} media files,"
        f" {time.monotonic() - started:.1f} s"
    )
