"""Browser tests: Debian's Chromium, driven by Playwright, against the live workspace.

Playwright cannot download its own browser here, so it launches the system's
``chromium`` (scripts/test installs it when missing). A test that needs the
browser fails, never skips, when Chromium is not there. Every page a test
visits can be checked with axe-core (from the npm packages installed at
set-up) and photographed into ``artifacts/screenshots``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
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


#: What scripts/assets last built build/static from: each source file's SHA-256.
BUILT_FROM = ROOT / "build" / "sources.sha256"
ASSET_SOURCES = [*sorted((ROOT / "putright" / "design" / "assets").iterdir()), ROOT / "package-lock.json"]


def stale_assets() -> list[str]:
    """The asset sources changed (or added) since scripts/assets last built build/static.

    The pages are served from the build, not from the sources: a test against an old build checks
    old styles (a merged fix to a table's scrolling region once looked like a new bug)."""
    if not BUILT_FROM.exists():
        return [f"{BUILT_FROM.relative_to(ROOT)} (never written)"]
    built = {}
    for line in BUILT_FROM.read_text().splitlines():
        digest, _, name = line.partition("  ")
        built[name] = digest
    return [
        str(path.relative_to(ROOT))
        for path in ASSET_SOURCES
        if built.get(str(path.relative_to(ROOT))) != hashlib.sha256(path.read_bytes()).hexdigest()
    ]


def clicks_wait_for_the_next_page() -> Iterator[None]:
    """Make every click return once the page it leads to has loaded, not merely committed.

    Playwright's click waits for a navigation it starts to commit, and no further; a read that does
    not retry (``count()``, ``title()``, ``content()``) straight after could see a page with half its
    body parsed, and did twice in CI. After a click that changed nothing but the page's own content
    (htmx) the load state is already reached, so this costs nothing there."""
    from playwright.sync_api import Locator, Page

    originals = {Locator: Locator.click, Page: Page.click}

    def locator_click(self, *args, **kwargs):
        originals[Locator](self, *args, **kwargs)
        self.page.wait_for_load_state("load")

    def page_click(self, *args, **kwargs):
        originals[Page](self, *args, **kwargs)
        self.wait_for_load_state("load")

    Locator.click, Page.click = locator_click, page_click
    try:
        yield
    finally:
        Locator.click, Page.click = originals[Locator], originals[Page]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if stale := stale_assets():
        pytest.fail(f"build/static is older than {', '.join(stale)}: run scripts/assets first")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: scripts/test installs it (apt-get install chromium)")
    with sync_playwright() as playwright, contextmanager(clicks_wait_for_the_next_page)():
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-sync"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Europe/London",
    )
    context.set_default_timeout(10_000)
    # A retrying assertion waits as long as an action does (Playwright's own default is 5 s).
    expect.set_options(timeout=10_000)
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
    """Run axe-core over the page as it is now; any WCAG 2.2 AA violation fails the test.

    A click that navigates returns once the new page is committed, before it is parsed: axe run
    then would find no document. So the page is first let finish loading."""
    page.wait_for_load_state("load")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_TAGS,
    )
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in result
    ]
    assert not problems, f"axe-core found on {page.url}:\n" + "\n".join(problems)


#: What makes the page wider than the screen, to name in a failure: the innermost elements (and bits
#: of text) whose box reaches past the screen's right edge and that no scrolling box holds in. A
#: table's region holds in what is laid out inside it, but not an absolutely placed element (a
#: ``govuk-visually-hidden`` span) whose containing block lies outside the region: that one escapes
#: the region's scrolling, is clipped to one pixel and invisible, and still widens the page. So
#: each element is followed up its chain of containing blocks, not its parents, to a scrolling box.
WIDEST = """(width) => {
  const edge = width + 1;
  const style = e => getComputedStyle(e);
  const top = e => !e || e === document.body || e === document.documentElement;
  const placed = e => style(e).position !== 'static' || style(e).transform !== 'none';
  // The box an element is laid out in: its parent, or for one placed absolutely the nearest
  // placed ancestor (none: the page itself), or for a fixed one the screen (none).
  const container = e => {
    const position = style(e).position;
    if (position === 'fixed') return null;
    let up = e.parentElement;
    if (position === 'absolute') while (!top(up) && !placed(up)) up = up.parentElement;
    return top(up) ? null : up;
  };
  const scrolls = e => style(e).overflowX !== 'visible';
  const heldIn = e => {
    for (let up = container(e); up; up = container(up)) if (scrolls(up)) return true;
    return false;
  };
  const escapes = e => e.getBoundingClientRect().right > edge && !heldIn(e);
  const words = e => (e.textContent || '').trim().split(/\\s+/).join(' ').slice(0, 40);
  const describe = (e, what) => {
    const around = e.closest('.pr-table-scroll, [id]');
    const where = around ? ' in ' + (around.getAttribute('aria-label') || '#' + around.id) : '';
    const right = Math.round(e.getBoundingClientRect().right);
    return `${what}${e.tagName.toLowerCase()}${[...e.classList].map(c => '.' + c).join('')} ` +
      `"${words(e)}" (to ${right} px${where})`;
  };
  const elements = [...document.querySelectorAll('body *')].filter(escapes);
  const named = elements.filter(e => !elements.some(o => o !== e && e.contains(o))).map(e => describe(e, ''));
  // Words too long to wrap can spill out of a box that itself fits: name the box they are in.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const box = text.parentElement, range = document.createRange();
    range.selectNodeContents(text);
    if (range.getBoundingClientRect().right > edge && !escapes(box) && !scrolls(box) && !heldIn(box)) {
      named.push(describe(box, 'text spilling out of '));
    }
  }
  return named.slice(0, 8);
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
