"""Load with a failure in the middle: Redis is stopped for 20 s while 50 users work the pages.

    python scripts/load_outage.py [--users 50] [--seconds 60] [--outage 20]     (make bench-load-outage)

A redis-server of the script's own on a free port (started and stopped by its PID, never the shared
one), a database of its own (sot_load_outage, seeded with the demo, dropped at the end), gunicorn as
`make bench-load` runs it (4 workers × 4 threads, production settings), and a Celery worker and beat
from the Procfile that run throughout. The users of scripts/load_test.py read pages without pause;
unit staff file and submit requests all along, so e-mail is written into the outbox before, during
and after the outage. Redis is stopped (SIGTERM) in the middle for --outage seconds and started again
empty, as after a restart. Then the script waits until the worker has delivered every e-mail written
during the run, and reports 5xx per phase and how many e-mails were written and delivered, and when.
Exit status 1 if any page answered 5xx or an e-mail of the run was not delivered.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

from load_test import ROLES
from stack import (
    Browser,
    Failure,
    Processes,
    base_env,
    create_database,
    database_url,
    drop_database,
    exit_on_sigterm,
    forms_in,
    free_port,
    manage,
    procfile,
    production_env,
    query,
    run,
    serves,
    wait_for,
)
from topology_check import intake_fields

DATABASE = os.environ.get("OUTAGE_DB", "sot_load_outage")
FILERS = ("vardpersonal.skane", "vardpersonal.ostergotland")
PHASES = ("before", "outage", "after")


class Recorder:
    """Every answer with its time, so that it can be put in its phase afterwards."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: list[tuple[float, int, float, str]] = []  # (started at, status, seconds, what)

    def add(self, started: float, status: int, elapsed: float, what: str) -> None:
        with self.lock:
            self.answers.append((started, status, elapsed, what))


def reader(browser: Browser, pages: list[str], until: float, recorder: Recorder) -> None:
    i = 0
    while time.time() < until:
        path = pages[i % len(pages)]
        i += 1
        started = time.time()
        try:
            status, _location, _text = browser.request("GET", path)
        except OSError:
            status = 599  # no answer at all counts as a server error
        recorder.add(started, status, time.time() - started, "page")


def filer(browser: Browser, until: float, recorder: Recorder, filed: list[str], first: int) -> None:
    """Unit staff file and submit one request after the other through the intake form."""
    serial = first
    while time.time() < until:
        started = time.time()
        try:
            status, _location, page = browser.request("GET", "/requests/new/")
            recorder.add(started, status, time.time() - started, "page")
            if status != 200:
                continue
            form = next(f for f in forms_in(page) if f.action == "")
            form.action = "/requests/new/"
            started = time.time()
            serial += 1
            fields = {**form.fields, **intake_fields(form, serial), "submit": "1"}
            status, location, _ = browser.request("POST", form.action, fields)
            recorder.add(started, status, time.time() - started, "submit")
            if status == 302 and location.startswith("/requests/"):
                filed.append(location)
        except OSError:
            recorder.add(started, 599, time.time() - started, "submit")


def first_referral(browser: Browser, list_path: str) -> str:
    found = re.search(r'href="(/requests/\d+/)"', browser.get(list_path))
    return found.group(1) if found else list_path


def outage_run(args: argparse.Namespace, tmp: Path, processes: Processes) -> tuple[str, bool]:
    redis_port, web_port = free_port(), free_port()
    redis_command = f"redis-server --port {redis_port} --bind 127.0.0.1 --save '' --appendonly no --dir {tmp}"
    redis = processes.start("redis", redis_command, base_env())
    wait_for("redis-server", lambda: "Ready to accept connections" in redis.text(), timeout=30)

    create_database(DATABASE)
    env = production_env(
        DATABASE_URL=database_url(DATABASE),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
        OUTBOX_POLL_SECONDS=str(args.poll),
    )
    run(procfile()["release"], env, "the release step", timeout=600)
    seed_env = base_env(DEBUG="1", DATABASE_URL=env["DATABASE_URL"], MEDIA_ROOT=env["MEDIA_ROOT"])
    manage("seed_demo", seed_env, "seed_demo", timeout=900)

    lines = procfile()
    processes.start(
        "web",
        f"gunicorn sot.wsgi --bind 127.0.0.1:{web_port} --workers 4 --threads 4 --worker-class gthread "
        "--log-level warning",
        env,
    )
    worker = processes.start("worker", f"{lines['worker']} -n outage@%h", env)
    processes.start("beat", f"{lines['beat']} --schedule {tmp / 'celerybeat-schedule'}", env)
    wait_for("web", lambda: serves(web_port), timeout=120)
    wait_for("worker ready", lambda: " ready." in worker.text(), timeout=120)

    recorder = Recorder()
    filed: list[str] = []
    names = list(ROLES)
    browsers: list[tuple[Browser, list[str]]] = []
    for index in range(args.users):
        username = names[index % len(names)]
        browser = Browser(web_port)
        browser.login(username)
        pages = ROLES[username]
        if any("{referral}" in p for p in pages):
            referral = first_referral(browser, "/queue/" if username.startswith("sot") else "/requests/")
            pages = [p.replace("{referral}", referral) for p in pages]
        browsers.append((browser, pages))
    filers = []
    for username in FILERS:
        browser = Browser(web_port)
        browser.login(username)
        filers.append(browser)

    begin = time.time()
    until = begin + args.seconds
    threads = [threading.Thread(target=reader, args=(b, pages, until, recorder), daemon=True) for b, pages in browsers]
    threads += [
        threading.Thread(target=filer, args=(b, until, recorder, filed, 100 * n), daemon=True)
        for n, b in enumerate(filers)
    ]
    for thread in threads:
        thread.start()
    time.sleep((args.seconds - args.outage) / 2)
    down = back = time.time()
    if args.outage > 0:  # --outage 0: the same run with Redis up all along, for comparison
        redis.stop()  # SIGTERM to its process group: redis-server shuts down
        print(f"redis-server (pid {redis.pid}) stopped at +{down - begin:.1f} s", flush=True)
        time.sleep(args.outage)
        again = processes.start("redis-again", redis_command, base_env())
        wait_for("redis-server again", lambda: "Ready to accept connections" in again.text(), timeout=30)
        back = time.time()
        print(f"redis-server started again (pid {again.pid}) at +{back - begin:.1f} s, empty", flush=True)
    for thread in threads:
        thread.join(timeout=args.seconds + 90)
    end = time.time()

    def phase(at: float) -> str:
        return "before" if at < down else "outage" if at < back else "after"

    per_phase: dict[str, Counter[int]] = defaultdict(Counter)
    times: dict[str, list[float]] = defaultdict(list)
    for started, status, elapsed, _what in recorder.answers:
        per_phase[phase(started)][status] += 1
        times[phase(started)].append(elapsed)
    submits = Counter(phase(started) for started, status, _e, what in recorder.answers if what == "submit")

    window = (datetime.fromtimestamp(begin, UTC), datetime.fromtimestamp(end, UTC))
    outage_window = (datetime.fromtimestamp(down, UTC), datetime.fromtimestamp(back, UTC))

    def outbox_state() -> tuple[int, int, int]:
        written, delivered, in_outage = query(
            DATABASE,
            "select count(*), count(sent_at), count(*) filter (where created_at >= %s and created_at < %s) "
            "from outbox_outboxmessage where created_at >= %s and created_at <= %s",
            (*outage_window, *window),
        )[0]
        return int(written), int(delivered), int(in_outage)

    try:
        wait_for("every e-mail of the run delivered", lambda: outbox_state()[0] == outbox_state()[1], args.drain)
        drained = True
    except Failure:
        drained = False
    written, delivered, in_outage = outbox_state()
    last_sent, outage_delivered, attempts = query(
        DATABASE,
        "select max(sent_at), count(sent_at) filter (where created_at >= %s and created_at < %s), max(attempts) "
        "from outbox_outboxmessage where created_at >= %s and created_at <= %s",
        (*outage_window, *window),
    )[0]
    after_back = (last_sent.timestamp() - back) if last_sent else float("nan")

    server_errors = {p: sum(n for s, n in per_phase[p].items() if s >= 500) for p in PHASES}
    lines_out = [
        f"load with Redis stopped {back - down:.0f} s in the middle: {args.users} readers + {len(FILERS)} filers, "
        f"{end - begin:.0f} s, gunicorn 4×4 threads, worker and beat from the Procfile throughout"
    ]
    for p in PHASES:
        answered = sum(per_phase[p].values())
        median = statistics.median(times[p]) * 1000 if times[p] else 0
        lines_out.append(
            f"  {p:<7} {answered:>6} answers, 5xx {server_errors[p]}, median {median:.0f} ms, "
            f"requests submitted {submits[p]}, statuses {dict(sorted(per_phase[p].items()))}"
        )
    lines_out.append(
        f"e-mail: {written} written during the run ({in_outage} during the outage), {delivered} delivered "
        f"({outage_delivered} of the outage's), each tried at most {attempts}×; the last one went out "
        f"{after_back:.0f} s after Redis was back (OUTBOX_POLL_SECONDS={args.poll})"
    )
    ok = drained and not any(server_errors.values()) and written == delivered and (in_outage > 0 or not args.outage)
    return "\n".join(lines_out), ok


def main() -> int:
    exit_on_sigterm()
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--outage", type=float, default=20, help="seconds without Redis (0: a comparison run)")
    parser.add_argument("--poll", type=int, default=15, help="OUTBOX_POLL_SECONDS (production default 15)")
    parser.add_argument("--drain", type=float, default=300, help="how long to wait for delivery afterwards")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sot-load-outage-"))
    processes = Processes(tmp)
    status = 0
    try:
        summary, ok = outage_run(args, tmp, processes)
        print(summary, flush=True)
        if not ok:
            print("FAILED: a 5xx, or an e-mail of the run not delivered", file=sys.stderr)
            status = 1
    except (Failure, OSError) as exc:
        print(f"load with outage FAILED: {exc}", file=sys.stderr)
        print(processes.tails(), file=sys.stderr)
        status = 1
    finally:
        processes.stop_all()
        drop_database(DATABASE)
        if os.environ.get("KEEP_LOGS") == "1":
            print(f"logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
