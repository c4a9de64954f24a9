"""WCAG 2.1 AA in Chromium: axe-core finds no serious or critical violation on the pages each demo account reaches,
and at 390 x 844 (a phone) the pages a coordinator works in never scroll sideways.

axe-core is vendored (tests/browser/vendor/axe-core, from the npm registry), so nothing is downloaded. It is run
with page.evaluate(source): code evaluated through the DevTools protocol is not subject to the page's
Content-Security-Policy, so the CSP stays on (page.add_script_tag would add an inline script the CSP refuses).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from catalog.reference_data import load_reference_data
from demo.accounts import DEMO_PASSWORD, seed_demo_accounts
from demo.capacity import seed_demo_capacity
from demo.contacts import seed_demo_contacts
from demo.referrals import seed_demo_referrals
from demo.reports import seed_demo_reports
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = ("serious", "critical")
ROLES = ["vardpersonal.skane", "sot.skane", "mottagning.kalmar", "direktor.skane", "admin"]
# Links the walk does not follow: other areas (the Django admin, the API, static files), logout and the language
# switch, and file downloads.
SKIP = re.compile(
    r"^/(i18n|admin|api|static|media|logout|login|accounts/logout)(/|$)|\.(pdf|xlsx|csv|json|ya?ml)$|/(pdf|xlsx|csv)/?$"
)
REFERENCE = re.compile(r"SOT-\d{4}-\d{6}")
PHONE = {"width": 390, "height": 844}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '),
      summary: (n.failureSummary || '').split('\\n').slice(1, 2).join(''),
    })),
  }));
}"""


@pytest.fixture
def demo_data(settings, tmp_path):
    """What `seed_demo` creates, with fewer requests: the same accounts, capacity, contacts and reports."""
    settings.MEDIA_ROOT = tmp_path
    load_reference_data()
    seed_demo_accounts()
    seed_demo_contacts()
    seed_demo_referrals(count=60)
    seed_demo_reports()
    seed_demo_capacity()


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base}/")


def _logout(page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(re.compile(r"/login/"))


def _serious_violations(page, who: str) -> list[str]:
    """One readable line per serious or critical violation: who, page, rule, impact, element and what is wrong."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    path = urlsplit(page.url).path
    lines = []
    for violation in page.evaluate(RUN_AXE, AXE_TAGS):
        if violation["impact"] not in SERIOUS:
            continue
        for node in violation["nodes"]:
            lines.append(
                f"{who} {path}: {violation['id']} ({violation['impact']}: {violation['help']}) "
                f"at `{node['target']}`: {node['summary'].strip()}"
            )
    return lines


def _links(page, base: str) -> list[tuple[str, str]]:
    """(path, text) of the page's links on this site, without query strings, fragments and the skipped areas."""
    pairs = page.eval_on_selector_all("a[href]", "els => els.map(e => [e.getAttribute('href'), e.textContent || ''])")
    found = []
    for href, text in pairs:
        if not href or href.startswith("#"):
            continue
        parts = urlsplit(urljoin(page.url, href))
        if parts.netloc != urlsplit(base).netloc or parts.query or SKIP.search(parts.path):
            continue
        found.append((parts.path, " ".join(text.split())))
    return found


def _walk(page, base: str, role: str) -> tuple[list[str], list[str]]:
    """Check the start page, every page it links to and one request page; return (pages checked, violations)."""
    start = urlsplit(page.url).path
    checked: list[str] = []
    failures = _serious_violations(page, role)
    checked.append(start)
    found = _links(page, base)
    request_page = next((path for path, text in found if REFERENCE.search(text)), None)
    todo = [path for path, text in found if not REFERENCE.search(text)]
    while todo:
        path = todo.pop(0)
        if path in checked:
            continue
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, f"{role} {path}: HTTP {response and response.status}"
        failures += _serious_violations(page, role)
        checked.append(path)
        if request_page is None:
            request_page = next((p for p, text in _links(page, base) if REFERENCE.search(text)), None)
            if request_page is not None:
                todo.append(request_page)
    if request_page is not None and request_page not in checked:
        page.goto(f"{base}{request_page}")
        failures += _serious_violations(page, role)
        checked.append(request_page)
    return checked, failures


def test_axe_finds_no_serious_or_critical_violation_on_the_pages_of_every_role(live_server, page, demo_data):
    base = live_server.url
    page.goto(f"{base}/login/")
    failures = _serious_violations(page, "anonymous")
    checked_by_role = {}
    for role in ROLES:
        _login(page, base, role)
        checked, found = _walk(page, base, role)
        failures += found
        checked_by_role[role] = checked
        if role == "admin":  # the Django admin's index, as a bonus: the admin is the only role that uses it
            page.goto(f"{base}{reverse('admin:index')}")
            failures += _serious_violations(page, role)
            page.goto(f"{base}/")
        _logout(page)
    assert not failures, f"{len(failures)} serious/critical axe violations:\n" + "\n".join(failures)
    # The walk really went somewhere: the start page and what it links to, and a request page for everyone
    # who sees patients (health directors see figures only).
    assert all(len(checked) >= 2 for checked in checked_by_role.values()), checked_by_role
    for role in ("vardpersonal.skane", "sot.skane", "mottagning.kalmar"):
        assert any(re.fullmatch(r"/requests/\d+/", path) for path in checked_by_role[role]), checked_by_role


def test_keyboard_focus_is_visible_and_the_skip_link_comes_first(live_server, page):
    load_reference_data()
    seed_demo_accounts()
    base = live_server.url
    _login(page, base, "sot.skane")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert skip.is_visible()
    page.keyboard.press("Tab")  # the brand link in the navigation bar
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert outline[0] == "solid" and float(outline[1].removesuffix("px")) >= 2, outline
    assert page.locator("header nav").count() == 1 and page.locator("main#main").count() == 1


def test_no_sideways_scrolling_on_a_phone(live_server, page, demo_data):
    """The queue, the inbox, a request page reached from each, the unit's capacity and the intake form fit
    390 px: the page itself never scrolls sideways (a wide table scrolls inside itself)."""
    base = live_server.url
    page.set_viewport_size(PHONE)
    ARTIFACTS.mkdir(exist_ok=True)
    widths = {}
    for role, url_name in [
        ("sot.skane", "work:queue"),
        ("mottagning.kalmar", "work:inbox"),
        ("mottagning.kalmar", "capacity:list"),
        ("vardpersonal.skane", "referrals:create"),
    ]:
        _login(page, base, role)
        page.goto(f"{base}{reverse(url_name)}")
        widths[f"{role} {url_name}"] = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(ARTIFACTS / f"phone-{url_name.replace(':', '-')}.png"), full_page=True)
        references = [path for path, text in _links(page, base) if REFERENCE.search(text)]
        if references:
            page.goto(f"{base}{references[0]}")
            widths[f"{role} {references[0]}"] = page.evaluate("document.documentElement.scrollWidth")
        _logout(page)
    too_wide = {where: width for where, width in widths.items() if width > PHONE["width"]}
    assert not too_wide, f"wider than {PHONE['width']} px (the page scrolls sideways): {too_wide}"
    # A request page was reached from the queue and from the inbox.
    assert sum(1 for where in widths if "/requests/" in where and "referrals:create" not in where) >= 2, widths
