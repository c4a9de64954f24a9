"""Backup and restore drill: a seeded database is dumped, restored into a new one, checked and served.

    python scripts/backup_drill.py        (make backup-drill; CI runs it too)

1. A source database (sot_drill_source) gets the Procfile's release step and the demo (seed_demo).
2. `pg_dump -Fc` writes the backup; `createdb` and `pg_restore --exit-on-error` restore it into
   sot_drill_restored.
3. On the restored database: `manage.py check_consistency`, and `manage.py verify_audit_chain` when the
   installed code has that command (otherwise it says it skipped it).
4. Every table's row count and every sequence's position are the same in both databases.
5. A web process (the Procfile's web line) on each database: unit staff and the SOT representative log
   in and see the same requests, page by page, on the restored one as on the source.

Prints what it did and one summary line; exit status 1 on any difference or failure. Both databases
and every process are removed at the end. Environment: DRILL_REFERRALS (demo requests, 60),
STACK_PG_URL (postgres://postgres@127.0.0.1:5432), KEEP_LOGS=1 to keep the logs and the dump.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from stack import (
    BIN,
    ROOT,
    Browser,
    Failure,
    Processes,
    base_env,
    create_database,
    database_url,
    drop_database,
    exit_on_sigterm,
    free_port,
    manage,
    pg_args,
    procfile,
    production_env,
    query,
    run,
    serves,
    wait_for,
)

SOURCE = "sot_drill_source"
RESTORED = "sot_drill_restored"
REFERRALS = os.environ.get("DRILL_REFERRALS", "60")
KEY_TABLES = (
    "referrals_referral",
    "referrals_referralevent",
    "referrals_patient",
    "audit_accesslogentry",
    "capacity_capacityoffer",
    "reports_monthlyreport",
    "accounts_user",
)


def table_counts(database: str) -> dict[str, int]:
    tables = [row[0] for row in query(database, "select tablename from pg_tables where schemaname = 'public'")]
    return {t: int(query(database, f'select count(*) from "{t}"')[0][0]) for t in sorted(tables)}  # noqa: S608


def sequence_positions(database: str) -> dict[str, int | None]:
    rows = query(database, "select sequencename, last_value from pg_sequences where schemaname = 'public'")
    return dict(rows)


def visible_references(browser: Browser, first: str) -> list[str]:
    """Every reference on a list page and the pages after it."""
    references: list[str] = []
    path: str | None = first
    while path is not None:
        page = browser.get(path)
        references += re.findall(r">(SOT-\d{4}-\d{6})<", page)
        following = re.search(r'href="(\?[^"]*page=\d+)">(?:Nästa|Next)</a>', page)
        path = first.split("?")[0] + following.group(1).replace("&amp;", "&") if following else None
        if len(references) > 5000:
            raise Failure(f"{first}: more pages than expected")
    return references


def what_they_see(port: int) -> dict[str, list[str]]:
    unit_staff, representative = Browser(port), Browser(port)
    unit_staff.login("vardpersonal.skane")
    representative.login("sot.skane")
    return {
        "unit staff /requests/": visible_references(unit_staff, "/requests/"),
        "SOT representative /queue/": visible_references(representative, "/queue/"),
    }


def drill(tmp: Path, processes: Processes) -> str:
    started = time.monotonic()
    create_database(SOURCE)
    source_env = production_env(DATABASE_URL=database_url(SOURCE), MEDIA_ROOT=str(tmp / "media"))
    run(procfile()["release"], source_env, "the release step on the source", timeout=600)
    seed_env = base_env(DEBUG="1", DATABASE_URL=source_env["DATABASE_URL"], MEDIA_ROOT=source_env["MEDIA_ROOT"])
    manage(f"seed_demo --referrals {REFERRALS}", seed_env, "seed_demo", timeout=600)

    dump = tmp / "sot.dump"
    dumped = time.monotonic()
    run(["pg_dump", *pg_args(), "-Fc", "-f", str(dump), SOURCE], base_env(), "pg_dump")
    create_database(RESTORED)
    run(
        ["pg_restore", *pg_args(), "--exit-on-error", "--no-owner", "-d", RESTORED, str(dump)], base_env(), "pg_restore"
    )
    restore_seconds = time.monotonic() - dumped
    print(f"dumped {SOURCE} ({dump.stat().st_size / 1e6:.1f} MB, -Fc) and restored it into {RESTORED}", flush=True)

    restored_env = production_env(DATABASE_URL=database_url(RESTORED), MEDIA_ROOT=str(tmp / "media"))
    consistency = manage("check_consistency", restored_env, "check_consistency on the restored database").strip()
    print(f"check_consistency: {consistency.splitlines()[-1]}", flush=True)
    has_chain = subprocess.run(  # noqa: S603  (our own manage.py)
        [str(BIN / "python"), "manage.py", "help", "verify_audit_chain"],
        cwd=ROOT,
        env=restored_env,
        capture_output=True,
        check=False,
    )
    if has_chain.returncode == 0:
        chain = manage("verify_audit_chain", restored_env, "verify_audit_chain on the restored database").strip()
        chain_result = chain.splitlines()[-1] if chain else "passed"
        print(f"verify_audit_chain: {chain_result}", flush=True)
    else:
        chain_result = "skipped (no such command in this version)"
        print(f"verify_audit_chain: {chain_result}", flush=True)

    counts, restored_counts = table_counts(SOURCE), table_counts(RESTORED)
    if counts != restored_counts:
        differ = {t: (counts.get(t), restored_counts.get(t)) for t in counts.keys() | restored_counts.keys()}
        raise Failure(f"row counts differ: { {t: v for t, v in differ.items() if v[0] != v[1]} }")
    if sequence_positions(SOURCE) != sequence_positions(RESTORED):
        raise Failure("sequence positions differ between the source and the restored database")
    print("rows: " + ", ".join(f"{t} {counts[t]}" for t in KEY_TABLES if t in counts), flush=True)

    web = procfile()["web"]
    ports = {SOURCE: free_port(), RESTORED: free_port()}
    processes.start("web-source", web, {**source_env, "PORT": str(ports[SOURCE])})
    processes.start("web-restored", web, {**restored_env, "PORT": str(ports[RESTORED])})
    for port in ports.values():
        wait_for(f"web on port {port}", partial(serves, port), timeout=90)
    seen = {database: what_they_see(port) for database, port in ports.items()}
    for view, references in seen[RESTORED].items():
        if not references:
            raise Failure(f"{view} on the restored database shows no request")
        if references != seen[SOURCE][view]:
            raise Failure(
                f"{view}: the restored database shows {len(references)}, the source {len(seen[SOURCE][view])}"
            )
    shown = ", ".join(f"{view} {len(refs)} requests" for view, refs in seen[RESTORED].items())
    print(f"served from the restore, the same as from the source: {shown}", flush=True)
    return (
        f"backup drill ok: {len(counts)} tables, {sum(counts.values())} rows, all equal after pg_dump -Fc → "
        f"pg_restore ({restore_seconds:.1f} s); check_consistency passed; verify_audit_chain {chain_result}; "
        f"the restored app serves the same pages ({shown}); total {time.monotonic() - started:.0f} s"
    )


def main() -> int:
    exit_on_sigterm()
    tmp = Path(tempfile.mkdtemp(prefix="sot-backup-drill-"))
    processes = Processes(tmp)
    status = 0
    try:
        print(drill(tmp, processes), flush=True)
    except (Failure, OSError) as exc:
        print(f"backup drill FAILED: {exc}", file=sys.stderr)
        print(processes.tails(), file=sys.stderr)
        status = 1
    finally:
        processes.stop_all()
        drop_database(SOURCE)
        drop_database(RESTORED)
        if os.environ.get("KEEP_LOGS") == "1":
            print(f"logs and dump kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
