"""Load benchmark: logged-in users work the app on a local gunicorn for a bounded time.

Loopback only, bounded in time and in users. Usage (make bench-load does all of it):
    python scripts/load_test.py --base http://127.0.0.1:8765 --users 50 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict

PASSWORD = "sot-demo-2026"  # noqa: S105  (the demo accounts' published password)
# Each simulated user logs in as one of the demo roles and cycles through that role's pages.
ROLES = {
    "sot.skane": ["/queue/", "/queue/?overdue=on", "/obstacles/", "{referral}"],
    "mottagning.kalmar": ["/inbox/", "/capacity/"],
    "direktor.skane": ["/reports/"],
    "vardpersonal.skane": ["/requests/", "/requests/?status=submitted", "{referral}"],
}
COOKIE = re.compile(r"^(sessionid|csrftoken)=([^;]+)")


class Session:
    def __init__(self, base: str) -> None:
        parsed = urllib.parse.urlparse(base)
        if parsed.hostname is None:
            raise ValueError(f"no host in {base!r}")
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "X-Forwarded-Proto": "https"}
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


def run(base: str, users: int, seconds: float, only: str | None) -> dict:
    results: dict[str, list[float]] = defaultdict(list)
    statuses: dict[int, int] = defaultdict(int)
    lock = threading.Lock()
    names = list(ROLES)
    stop_at = time.monotonic() + seconds + 30  # the measured window starts after every user has logged in
    ready = threading.Barrier(users + 1)
    window: dict[str, float] = {}

    def user(index: int) -> None:
        username = "sot.skane" if only else names[index % len(names)]  # one page alone: a role that may see it
        session = Session(base)
        session.login(username)
        pages = [only] if only else ROLES[username]
        referral = first_referral(session, "/queue/" if username.startswith("sot") else "/requests/")
        pages = [p.replace("{referral}", referral) for p in pages]
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
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    host = urllib.parse.urlparse(args.base).hostname
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("The load test only targets this machine (loopback).")
    mixed = run(args.base, args.users, args.seconds, None)
    print(
        f"mixed pages, {args.users} users, {mixed['seconds']:.0f} s: {mixed['requests']} requests, "
        f"{mixed['throughput']:.0f} req/s, p50 {mixed['p50_ms']:.0f} ms, p95 {mixed['p95_ms']:.0f} ms, "
        f"statuses {mixed['statuses']}"
    )
    for page, (count, median) in mixed["per_page"].items():
        print(f"  {page:<14} {count:>6} requests, median {median:.0f} ms")
    short = max(10.0, args.seconds / 4)
    queue = run(args.base, args.users, short, "/queue/")
    bare = run(args.base, args.users, short, "/healthz/live/")  # the process answering, nothing more
    print(
        f"queue page alone: {queue['throughput']:.0f} req/s (p95 {queue['p95_ms']:.0f} ms); "
        f"bare view: {bare['throughput']:.0f} req/s (p95 {bare['p95_ms']:.0f} ms); "
        f"ratio {queue['throughput'] / bare['throughput']:.2f}; statuses {queue['statuses']} {bare['statuses']}"
    )
    if any(status >= 500 for r in (mixed, queue, bare) for status in r["statuses"]):
        raise SystemExit("server errors under load")


if __name__ == "__main__":
    main()
