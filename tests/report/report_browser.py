"""Open report pages in headless Chromium (Debian's /usr/bin/chromium, driven by playwright) with the
network blocked, and record every request that failed or tried to leave the machine, and every script error.

The network is blocked three ways: every non-file:// request is aborted by a route (and counted), DNS
resolves nothing (--host-resolver-rules) and the proxy points nowhere.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = os.environ.get("GRADFACTS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost', "--proxy-server=http://127.0.0.1:9",
]


class BrowserMissing(RuntimeError):
    pass


def find_chromium() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not path:
        raise BrowserMissing(
            f"no Chromium at {CHROMIUM}: the browser check of the reports cannot run. Install Debian's "
            "browser with `apt-get install -y chromium` (.ci/run does this), or set GRADFACTS_CHROMIUM.")
    return path


@dataclass
class PageVisit:
    url: str
    failed: list[str] = field(default_factory=list)     # requests that failed (url + reason)
    outside: list[str] = field(default_factory=list)    # requests that tried to leave file://
    errors: list[str] = field(default_factory=list)     # uncaught script errors
    counts: dict[str, int] = field(default_factory=dict)  # css selector -> matched elements


class Browser:
    """One Chromium for a test module: ``visit(path, count={...})`` per page."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        # the browser is found before Playwright starts, and Playwright is stopped if the launch fails: a started
        # Playwright leaves its event loop in this thread, and every later in-process Prefect flow run of the
        # session then fails (one missing browser read as twenty broken refreshes)
        executable = find_chromium()
        self._profile = tempfile.mkdtemp(prefix="gradfacts-chromium-")
        self._pw = sync_playwright().start()
        try:
            self._ctx = self._pw.chromium.launch_persistent_context(
                self._profile, executable_path=executable, headless=True, args=FLAGS)
        except BaseException:
            self._pw.stop()
            shutil.rmtree(self._profile, ignore_errors=True)
            raise

    def visit(self, path: Path, count: dict[str, str] | None = None) -> PageVisit:
        page = self._ctx.new_page()
        visit = PageVisit(Path(path).resolve().as_uri())

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                visit.outside.append(r.request.url)
                r.abort("blockedbyclient")

        page.route("**/*", route)
        page.on("requestfailed", lambda req: visit.failed.append(f"{req.url} ({req.failure})"))
        page.on("pageerror", lambda exc: visit.errors.append(str(exc)))
        page.goto(visit.url, wait_until="load")
        page.wait_for_timeout(50)
        for name, selector in (count or {}).items():
            visit.counts[name] = page.locator(selector).count()
        page.close()
        return visit

    def close(self) -> None:
        try:
            self._ctx.close()
            self._pw.stop()
        finally:
            shutil.rmtree(self._profile, ignore_errors=True)
