"""Helpers for the scripts that run the production topology on this machine (topology_check.py,
backup_drill.py, load_outage.py): the Procfile's processes in process groups of their own, a database of
their own on the local PostgreSQL, and a small HTTP client that logs in and fills forms like a browser.

Standard library only (plus psycopg and redis from requirements.txt), so nothing new is installed.
Loopback only; every process started here is stopped by its process group, never by name.
"""

from __future__ import annotations

import html.parser
import http.client
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the virtualenv the script runs in: gunicorn and celery live next to python
PASSWORD = "sot-demo-2026"  # noqa: S105  (the demo accounts' published password, README "Demo accounts")
PG_URL = os.environ.get("STACK_PG_URL", "postgres://postgres@127.0.0.1:5432")


def exit_on_sigterm() -> None:
    """A SIGTERM (CI's time-out, a kill) ends the script through its finally blocks, which stop the
    processes and drop the databases."""

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


class Failure(Exception):
    """A check did not hold; the message says which and with what figures."""


def procfile() -> dict[str, str]:
    """The Procfile's process types and their command lines."""
    types: dict[str, str] = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            types[name.strip()] = command.strip()
    return types


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def base_env(**extra: str) -> dict[str, str]:
    """The environment of every process: the virtualenv first on PATH, nothing from the caller's
    DATABASE_URL or REDIS_URL (CI exports its own), plus what the caller adds."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "PORT"}}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def production_env(**extra: str) -> dict[str, str]:
    """Production settings on loopback: DEBUG off, a throwaway key, no TLS redirect (no proxy here), the demo's
    local accounts allowed."""
    return base_env(
        DEBUG="0",
        SECRET_KEY=f"stack-check-only-{time.time_ns()}-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        # The checks sign in as the demo's local accounts, which production refuses by default (LOCAL_LOGIN).
        LOCAL_LOGIN="all",
        ADMIN_REQUIRES_OTP="0",
        **extra,
    )


class Process:
    """One process from a command line, in a session (process group) of its own, output to a log file."""

    def __init__(self, name: str, command: str, env: Mapping[str, str], log: Path) -> None:
        self.name, self.command, self.log = name, command, log
        self._out: IO[bytes] = log.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603  (our own Procfile line, run by bash as the Procfile says)
            ["bash", "-c", f"exec {command}"],  # noqa: S607
            cwd=ROOT,
            env=dict(env),
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def signal(self, sig: int) -> None:
        if self.alive():
            with suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM to the whole group (gunicorn's and celery's children too), SIGKILL after the grace."""
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(timeout=10)
        with suppress(ProcessLookupError, PermissionError):  # children that outlive their leader
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._out.close()


class Processes:
    """Every process a script started, stopped in reverse order however the script ends."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[Process] = []

    def start(self, name: str, command: str, env: Mapping[str, str]) -> Process:
        process = Process(name, command, env, self.logs / f"{name}.log")
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()

    def tails(self, lines: int = 25) -> str:
        return "\n".join(
            f"--- {p.name} (pid {p.pid}, {'running' if p.alive() else f'exit {p.popen.returncode}'}) ---\n"
            + "\n".join(p.text().splitlines()[-lines:])
            for p in self.started
        )


def run(command: list[str] | str, env: Mapping[str, str], what: str, timeout: float = 300) -> str:
    """Run one command to its end (a list, or a Procfile line for bash); its output, or Failure."""
    args = ["bash", "-c", command] if isinstance(command, str) else command
    done = subprocess.run(  # noqa: S603  (our own commands)
        args, cwd=ROOT, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise Failure(f"{what} failed (exit {done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


def manage(args: str, env: Mapping[str, str], what: str, timeout: float = 300) -> str:
    return run([str(BIN / "python"), "manage.py", *shlex.split(args)], env, what, timeout)


# --- PostgreSQL -----------------------------------------------------------------------------------------


def pg_args() -> list[str]:
    parsed = urllib.parse.urlparse(PG_URL)
    return ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]


def database_url(name: str) -> str:
    return f"{PG_URL}/{name}"


def create_database(name: str) -> None:
    drop_database(name)
    run(["createdb", *pg_args(), name], base_env(), f"createdb {name}")


def drop_database(name: str) -> None:
    run(["dropdb", *pg_args(), "--if-exists", "--force", name], base_env(), f"dropdb {name}")


def query(database: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(database_url(database), autocommit=True) as connection:
        return list(connection.execute(sql, params).fetchall())


# --- waiting --------------------------------------------------------------------------------------------


def wait_for(what: str, check: Callable[[], bool], timeout: float, every: float = 0.5) -> float:
    """Seconds until check() held; Failure after the timeout."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def serves(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/login/")
        return connection.getresponse().status == 200
    except OSError:
        return False


# --- HTTP: a logged-in user filling forms ---------------------------------------------------------------


class Form:
    """A form's action and fields as the browser would send them unchanged, and its submit buttons."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, str]]] = {}  # select name → (value, label)


class _FormParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._label: list[str] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields[name] = a.get("value", "on")
            elif kind == "submit":
                form.buttons[name] = a.get("value", "")
            else:
                form.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            form.buttons[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form.options[name] = []
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)
            self._label = []
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._label.append(data)
        if self._textarea is not None and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select and self.forms:
            value, selected = self._option
            form = self.forms[-1]
            form.options[self._select].append((value, "".join(self._label).strip()))
            if selected or self._select not in form.fields:
                form.fields[self._select] = value
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(page: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(page)
    return parser.forms


def testid(page: str, name: str) -> str:
    """The text of the first element with data-testid=name (no nested tags expected)."""
    found = re.search(rf'data-testid="{re.escape(name)}"[^>]*>([^<]*)<', page)
    if not found:
        raise Failure(f"no data-testid={name} on the page")
    return found.group(1).strip()


class Browser:
    """One user's session on one web process: cookies, CSRF from the form, redirects followed by hand."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, fields: Mapping[str, str] | None = None) -> tuple[int, str, str]:
        """Status, Location and body. The TLS proxy is played by X-Forwarded-Proto (secure cookies, CSRF)."""
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "X-Forwarded-Proto": "https",
            "Accept-Language": "sv",
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                break
            except (ConnectionError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2 or method != "GET":
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        text = response.read().decode("utf-8", errors="replace")
        location = urllib.parse.urlparse(response.getheader("Location") or "").path
        return response.status, location, text

    def get(self, path: str) -> str:
        status, location, text = self.request("GET", path)
        if status != 200:
            raise Failure(f"GET {path} on port {self.port}: {status} {location}")
        return text

    def form(self, path: str, index: int = -1, action: str | None = None) -> Form:
        page = self.get(path)
        found = [f for f in forms_in(page) if action is None or f.action == action]
        if not found:
            raise Failure(f"no form{f' to {action}' if action else ''} on {path}")
        form = found[index]
        form.action = form.action or path
        return form

    def submit(self, form: Form, changes: Mapping[str, str] | None = None, button: str | None = None) -> str:
        """POST the form with changes; the redirect target (a form page that answers 200 is a failure)."""
        fields = {**form.fields, **(changes or {})}
        if button is not None:
            fields[button] = form.buttons.get(button, "1")
        status, location, text = self.request("POST", form.action, fields)
        if status != 302:
            errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*(?:<strong>)?([^<]+)', text)
            raise Failure(f"POST {form.action} on port {self.port}: {status}, errors {errors[:5]}")
        return location

    def login(self, username: str) -> None:
        form = self.form("/login/")
        location = self.submit(form, {"username": username, "password": PASSWORD})
        if location.startswith("/login"):
            raise Failure(f"login as {username} on port {self.port} refused")


@contextmanager
def temporary_database(name: str, keep: bool = False) -> Iterator[str]:
    """A database of the script's own, dropped at the end however the script ends."""
    create_database(name)
    try:
        yield database_url(name)
    finally:
        if not keep:
            drop_database(name)
