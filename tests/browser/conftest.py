"""Browser tests: Debian's Chromium, driven by Playwright, against the live workspace.

Playwright cannot download its own browser here, so it launches the system's
``chromium`` (scripts/test installs it when missing). A test that needs the
browser fails, never skips, when Chromium is not there. Every page a test
visits can be checked with axe-core (from the npm packages installed at
set-up) and photographed into ``artifacts/screenshots``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the tests' own ORM
# calls (making users and cases) are ordinary synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"
#: Pages answered with these statuses on purpose; Chromium logs them as failed resources.
EXPECTED_STATUSES = (
    "the server responded with a status of 400 (Bad Request)",
    "the server responded with a status of 429 (Too Many Requests)",
)
#: WCAG 2.2 AA and everything below it.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-sync"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield opened
    context.close()
    # A Content Security Policy violation or a script error is a bug, even when the page works.
    # A refused form (400) and the lockout page (429) are answers, not errors: Chromium logs them anyway.
    errors = [e for e in errors if not any(status in e for status in EXPECTED_STATUSES)]
    assert not errors, f"the browser reported errors: {errors}"


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def signed_in(page, user, live_server_url: str) -> None:
    """Sign the page's browser in as ``user`` with a session cookie (quicker than the form;
    the sign-in page has tests of its own). A second factor counts as given."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is not None:
        session["otp_device_id"] = device.persistent_id
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server_url}]
    )


def check_accessibility(page) -> None:
    """Run axe-core over the page as it is now; any WCAG 2.2 AA violation fails the test."""
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in result
    ]
    assert not problems, f"axe-core found on {page.url}:\n" + "\n".join(problems)


#: The innermost elements outside a table's region that reach past the screen's right edge, to name
#: in a failure (none named: look for an absolutely placed element escaping a region).
WIDEST = """(width) => {
  const inside = e => e.parentElement.closest('.pr-table-scroll');
  const past = e => e.getBoundingClientRect().right > width + 1 && !inside(e);
  return [...document.querySelectorAll('body *')].filter(e => past(e) && ![...e.children].some(past))
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' +
      (e.textContent || '').trim().slice(0, 40));
}"""


def fits(page, width: int) -> None:
    """axe-core finds nothing, and nothing scrolls sideways (naming what sticks out if it does)."""
    check_accessibility(page)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(WIDEST, width) if scroll > width else []
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px: {scroll} px wide, because of {wide}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a build artifact (not committed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page, path: str, name: str | None = None) -> None:
    """Open a page, check it with axe-core and, when named, photograph it."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    check_accessibility(page)
    if name:
        screenshot(page, name)


def describe(value: object) -> str:
    return json.dumps(value, indent=2, default=str)
