"""The built site in Debian's Chromium, driven by Playwright, with no network."""

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(built) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    process = subprocess.Popen(
        command, cwd=built.site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the static server did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


class Visit:
    """A page that records every request and every console error."""

    def __init__(self, browser: Browser, base: str):
        self.base = base
        self.hosts: set[str] = set()
        self.errors: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname or r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page


@pytest.fixture
def visit(browser, server) -> Iterator[Visit]:
    v = Visit(browser, server)
    yield v
    v.page.close()
    assert v.hosts <= {"127.0.0.1"}, f"requests to other hosts: {v.hosts - {'127.0.0.1'}}"


def test_home_page_loads_without_console_errors(visit):
    page = visit.open("/")
    assert page.title().startswith("ML Interview Guide")
    assert page.locator("h1").first.inner_text().rstrip("¶") == "The ML Interview Guide"
    assert visit.errors == []


def test_search_for_attention_lists_the_attention_page(visit):
    page = visit.open("/")
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("attention", delay=20)  # key events, as Material listens for them
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    links = [
        results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())
    ]
    assert any("topics/llm/attention/" in (href or "") for href in links), links
    assert visit.errors == []


def test_maths_is_typeset_by_the_local_katex(visit):
    page = visit.open("/topics/llm/attention/")
    page.locator(".arithmatex .katex").first.wait_for()
    assert page.locator(".arithmatex").count() == page.locator(".arithmatex:has(.katex)").count()
    assert visit.errors == []


def test_mermaid_diagrams_render(visit):
    page = visit.open("/rounds/")
    diagram = page.locator("div.mermaid").first
    diagram.wait_for()
    # Mermaid draws into a closed shadow root: check the source is gone and the box has a size.
    assert page.locator("pre.mermaid").count() == 0
    box = diagram.bounding_box()
    assert box and box["height"] > 100
    assert visit.errors == []


def test_a_card_opens_on_click(visit):
    page = visit.open("/topics/llm/lora/")
    card = page.locator("#card-lora-parameter-count")
    assert card.get_attribute("open") is None
    card.locator("summary").click()
    assert card.get_attribute("open") is not None
    assert "65,536" in card.inner_text()


def test_checklist_ticks_persist_across_visits(visit):
    page = visit.open("/guide/preparation-checklist/")
    items = page.locator("h2#algorithms-coding + ul.task-list > li.task-list-item")
    total = items.count()
    badge = page.locator("h2#algorithms-coding .guide-progress")
    assert total == 5 and badge.inner_text() == f"0 / {total}"
    # The custom checkbox is drawn by a pseudo-element, so the label has no box of
    # its own for Playwright to hit: dispatch the click a user's tap produces.
    items.first.locator("label").dispatch_event("click")
    assert items.first.locator("input").is_checked()
    assert badge.inner_text() == f"1 / {total}"

    page.reload(wait_until="networkidle")
    assert items.first.locator("input").is_checked()
    assert not items.nth(1).locator("input").is_checked()
    assert badge.inner_text() == f"1 / {total}"
    assert page.locator("h2#logistics-and-process .guide-progress").inner_text() == "0 / 6"

    items.first.locator("label").dispatch_event("click")  # unticking is remembered too
    page.reload(wait_until="networkidle")
    assert not items.first.locator("input").is_checked()
    assert badge.inner_text() == f"0 / {total}"
    assert visit.errors == []


def test_drill_keeps_its_schedule_across_visits(visit, built):
    deck = json.loads((built.site / "flashcards.json").read_text())
    llm = [c["id"] for c in deck["cards"] if c["category"] == "Transformers & LLMs"]
    page = visit.open("/drill/")
    card = page.locator(".guide-drill__card")
    back = page.locator(".guide-drill__back")
    box2 = page.locator('.guide-drill__box[data-box="2"]')
    card.wait_for()
    page.select_option("select[name=category]", "Transformers & LLMs")
    card.focus()  # keys typed into the filter are the filter's, not the drill's
    assert f"{len(llm)} cards, {len(llm)} new" in page.locator(".guide-drill__stats").inner_text()

    drilled = []
    for _ in range(3):
        drilled.append(card.get_attribute("data-card-id"))
        assert back.is_hidden()
        page.keyboard.press("Space")
        assert back.is_visible() and back.inner_text().strip()
        page.keyboard.press("2")  # knew it
    assert len(set(drilled)) == 3 and set(drilled) <= set(llm)
    assert box2.inner_text() == "Box 2: 3"

    page.reload(wait_until="networkidle")
    card.wait_for()
    assert page.locator("select[name=category]").input_value() == "Transformers & LLMs"
    assert box2.inner_text() == "Box 2: 3"
    assert card.get_attribute("data-card-id") not in drilled  # due again only tomorrow
    state = page.evaluate("JSON.parse(localStorage.getItem('guide-drill:v1'))")
    now_ms = page.evaluate("Date.now()")
    for card_id in drilled:
        entry = state["cards"][card_id]
        assert entry["box"] == 2 and entry["due"] > now_ms + 0.9 * 86_400_000

    missed = card.get_attribute("data-card-id")  # a missed card comes back last
    card.focus()
    page.keyboard.press("Space")
    page.keyboard.press("1")
    assert card.get_attribute("data-card-id") != missed
    assert page.locator('.guide-drill__box[data-box="1"]').inner_text() == "Box 1: 1"
    assert visit.errors == []


def test_drill_filters_by_tag(visit, built):
    deck = json.loads((built.site / "flashcards.json").read_text())
    tagged = [c for c in deck["cards"] if "attention" in c["tags"]]
    page = visit.open("/drill/")
    page.locator(".guide-drill__card").wait_for()
    page.select_option("select[name=tag]", "attention")
    stats = page.locator(".guide-drill__stats").inner_text()
    assert f"{len(tagged)} cards" in stats
    shown = page.locator(".guide-drill__card").get_attribute("data-card-id")
    assert shown in {c["id"] for c in tagged}
    assert visit.errors == []
