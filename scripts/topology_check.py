"""The production topology on loopback, from the Procfile: two web processes, two workers, one beat.

    python scripts/topology_check.py        (make topology; CI runs it after the test suite)

A database of its own on the local PostgreSQL (sot_topology, dropped at the end) and a Redis database
number of its own on the local Redis (/13, flushed at start and end; the server is shared and never
stopped). The Procfile's release step runs, the demo is seeded, then through the pages: unit staff file
and submit a request on web A, the SOT representative takes it on web B, A shows it in review; a health
director orders a monthly report ("Ta fram nu") and the same build is sent once more straight to the
broker, and it is built by one worker exactly once; the submission's e-mail reaches each SOT
representative exactly once. The Procfile's lines run unchanged, except that each worker gets a node name
of its own (-n) and beat a schedule file in the temporary directory (--schedule). One summary line;
exit status 1 on any failure. Every process started is stopped by its process group, however the
script ends.

Environment: TOPOLOGY_DB (sot_topology), TOPOLOGY_REDIS_URL (redis://127.0.0.1:6379/13),
STACK_PG_URL (postgres://postgres@127.0.0.1:5432), KEEP_LOGS=1 to keep the logs' directory.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import redis
from stack import (
    Browser,
    Failure,
    Form,
    Process,
    Processes,
    base_env,
    create_database,
    database_url,
    drop_database,
    exit_on_sigterm,
    free_port,
    manage,
    procfile,
    production_env,
    query,
    run,
    serves,
    testid,
    wait_for,
)

DATABASE = os.environ.get("TOPOLOGY_DB", "sot_topology")
REDIS_URL = os.environ.get("TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379/13")
DEMO_REFERRALS = "20"  # enough history for the pages; the full demo (200) costs a minute more
EMAIL_SEPARATOR = "\n" + "-" * 79 + "\n"


def start_topology(processes: Processes, env: dict[str, str], tmp: Path) -> tuple[int, int]:
    """Two web processes on two free ports, two workers, one beat, each from its Procfile line."""
    lines = procfile()
    ports = (free_port(), free_port())
    for label, port in zip("ab", ports, strict=True):
        processes.start(f"web-{label}", lines["web"], {**env, "PORT": str(port)})
    for number in (1, 2):  # two workers on one host need names of their own
        processes.start(f"worker-{number}", f"{lines['worker']} -n topology-{number}@%h", env)
    processes.start("beat", f"{lines['beat']} --schedule {tmp / 'celerybeat-schedule'}", env)
    return ports


def said_or_exited(process: Process, line: str) -> bool:
    return line in process.text() or not process.alive()


def wait_until_ready(processes: Processes, ports: tuple[int, int]) -> None:
    for port in ports:
        wait_for(f"web on port {port}", partial(serves, port), timeout=90)
    workers = [p for p in processes.started if p.name.startswith("worker")]
    for worker in workers:
        wait_for(f"{worker.name} ready", partial(said_or_exited, worker, " ready."), timeout=90)
        if not worker.alive():
            raise Failure(f"{worker.name} exited")
    beat = processes.started[-1]
    wait_for("beat started", partial(said_or_exited, beat, "beat: Starting"), timeout=60)
    if not beat.alive():
        raise Failure("beat exited")


def personal_number(serial: int) -> str:
    """A valid personnummer (Luhn check digit) for a made-up patient born 1950-01-01."""
    digits = f"500101{serial % 1000:03d}"
    total = sum(sum(divmod(int(d) * (2 - i % 2), 10)) for i, d in enumerate(digits))
    return f"19{digits[:6]}-{digits[6:]}{(10 - total % 10) % 10}"


def intake_fields(form: Form, serial: int = 1) -> dict[str, str]:
    """What unit staff type into the intake form before "Skicka till SOT" (button name "submit")."""
    high = [value for value, label in form.options.get("priority", []) if label == "Hög"]
    if not high:
        raise Failure(f"no priority 'Hög' among {form.options.get('priority')}")
    return {
        "personal_number": personal_number(serial),
        "patient_name": "Tolvan Tolvansson",
        "icd10_code": "M17.1",
        "priority": high[0],
        "asa_class": "3",
        "complicating_diseases": "Hjärtsvikt NYHA III.",
        "decision_date": (date.today() - timedelta(days=12)).isoformat(),
        "consent_referral": "on",
        "consent_disclosure": "on",
    }


def file_request(web_a: Browser) -> tuple[int, str]:
    """Unit staff fill in the intake form and press "Skicka till SOT"; the new request's id and reference."""
    web_a.login("vardpersonal.skane")
    form = web_a.form("/requests/new/", action="")
    location = web_a.submit(form, intake_fields(form), button="submit")
    found = re.fullmatch(r"/requests/(\d+)/", location)
    if not found:
        raise Failure(f"submitting the request led to {location}")
    page = web_a.get(location)
    if 'data-testid="status"' not in page or "status-submitted" not in page:
        raise Failure("the new request is not shown as submitted on web A")
    return int(found.group(1)), testid(page, "reference")


def take_request(web_b: Browser, pk: int) -> None:
    """The SOT representative presses "Ta upp för handläggning" on the other web process."""
    web_b.login("sot.skane")
    detail = web_b.get(f"/requests/{pk}/")
    if "Ta upp för handläggning" not in detail:
        raise Failure("web B does not offer 'Ta upp för handläggning' on the new request")
    form = web_b.form(f"/requests/{pk}/take/", action="")
    location = web_b.submit(form)
    if location != f"/requests/{pk}/":
        raise Failure(f"taking the request led to {location}")


def order_report(director: Browser, env: dict[str, str]) -> tuple[int, str, str, float]:
    """ "Ta fram nu" for two months ago, and the same build once more straight to the broker (a message
    sent twice, as after a lost acknowledgement). The report's id, month, scope and when it was ordered."""
    director.login("direktor.skane")
    form = director.form("/reports/", action="/reports/build/")
    months = [value for value, _label in form.options["month"]]
    month = months[2]  # two months ago: last month's report was built by the demo already
    scope = form.fields["scope"]
    ordered = time.monotonic()
    if director.submit(form, {"month": month}) != "/reports/":
        raise Failure("ordering the report did not lead back to the report list")
    manage(
        "shell -c "
        f"\"from reports.tasks import build_monthly_report; build_monthly_report.delay('{month}', '{scope}')\"",
        env,
        "sending the build a second time",
    )
    rows = query(DATABASE, "select id from reports_monthlyreport where month = %s and scope_key = %s", (month, scope))
    if len(rows) != 1:
        raise Failure(f"{len(rows)} report rows for {month} {scope}")
    return int(rows[0][0]), month, scope, ordered


def report_ready(director: Browser, month: str, scope: str) -> bool:
    page = director.get("/reports/")
    row = re.search(rf'data-report="{month[:7]}-{re.escape(scope)}".*?data-testid="report-status">', page, re.S)
    if row is None:
        return False
    return 'report-ready"' in page[row.start() : row.end()] or "report-ready " in page[row.start() : row.end()]


def count_builds(workers: list[Process], report_id: int) -> tuple[int, int]:
    """(task messages received by the workers, builds that were refused because the report was taken)."""
    received = skipped = 0
    for worker in workers:
        text = worker.text()
        received += len(re.findall(r"Task reports\.build_monthly_report\[[0-9a-f-]+\] received", text))
        skipped += len(re.findall(rf"report {report_id} is being built by another worker", text))
    return received, skipped


def delivered_emails(mail_dir: Path, reference: str) -> dict[str, int]:
    """Recipient → how many e-mails about the reference the file backend wrote."""
    counts: dict[str, int] = {}
    for path in mail_dir.glob("*.log"):
        for message in path.read_text(errors="replace").split(EMAIL_SEPARATOR):
            if not re.search(rf"^Subject: {re.escape(reference)}:", message, re.M):
                continue
            to = re.search(r"^To: (.+)$", message, re.M)
            if to:
                counts[to.group(1).strip()] = counts.get(to.group(1).strip(), 0) + 1
    return counts


def check(tmp: Path, processes: Processes) -> str:
    started = time.monotonic()
    mail_dir = tmp / "mail"
    mail_dir.mkdir()
    redis.Redis.from_url(REDIS_URL).flushdb()
    create_database(DATABASE)
    env = production_env(
        DATABASE_URL=database_url(DATABASE),
        REDIS_URL=REDIS_URL,
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        OUTBOX_POLL_SECONDS="2",
        SITE_URL="https://sot.example.org",
    )
    run(procfile()["release"], env, "the Procfile's release step", timeout=600)
    # The processes boot while the demo is seeded (it needs only the schema). The demo accounts exist
    # only with DEBUG on; seeded in-process (no REDIS_URL), the demo history sends no e-mail.
    port_a, port_b = start_topology(processes, env, tmp)
    seed_env = base_env(DEBUG="1", DATABASE_URL=env["DATABASE_URL"], MEDIA_ROOT=env["MEDIA_ROOT"])
    manage(f"seed_demo --referrals {DEMO_REFERRALS}", seed_env, "seed_demo", timeout=600)
    wait_until_ready(processes, (port_a, port_b))
    prepared = time.monotonic() - started
    web_a, web_b = Browser(port_a), Browser(port_b)

    pk, reference = file_request(web_a)
    take_request(web_b, pk)
    if "status-in_review" not in web_a.get(f"/requests/{pk}/"):
        raise Failure(f"web A does not show {reference} in review after web B took it")
    shared = Browser(port_a)  # the session made on B is good on A: sessions live in PostgreSQL
    shared.cookies = dict(web_b.cookies)
    if "status-in_review" not in shared.get(f"/requests/{pk}/"):
        raise Failure("the SOT representative's session from web B is not recognised on web A")

    director = Browser(port_b)
    report_id, month, scope, ordered = order_report(director, env)
    wait_for("the report to be ready", lambda: report_ready(director, month, scope), 120, every=1)
    report_seconds = time.monotonic() - ordered
    workers = [p for p in processes.started if p.name.startswith("worker")]
    wait_for("both messages of the build to be taken", lambda: count_builds(workers, report_id)[0] >= 2, 30)
    time.sleep(3)  # room for a second build to show itself
    received, skipped = count_builds(workers, report_id)
    builds = received - skipped
    row = query(DATABASE, "select status, started_at, built_at from reports_monthlyreport where id = %s", (report_id,))
    status, build_started, built = row[0]
    if builds != 1 or status != "ready" or not build_started < built:
        raise Failure(f"report {report_id}: {received} messages, {skipped} refused, {builds} builds, status {status}")

    event = query(
        DATABASE,
        "select id from referrals_referralevent where referral_id = %s and kind = %s",
        (pk, "submitted"),
    )
    topic = f"referral-event:{event[0][0]}"
    outbox = query(DATABASE, "select recipient from outbox_outboxmessage where topic = %s", (topic,))
    recipients = {row[0] for row in outbox}
    rep = query(DATABASE, "select email from accounts_user where username = 'sot.skane'")[0][0]
    if rep not in recipients:
        raise Failure(f"no outbox message for {rep} about {reference}: {sorted(recipients)}")
    wait_for("the submission's e-mail", lambda: set(delivered_emails(mail_dir, reference)) >= recipients, 60)
    time.sleep(5)  # two more rounds of beat's outbox delivery: nothing may go out twice
    counts = delivered_emails(mail_dir, reference)
    sent, attempts, delay = query(
        DATABASE,
        "select count(*) filter (where sent_at is not null), max(attempts), "
        "extract(epoch from max(sent_at - created_at)) from outbox_outboxmessage where topic = %s",
        (topic,),
    )[0]
    if any(n != 1 for n in counts.values()) or set(counts) != recipients or sent != len(recipients) or attempts != 1:
        raise Failure(f"e-mail about {reference}: written {counts}, outbox sent {sent}/{len(recipients)}")

    for process in processes.started:
        if not process.alive():
            raise Failure(f"{process.name} exited with {process.popen.returncode}")
    return (
        f"topology ok: 2 web (:{port_a}, :{port_b}), 2 workers, 1 beat; {reference} filed on A, taken on B, "
        f"in review on A (B's session valid on A); report {month[:7]} {scope} ready {report_seconds:.1f} s "
        "after 'Ta fram nu', "
        f"{received} task messages (page + one sent again), {builds} build "
        f"({(built - build_started).total_seconds():.1f} s); submission e-mail to {len(recipients)} SOT "
        f"representative(s): {sum(counts.values())} written, each once, {float(delay):.1f} s after the commit; "
        f"set-up {prepared:.0f} s, total {time.monotonic() - started:.0f} s"
    )


def main() -> int:
    exit_on_sigterm()
    tmp = Path(tempfile.mkdtemp(prefix="sot-topology-"))
    processes = Processes(tmp)
    status = 0
    try:
        print(check(tmp, processes), flush=True)
    except (Failure, OSError) as exc:
        print(f"topology FAILED: {exc}", file=sys.stderr)
        print(processes.tails(), file=sys.stderr)
        status = 1
    finally:
        processes.stop_all()
        drop_database(DATABASE)
        redis.Redis.from_url(REDIS_URL).flushdb()
        if os.environ.get("KEEP_LOGS") == "1":
            print(f"logs kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
