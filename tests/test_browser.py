"""The write-up as a person sees it: real headless Chromium opens report.html.

Static checks of the HTML cannot tell whether figures actually decode, whether
the page reaches out to the network, logs errors, or scrolls sideways on a
phone; a browser can. One Chromium serves every check of this module, driven
over the DevTools protocol (tests/browser.py). Full-page screenshots at phone
and desktop width land in results/screenshots/ of the checkout for people to
look at.

Beyond that, at both widths: the text inside every figure is large enough to
read (from the PNG's pixel width and resolution, its displayed width and the
font size it was drawn with), every figure opens at full size, MathML is laid
out as math with no TeX left in the text, and nothing but a table scrolls
sideways.

Needs Debian's chromium at /usr/bin/chromium (CI installs it): without it these
tests fail. Set EIGENINIT_SKIP_BROWSER=1 to skip them on purpose.
"""

import base64
import io
import math
import os
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from browser import CHROMIUM, DevToolsSession, chromium_page
from eigeninit.figure_style import FONT_POINTS, WIDTH_INCHES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.workflow,
    pytest.mark.skipif(
        os.environ.get("EIGENINIT_SKIP_BROWSER") == "1",
        reason="EIGENINIT_SKIP_BROWSER=1 opts out of the browser tests",
    ),
]

PROJECT_SCREENSHOTS = Path(__file__).resolve().parents[1] / "results" / "screenshots"
ALLOWED_SCHEMES = ("data:",)  # besides the page's own file:// URL
MIN_BODY_TEXT_PX = 14
MIN_FIGURE_TEXT_PX = 10
RAW_MATH = ("\\rho", "\\lVert", "\\sqrt", "sqrt(", "->", "^n", "x(n-1)", "|x(n)|")
"""TeX or ASCII math that must not reach the reader as text."""
SETTLE_SECONDS = 0.25  # after the load event, for late requests and logs
SCREENSHOT_TIMEOUT = 60.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    scale: float = 1
    mobile: bool = False


PHONE = Viewport("phone", 390, 844, scale=2, mobile=True)
DESKTOP = Viewport("desktop", 1280, 900)
VIEWPORTS = (PHONE, DESKTOP)


@dataclass
class Layout:
    viewport: Viewport
    problems: list[str]
    screenshot: Path
    page_height: int  # CSS px, as captured
    figures: list[dict] = field(default_factory=list)
    formulas: list[dict] = field(default_factory=list)
    visible_text: str = ""
    tables: list[dict] = field(default_factory=list)
    zoom: dict = field(default_factory=dict)


@dataclass
class PageFindings:
    url: str
    image_count: int
    foreign_requests: list[str]
    broken_images: list[str]
    console_errors: list[str]
    layouts: dict[str, Layout] = field(default_factory=dict)


IMAGES_JS = """
Array.from(document.images, (img, index) => ({
  index, alt: img.alt, src: img.currentSrc || img.src,
  complete: img.complete, naturalWidth: img.naturalWidth,
}))
"""

NEXT_FRAME_JS = """
new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
"""

LAYOUT_JS = """
(() => {
  const visible = (el) => el.getClientRects().length > 0;
  const scope = document.querySelector("main") || document.body;
  const runningText = [...scope.querySelectorAll("p, li")]
    .filter((el) => visible(el) && el.textContent.trim());
  return {
    innerWidth: window.innerWidth,
    clientWidth: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    scrollHeight: document.documentElement.scrollHeight,
    images: Array.from(document.images, (img, index) => {
      const box = img.getBoundingClientRect();
      return {index, alt: img.alt, left: box.left, right: box.right};
    }),
    text: [document.body, ...runningText].map((el) => ({
      tag: el.tagName.toLowerCase(),
      excerpt: el === document.body ? "" : el.textContent.trim().slice(0, 50),
      px: parseFloat(getComputedStyle(el).fontSize),
    })),
  };
})()
"""


# Every figure as shown (rendered ones only: a closed <details> hides its own),
# every MathML formula's box and display type, the text a reader sees, and the
# elements outside tables that reach past the right edge of the window.
CONTENT_JS = """
(() => {
  const shown = (el) => el.getClientRects().length > 0;
  const tables = (el) => el.closest(".table-scroll");
  const room = Math.min(window.innerWidth, document.documentElement.clientWidth);
  return {
    figures: [...document.querySelectorAll("figure img")].filter(shown).map((img) => ({
      id: img.closest("figure").id,
      src: img.currentSrc || img.src,
      naturalWidth: img.naturalWidth,
      width: img.getBoundingClientRect().width,
    })),
    formulas: [...document.querySelectorAll("math")].filter(shown).map((m) => {
      const box = m.getBoundingClientRect();
      return {text: m.textContent, width: box.width, height: box.height,
              display: getComputedStyle(m).display};
    }),
    text: document.body.innerText,
    tables: (() => {
      // Collapsed sections open, so that their tables are measured too.
      const closed = [...document.querySelectorAll("details:not([open])")];
      closed.forEach((d) => { d.open = true; });
      const main = document.querySelector("main") || document.body;
      const style = getComputedStyle(main);
      const column = main.clientWidth - parseFloat(style.paddingLeft)
                     - parseFloat(style.paddingRight);
      const found = [...document.querySelectorAll("table")].filter(shown).map((t) => {
        const wrapper = tables(t);
        return {
          name: (t.querySelector("caption") || t.querySelector("th") || t)
                  .textContent.trim().slice(0, 50),
          width: t.getBoundingClientRect().width,
          column: column,
          scrolls: wrapper !== null && wrapper.scrollWidth > wrapper.clientWidth + 0.5,
          // Cells of a header hidden for screen readers only are not shown.
          cut: [...t.querySelectorAll("th, td")].filter(
                 (c) => c.getBoundingClientRect().width > 1
                        && !(c.closest("thead")
                             && c.closest("thead").getBoundingClientRect().width <= 1)
                        && c.scrollWidth > c.clientWidth + 1).length,
        };
      });
      closed.forEach((d) => { d.open = false; });
      return found;
    })(),
    overflowing: [...document.querySelectorAll("main *, footer *")]
      .filter((el) => shown(el) && !tables(el)
              && el.getBoundingClientRect().right > room + 0.5)
      .map((el) => el.tagName.toLowerCase() + " "
           + (el.textContent || "").trim().slice(0, 40)),
  };
})()
"""

# Opens the first figure by its own link, as a tap would, and measures the
# frame laid over the page; then closes it by the "Close" link.
ZOOM_JS = """
(async () => {
  const frame = () => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(done)));
  const figure = document.querySelector("figure");
  const img = figure.querySelector("img");
  const before = img.getBoundingClientRect().width;
  figure.querySelector("a.zoom-open").click();
  await frame();
  const zoom = figure.querySelector(".zoom");
  const box = zoom.getBoundingClientRect();
  const opened = {
    hash: location.hash, position: getComputedStyle(zoom).position,
    left: box.left, top: box.top, width: box.width, height: box.height,
    roomWidth: document.documentElement.clientWidth,
    roomHeight: document.documentElement.clientHeight,
    before, after: img.getBoundingClientRect().width,
    naturalWidth: img.naturalWidth,
    closeShown: figure.querySelector("a.zoom-close").getClientRects().length > 0,
  };
  figure.querySelector("a.zoom-close").click();
  await frame();
  opened.closedPosition = getComputedStyle(zoom).position;
  opened.closedHash = location.hash;
  history.replaceState(null, "", location.pathname);
  return opened;
})()
"""


def figure_text_px(figure: dict) -> float:
    """CSS px of the figure's text: points over 72 times displayed px per inch.

    The drawn width comes from the PNG's pixels and resolution and must be the
    one every figure is drawn at.
    """
    png = base64.b64decode(figure["src"].split(",", 1)[1])
    with Image.open(io.BytesIO(png)) as image:
        dpi = image.info["dpi"][0]
    width_inches = figure["naturalWidth"] / dpi
    assert width_inches == pytest.approx(WIDTH_INCHES, abs=0.01), figure["id"]
    return FONT_POINTS / 72 * figure["width"] / width_inches


def short(url: str, length: int = 80) -> str:
    return url if len(url) <= length else url[:length] + "..."


def open_page(session: DevToolsSession, page: Path) -> int:
    """Load ``page`` from scratch; return the index of its first event."""
    for domain in ("Network", "Page", "Runtime", "Log"):
        session.send(f"{domain}.enable")
    session.send("Emulation.clearDeviceMetricsOverride")
    start = len(session.events)
    navigation = session.send("Page.navigate", {"url": page.as_uri()})
    assert "errorText" not in navigation, f"{page}: {navigation['errorText']}"
    session.wait_for_event("Page.loadEventFired", since=start)
    session.collect_events(SETTLE_SECONDS)
    return start


def foreign_requests(session: DevToolsSession, page_url: str, since: int) -> list[str]:
    """Requests for anything but the page itself and data: URIs."""
    requested = [
        event["request"]["url"]
        for event in session.events_named("Network.requestWillBeSent", since)
    ]
    return [
        short(url)
        for url in requested
        if url.split("#")[0] != page_url and not url.startswith(ALLOWED_SCHEMES)
    ]


def broken_images(session: DevToolsSession) -> tuple[int, list[str]]:
    """How many <img> the page has, and those that did not load and decode."""
    images = session.evaluate(IMAGES_JS)
    broken = [
        f"img #{image['index']} alt={image['alt']!r} src={short(image['src'])}"
        for image in images
        if not (image["complete"] and image["naturalWidth"] > 0)
    ]
    return len(images), broken


def console_errors(session: DevToolsSession, since: int) -> list[str]:
    """console.error calls, uncaught exceptions and error log entries."""
    errors = []
    for call in session.events_named("Runtime.consoleAPICalled", since):
        if call["type"] in ("error", "assert"):
            words = [
                str(a.get("value", a.get("description", ""))) for a in call["args"]
            ]
            errors.append(f"console.{call['type']}: {' '.join(words)}")
    for thrown in session.events_named("Runtime.exceptionThrown", since):
        details = thrown["exceptionDetails"]
        text = details.get("exception", {}).get("description", details["text"])
        errors.append(f"uncaught exception: {text}")
    for logged in session.events_named("Log.entryAdded", since):
        entry = logged["entry"]
        if entry["level"] == "error":
            errors.append(
                f"{entry['source']} error: {entry['text']} {entry.get('url', '')}"
            )
    return errors


def check_layout(
    session: DevToolsSession, viewport: Viewport, screenshot: Path
) -> Layout:
    """Emulate ``viewport``, list what does not fit, and save a full-page PNG."""
    session.send(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": viewport.width,
            "height": viewport.height,
            "deviceScaleFactor": viewport.scale,
            "mobile": viewport.mobile,
        },
    )
    session.evaluate(NEXT_FRAME_JS)
    layout = session.evaluate(LAYOUT_JS)
    problems = []
    if layout["innerWidth"] != viewport.width:
        problems.append(
            f"the layout viewport is {layout['innerWidth']} px wide, not the "
            f"device's {viewport.width} px (missing <meta name=viewport>?)"
        )
    # Not only innerWidth: a page without <meta name=viewport> widens the window
    # to its content on phones, and a desktop scrollbar narrows it.
    room = min(viewport.width, layout["innerWidth"], layout["clientWidth"])
    if layout["scrollWidth"] > room:
        problems.append(
            f"the page scrolls sideways: {layout['scrollWidth']} px of content "
            f"in {room} px"
        )
    for image in layout["images"]:
        if image["left"] < -0.5 or image["right"] > room + 0.5:
            problems.append(
                f"img #{image['index']} alt={image['alt']!r} spans "
                f"{image['left']:.0f}..{image['right']:.0f} px, outside {room} px"
            )
    if viewport.mobile:
        for text in layout["text"]:
            if text["px"] < MIN_BODY_TEXT_PX:
                problems.append(
                    f"<{text['tag']}> {text['excerpt']!r} is set in {text['px']} px, "
                    f"under {MIN_BODY_TEXT_PX} px"
                )
    content = session.evaluate(CONTENT_JS)
    problems += [
        f"{element} reaches past the window's right edge (only tables may scroll)"
        for element in content["overflowing"]
    ]
    # The whole page, and the window's full width even beside a desktop scrollbar.
    page_area = {
        "x": 0,
        "y": 0,
        "width": max(viewport.width, layout["scrollWidth"]),
        "height": layout["scrollHeight"],
        "scale": 1,
    }
    shot = session.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": page_area},
        timeout=SCREENSHOT_TIMEOUT,
    )
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    zoom = session.evaluate(ZOOM_JS) if content["figures"] else {}
    session.send("Emulation.clearDeviceMetricsOverride")
    return Layout(
        viewport,
        problems,
        screenshot,
        layout["scrollHeight"],
        figures=content["figures"],
        formulas=content["formulas"],
        visible_text=content["text"],
        tables=content["tables"],
        zoom=zoom,
    )


def inspect_page(
    session: DevToolsSession, page: Path, screenshot_dir: Path
) -> PageFindings:
    """Every check of this module on one page, screenshots included."""
    start = open_page(session, page)
    image_count, broken = broken_images(session)
    findings = PageFindings(
        url=page.as_uri(),
        image_count=image_count,
        foreign_requests=[],
        broken_images=broken,
        console_errors=[],
    )
    for viewport in VIEWPORTS:
        screenshot = screenshot_dir / f"{page.stem}-{viewport.name}.png"
        findings.layouts[viewport.name] = check_layout(session, viewport, screenshot)
    # Last, so requests and errors caused by the other viewports count too.
    session.collect_events(SETTLE_SECONDS)
    findings.foreign_requests = foreign_requests(session, findings.url, start)
    findings.console_errors = console_errors(session, start)
    return findings


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG whose chunks and pixel data all check out."""
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{path} is not a PNG"
    chunks, position = [], len(PNG_SIGNATURE)
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(
            ">I", data[position + 8 + length : position + 12 + length]
        )
        assert zlib.crc32(kind + body) == crc, f"{path}: corrupt {kind!r} chunk"
        chunks.append((kind, body))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND", f"{path}: truncated"
    width, height, depth, colour, _, _, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert interlace == 0, f"{path}: interlaced, unlike Chromium's screenshots"
    row = 1 + math.ceil(width * PNG_CHANNELS[colour] * depth / 8)
    assert len(pixels) == height * row, f"{path}: pixel data does not fill the image"
    return width, height


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the whole module."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install chromium; CI installs it), "
            "or set EIGENINIT_SKIP_BROWSER=1 to skip the browser tests"
        )
    with chromium_page() as session:
        yield session


@pytest.fixture(scope="module")
def report(browser, workdir) -> PageFindings:
    """The workflow's write-up, inspected once; screenshots copied to the checkout."""
    results = workdir / "results"
    findings = inspect_page(browser, results / "report.html", results / "screenshots")
    PROJECT_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for layout in findings.layouts.values():
        shutil.copy(layout.screenshot, PROJECT_SCREENSHOTS / layout.screenshot.name)
    return findings


def test_report_requests_nothing_but_itself_and_data_uris(report):
    assert report.foreign_requests == [], (
        "the write-up must be self-contained, yet it requested:\n"
        + "\n".join(report.foreign_requests)
    )


def test_every_report_image_loads_and_decodes(report):
    assert report.image_count > 0, "the write-up shows no figure at all"
    assert report.broken_images == [], "\n".join(report.broken_images)


def test_report_logs_no_console_errors(report):
    assert report.console_errors == [], "\n".join(report.console_errors)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_report_layout_holds(report, viewport):
    layout = report.layouts[viewport.name]
    assert layout.problems == [], (
        f"at {viewport.name} width ({viewport.width} px):\n"
        + "\n".join(layout.problems)
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_report_screenshots_are_full_width_pngs(report, viewport):
    layout = report.layouts[viewport.name]
    screenshot = layout.screenshot
    assert screenshot.name == f"report-{viewport.name}.png"
    assert screenshot.stat().st_size > 0, f"{screenshot} is empty"
    width, height = png_size(screenshot)
    assert width == viewport.width * viewport.scale
    assert height == layout.page_height * viewport.scale, "not the whole page"
    assert png_size(PROJECT_SCREENSHOTS / screenshot.name) == (width, height)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_figure_text_is_readable(report, viewport):
    figures = report.layouts[viewport.name].figures
    assert figures, "no figure is shown"
    small = [
        f"{figure['id']}: {figure_text_px(figure):.1f} px"
        for figure in figures
        if figure_text_px(figure) < MIN_FIGURE_TEXT_PX
    ]
    assert not small, (
        f"figure text under {MIN_FIGURE_TEXT_PX} px at {viewport.name} width:\n"
        + "\n".join(small)
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_figures_open_at_full_size(report, viewport):
    zoom = report.layouts[viewport.name].zoom
    assert zoom["hash"].endswith("-full") and zoom["position"] == "fixed"
    assert (zoom["left"], zoom["top"]) == (0, 0)
    assert (zoom["width"], zoom["height"]) == (zoom["roomWidth"], zoom["roomHeight"])
    assert zoom["closeShown"]
    # At least the PNG's own pixels, and larger than in the text column.
    assert zoom["after"] >= zoom["naturalWidth"] - 0.5
    assert zoom["after"] >= zoom["before"]
    assert zoom["closedPosition"] != "fixed" and not zoom["closedHash"].endswith(
        "-full"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda viewport: viewport.name)
def test_math_is_typeset(report, viewport):
    layout = report.layouts[viewport.name]
    assert len(layout.formulas) > 20
    for formula in layout.formulas:
        assert formula["width"] > 0 and formula["height"] > 0, formula
        assert "math" in formula["display"], formula
    shown_raw = [raw for raw in RAW_MATH if raw in layout.visible_text]
    assert not shown_raw, f"raw math in the text: {shown_raw}"


MAX_SCROLLING_TABLES_ON_A_PHONE = 2
"""The raw matrix and the full experiments list may scroll; others must fit."""


def test_tables_fit_the_text_column_at_desktop_width(report):
    tables = report.layouts["desktop"].tables
    assert tables, "no table measured"
    wide = [
        f"{t['name']!r}: {t['width']:.0f} px in a {t['column']:.0f} px column"
        for t in tables
        if t["width"] > t["column"] + 0.5
    ]
    assert not wide, "\n".join(wide)


def test_at_most_two_tables_scroll_on_a_phone_and_none_is_cut(report):
    for layout in report.layouts.values():
        cut = [f"{t['name']!r}: {t['cut']} cells" for t in layout.tables if t["cut"]]
        assert not cut, f"{layout.viewport.name}: text cut off in\n" + "\n".join(cut)
    scrolling = [t["name"] for t in report.layouts["phone"].tables if t["scrolls"]]
    assert len(scrolling) <= MAX_SCROLLING_TABLES_ON_A_PHONE, scrolling


ONE_PIXEL_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk"
    "YAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
BROKEN_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Deliberately broken</title></head>
<body style="font-size: 12px">
<p>Every problem the browser checks must find.</p>
<img src="https://example.com/x.png" alt="external">
<img src="data:image/png;base64,bm90IGEgcG5n" alt="undecodable">
<img src="{ONE_PIXEL_PNG}" alt="oversized" style="width: 1500px">
<div class="table-scroll" style="overflow-x: auto"><table><tr>
<td style="white-space: nowrap">{"a wide table " * 40}</td>
<td style="max-width: 20px; overflow: hidden; white-space: nowrap">a cut cell</td>
</tr></table></div>
<script>console.error("deliberate console error")</script>
<script>throw new Error("deliberate exception")</script>
</body></html>
"""


def test_checks_catch_a_broken_page(browser, tmp_path):
    """The same checks, on a page with one of each problem, must report each."""
    page = tmp_path / "broken.html"
    page.write_text(BROKEN_PAGE)
    findings = inspect_page(browser, page, tmp_path / "screenshots")

    assert findings.foreign_requests == ["https://example.com/x.png"]
    assert findings.image_count == 3
    assert [problem.split()[2] for problem in findings.broken_images] == [
        "alt='external'",
        "alt='undecodable'",
    ]
    errors = "\n".join(findings.console_errors)
    assert "console.error: deliberate console error" in errors
    assert "uncaught exception: Error: deliberate exception" in errors

    phone = "\n".join(findings.layouts["phone"].problems)
    assert "missing <meta name=viewport>" in phone
    assert "the page scrolls sideways" in phone
    assert "img #2 alt='oversized'" in phone
    assert "is set in 12 px" in phone
    desktop = "\n".join(findings.layouts["desktop"].problems)
    assert "the page scrolls sideways" in desktop
    assert "img #2 alt='oversized'" in desktop
    assert "px, under" not in desktop, "font sizes are judged at phone width only"
    [table] = findings.layouts["desktop"].tables
    assert table["width"] > table["column"] and table["cut"] == 1
    assert findings.layouts["phone"].tables[0]["scrolls"]
    for layout in findings.layouts.values():
        width, _ = png_size(layout.screenshot)
        # A full-page capture of a page that overflows is wider than the device.
        assert width > layout.viewport.width * layout.viewport.scale
