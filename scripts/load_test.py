"""Load benchmark on a local gunicorn: the pages a coordinator's day is made of against a bare Django view.

Loopback only, bounded in time. `make bench-load` seeds the database, starts gunicorn (2 sync workers,
production settings, BENCH_BARE_VIEW=1) and runs:

    python scripts/load_test.py --base http://127.0.0.1:8765 --seconds 15 --mixed-seconds 20

1. One page at a time, 16 connections without pause, `--seconds` each after a short warm-up: the bare
   view (`/bench/bare/`, a constant answer through every middleware, no session, no database;
   sot/bench.py), the SOT queue (`/queue/`, 25 rows, as sot.skane), a request page (the first request of
   that queue, as sot.skane), the proposals page (the ranking of receiving units of the first request in
   review on that queue, `/requests/<id>/propose/`, as sot.skane) and the unit list (`/requests/`, as
   vardpersonal.skane). Printed as a table:
   requests/s, p50 and p95 latency, ratio to the bare view.
2. Optionally (`--mixed-seconds`, 0 skips it) the mixed load: `--users` logged-in users of four roles
   who cycle through their role's pages without pause.

The client of part 1 is not the bottleneck: each connection is a thread with a raw socket that sends a
prepared request and reads the answer to the end, in `--processes` processes (so not behind one GIL).
Gunicorn's sync workers close the connection after each answer, so each request opens a new one, as
the sync worker would make any client do.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import re
import socket
import statistics
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

PASSWORD = "sot-demo-2026"  # noqa: S105  (the demo accounts' published password)
# Each simulated user of the mixed load logs in as one of the demo roles and cycles through its pages.
ROLES = {
    "sot.skane": ["/queue/", "/queue/?overdue=on", "/obstacles/", "{referral}"],
    "mottagning.kalmar": ["/inbox/", "/capacity/"],
    "direktor.skane": ["/reports/"],
    "vardpersonal.skane": ["/requests/", "/requests/?status=submitted", "{referral}"],
}
COOKIE = re.compile(r"^(sessionid|csrftoken)=([^;]+)")
BARE = "/bench/bare/"
QUEUE_ROWS = 25


class Session:
    def __init__(self, base: str) -> None:
        parsed = urllib.parse.urlparse(base)
        if parsed.hostname is None:
            raise ValueError(f"no host in {base!r}")
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie_header(), "X-Forwarded-Proto": "https"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{self.host}:{self.port}/login/"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (ConnectionError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and (match := COOKIE.match(value)):
                self.cookies[match.group(1)] = match.group(2)
        return response.status, response.read().decode("utf-8", errors="replace")

    def login(self, username: str) -> None:
        _status, page = self.request("GET", "/login/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found is None:
            raise RuntimeError(f"no CSRF token on the login page for {username}")
        token = found.group(1)
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, _ = self.request("POST", "/login/", body)
        if status != 302:
            raise RuntimeError(f"login as {username} failed: {status}")


def first_referral(session: Session, list_path: str) -> str:
    _status, page = session.request("GET", list_path)
    match = re.search(r'href="(/requests/\d+/)"', page)
    return match.group(1) if match else list_path


def proposals_page(session: Session, queue: str) -> str | None:
    """The chooser of receiving units (the ranking) of the first request in review on the queue's page."""
    for path in dict.fromkeys(re.findall(r'href="(/requests/\d+/)"', queue)):
        status, _page = session.request("GET", f"{path}propose/")
        if status == 200:
            return f"{path}propose/"
    return None


# --- Part 1: one page at a time, a fixed number of connections -------------------------------------------


@dataclass
class Target:
    name: str
    path: str
    cookie: str  # "" for the bare view: no session is read


def _one(host: str, port: int, request: bytes) -> int:
    """Send one request on a new connection and read the answer to its end; the status code."""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request)
        first = sock.recv(65536)
        while sock.recv(65536):
            pass
    return int(first[9:12]) if first.startswith(b"HTTP/1.") else 0


def _hammer(host: str, port: int, request: bytes, threads: int, begin: float, warm: float, end: float) -> dict:
    """In one process: `threads` connections without pause from `begin` (wall clock) to `end`; the
    latencies (seconds) of the answers completed after the warm-up and before `end`, and every status."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def connection() -> None:
        mine: list[float] = []
        seen: Counter[int] = Counter()
        while time.time() < begin:
            time.sleep(0.001)
        while (started_at := time.time()) < end:
            started = time.perf_counter()
            try:
                status = _one(host, port, request)
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            seen[status] += 1
            if begin + warm <= started_at + elapsed <= end:  # answers completed in the measured window
                mine.append(elapsed)
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    workers = [threading.Thread(target=connection) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"latencies": latencies, "statuses": dict(statuses)}


def measure(base: str, target: Target, connections: int, processes: int, seconds: float, warm: float) -> dict:
    parsed = urllib.parse.urlparse(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    headers = [f"GET {target.path} HTTP/1.1", f"Host: {host}:{port}", "X-Forwarded-Proto: https", "Connection: close"]
    if target.cookie:
        headers.append(f"Cookie: {target.cookie}")
    request = ("\r\n".join(headers) + "\r\n\r\n").encode()
    begin = time.time() + 0.5
    end = begin + warm + seconds
    shares = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.starmap(_hammer, [(host, port, request, n, begin, warm, end) for n in shares if n])
    latencies = sorted(t for part in parts for t in part["latencies"])
    statuses: Counter[int] = Counter()
    for part in parts:
        statuses.update(part["statuses"])
    if not latencies:
        raise SystemExit(f"{target.name}: no answer in {seconds} s")
    return {
        "page": target.name,
        "path": target.path,
        "requests": len(latencies),
        "throughput": len(latencies) / seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "statuses": dict(sorted(statuses.items())),
    }


def wait_for_server(base: str, seconds: float = 60) -> None:
    """Gunicorn answers a few seconds after it is started, later on a busy machine."""
    parsed = urllib.parse.urlparse(base)
    give_up = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 80), timeout=2).close()
            return
        except OSError:
            if time.monotonic() > give_up:
                raise SystemExit(f"nothing answers at {base} after {seconds:.0f} s") from None
            time.sleep(0.5)


def targets(base: str) -> list[Target]:
    """Log in once per role and check that each page answers what it should before it is measured."""
    wait_for_server(base)
    sot, staff = Session(base), Session(base)
    sot.login("sot.skane")
    staff.login("vardpersonal.skane")
    status, queue = sot.request("GET", "/queue/")
    rows = len(set(re.findall(r'href="(/requests/\d+/)"', queue)))
    if status != 200 or rows < QUEUE_ROWS:
        raise SystemExit(f"the queue page answered {status} with {rows} requests, not {QUEUE_ROWS}: seeded?")
    referral = first_referral(sot, "/queue/")
    found = {
        "bare view": Target("bare view", BARE, ""),
        f"queue page ({rows} rows)": Target(f"queue page ({rows} rows)", "/queue/", sot.cookie_header()),
        "request page": Target("request page", referral, sot.cookie_header()),
        "unit list": Target("unit list", "/requests/", staff.cookie_header()),
    }
    proposals = proposals_page(sot, queue)
    if proposals:
        found["proposals page"] = Target("proposals page", proposals, sot.cookie_header())
    for target in found.values():
        probe = Session(base)
        probe.cookies = dict(c.split("=", 1) for c in target.cookie.split("; ") if c)
        status, _ = probe.request("GET", target.path)
        if status != 200:
            raise SystemExit(f"{target.name} ({target.path}) answered {status}; is BENCH_BARE_VIEW=1 set?")
    return list(found.values())


def table(results: list[dict]) -> str:
    bare = results[0]["throughput"]
    lines = [
        "| page | requests/s | p50 | p95 | ratio to bare | statuses |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        statuses = ", ".join(f"{code}: {count}" for code, count in r["statuses"].items())
        lines.append(
            f"| {r['page']} | {r['throughput']:,.0f} | {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms "
            f"| {r['throughput'] / bare:.3f} | {statuses} |"
        )
    return "\n".join(lines)


# --- Part 2: the mixed load -------------------------------------------------------------------------------


def run(base: str, users: int, seconds: float, only: str | None) -> dict:
    results: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    lock = threading.Lock()
    names = list(ROLES)
    # One login per role, its session shared by the role's users (a login is a deliberately slow hash).
    logged_in: dict[str, dict[str, str]] = {}
    referrals: dict[str, str] = {}
    for username in [names[0]] if only else names[: min(users, len(names))]:
        session = Session(base)
        session.login(username)
        logged_in[username] = session.cookies
        referrals[username] = first_referral(session, "/queue/" if username.startswith("sot") else "/requests/")
    stop_at = time.monotonic() + seconds + 30  # the measured window starts after every user is ready
    ready = threading.Barrier(users + 1)
    window: dict[str, float] = {}

    def user(index: int) -> None:
        username = names[0] if only else names[index % len(names)]  # one page alone: a role that may see it
        session = Session(base)
        session.cookies = dict(logged_in[username])
        pages = [only] if only else ROLES[username]
        pages = [p.replace("{referral}", referrals[username]) for p in pages]
        ready.wait()
        i = 0
        while time.monotonic() < window.get("end", stop_at):
            path = pages[i % len(pages)]
            i += 1
            started = time.perf_counter()
            status, _ = session.request("GET", path)
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] += 1
                results[path.split("?")[0] if not path.startswith("/requests/") else path[:10]].append(elapsed)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()
    window["start"] = time.monotonic()
    window["end"] = window["start"] + seconds
    for thread in threads:
        thread.join(timeout=seconds + 60)
    duration = time.monotonic() - window["start"]
    everything = sorted(t for times in results.values() for t in times)
    return {
        "requests": len(everything),
        "seconds": duration,
        "throughput": len(everything) / duration,
        "p50_ms": statistics.median(everything) * 1000,
        "p95_ms": everything[int(len(everything) * 0.95) - 1] * 1000,
        "statuses": dict(statuses),
        "per_page": {p: (len(t), statistics.median(t) * 1000) for p, t in sorted(results.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--seconds", type=float, default=15, help="measured seconds per page")
    parser.add_argument("--warm", type=float, default=2, help="warm-up seconds per page, not counted")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--processes", type=int, default=2, help="client processes sharing the connections")
    parser.add_argument("--pages", default="", help="comma-separated words: only the pages whose name has one")
    parser.add_argument("--users", type=int, default=50, help="users of the mixed load")
    parser.add_argument("--mixed-seconds", type=float, default=0, help="the mixed load's duration; 0 skips it")
    parser.add_argument("--json", default="", help="also write the results to this file")
    args = parser.parse_args()
    host = urllib.parse.urlparse(args.base).hostname
    if not (host == "localhost" or (host or "").startswith("127.") or host == "::1"):
        raise SystemExit("The load test only targets this machine (loopback).")

    chosen = targets(args.base)
    if args.pages:
        words = args.pages.split(",")
        chosen = [chosen[0]] + [t for t in chosen[1:] if any(w in t.name for w in words)]
    print(
        f"{args.connections} connections, {args.seconds:.0f} s per page after {args.warm:.0f} s of warm-up, "
        f"{args.processes} client processes"
    )
    results = []
    for target in chosen:
        results.append(measure(args.base, target, args.connections, args.processes, args.seconds, args.warm))
        r = results[-1]
        print(f"  {r['page']}: {r['throughput']:,.0f} req/s, p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms")
    print(table(results))
    report: dict[str, Any] = {"pages": results}

    if args.mixed_seconds > 0:
        mixed = run(args.base, args.users, args.mixed_seconds, None)
        print(
            f"mixed pages, {args.users} users, {mixed['seconds']:.0f} s: {mixed['requests']} requests, "
            f"{mixed['throughput']:.0f} req/s, p50 {mixed['p50_ms']:.0f} ms, p95 {mixed['p95_ms']:.0f} ms, "
            f"statuses {mixed['statuses']}"
        )
        for page, (count, median) in mixed["per_page"].items():
            print(f"  {page:<14} {count:>6} requests, median {median:.0f} ms")
        report["mixed"] = mixed
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=2)
    failed = [r["page"] for r in results if set(r["statuses"]) != {200}]
    if "mixed" in report and any(status >= 500 for status in report["mixed"]["statuses"]):
        failed.append("mixed")
    if failed:
        raise SystemExit(f"answers other than 200 (or 5xx in the mixed load): {', '.join(failed)}")


if __name__ == "__main__":
    main()
