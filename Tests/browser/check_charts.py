"""Checks dxmap's charts and reports in Chromium, as a reader sees them.

For every SVG file and every report.html under OUTPUTS (each page opened from disk in headless Chromium, driven
through the system's chromium-driver by Selenium):

- no two text labels' boxes, as the browser lays them out, overlap (a label's halo may touch another's), and no
  whisker or threshold line crosses a matrix label (it would read as dotted text);
- every text lies inside its picture, and every entity has a visible label: each service, role or organisation of
  matrix.csv is named on the matrix (or numbered, with the number on the chart and the name in the key below);
  every policy, programme, parameter or restricted input is named on its chart;
- no attribute of any element holds NaN or infinity, and the report's text shows none;
- no request leaves the page (the browser's resource timing list is empty, and the report forbids requests in its
  Content-Security-Policy);
- the report's tables sort when a header is clicked, and the report prints to PDF, every table within A4's width.

Screenshots (PNG) and the printed reports (PDF) go to SCREENSHOTS. Exits non-zero listing every failure.

Usage: check_charts.py OUTPUTS SCREENSHOTS
"""

import base64
import csv
import re
import sys
import time
from html import unescape
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

# Everything the page's script measures, in one round trip: per inline or top-level <svg>, each visible text's box
# and content, the svg's own box, and every attribute holding NaN or infinity.
MEASURE = """
const out = [];
const svgs = document.querySelectorAll('svg');
svgs.forEach((svg, index) => {
  const frame = svg.getBoundingClientRect();
  const texts = [];
  svg.querySelectorAll('text').forEach(t => {
    const content = t.textContent.trim();
    if (!content) return;
    const r = t.getBoundingClientRect();
    const style = getComputedStyle(t);
    if (style.visibility === 'hidden' || style.display === 'none' || r.width === 0) return;
    texts.push({text: content, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
  });
  const bad = [];
  svg.querySelectorAll('*').forEach(e => {
    for (const a of e.attributes) {
      if (/NaN|Infinity|\\binf\\b/i.test(a.value)) bad.push(e.tagName + ' ' + a.name + '="' + a.value.slice(0, 60) + '"');
    }
  });
  const bubbles = Array.from(svg.querySelectorAll('circle.bubble')).map(c => c.getAttribute('data-entity'));
  const box = e => { const r = e.getBoundingClientRect(); return {text: e.textContent.trim(), x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  const labels = Array.from(svg.querySelectorAll('text.label')).map(box);
  const marks = Array.from(svg.querySelectorAll('line.whisker, line.threshold')).map(box);
  out.push({index, frame: {x0: frame.left, y0: frame.top, x1: frame.right, y1: frame.bottom}, texts, bad, bubbles, labels, marks});
});
return {svgs: out, resources: performance.getEntriesByType('resource').map(e => e.name),
        body: document.body ? document.body.innerText : ''};
"""

# Two boxes overlap when they share more than this many pixels each way (a rounding margin).
SLACK = 1.0


def overlaps(a, b):
    return min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > SLACK and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > SLACK


def crosses(label, line):
    """Whether a (horizontal or vertical) line passes through a label's box, not just along its edge."""
    return line["x0"] <= label["x1"] - SLACK and line["x1"] >= label["x0"] + SLACK \
        and line["y0"] <= label["y1"] - SLACK and line["y1"] >= label["y0"] + SLACK


def check_svg(name, svg, failures):
    """Overlaps, texts outside the picture, labels crossed by a whisker or threshold, and non-finite attributes of
    one drawn SVG."""
    texts, frame = svg["texts"], svg["frame"]
    for label in svg["labels"]:
        for line in svg["marks"]:
            if crosses(label, line):
                failures.append(f"{name}: a line crosses the label {label['text'][:40]!r}")
                break
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if overlaps(a, b):
                failures.append(f"{name}: labels overlap: {a['text'][:40]!r} and {b['text'][:40]!r}")
        if a["x0"] < frame["x0"] - SLACK or a["x1"] > frame["x1"] + SLACK or a["y0"] < frame["y0"] - SLACK \
                or a["y1"] > frame["y1"] + SLACK:
            failures.append(f"{name}: label outside the picture: {a['text'][:40]!r}")
    for b in svg["bad"]:
        failures.append(f"{name}: non-finite attribute: {b}")


def named(texts, name):
    """Whether `name` is shown: whole, or cut with an ellipsis (at least its first 20 characters)."""
    for t in texts:
        if t == name or (t.endswith("…") and name.startswith(t[:-1]) and len(t) > min(20, len(name))):
            return True
    return False


def key_numbers(texts):
    """The key under a crowded chart ("Numbered: 1 Name · 2 Name"): each name's number."""
    numbers = {}
    for t in texts:
        for part in t.removeprefix("Numbered: ").split(" · "):
            number, _, name = part.partition(" ")
            if number.isdigit() and name:
                numbers[name] = number
    return numbers


def check_entities(name, texts, entities, failures):
    """Every entity named on its chart, or numbered: its number drawn on the chart and its name in the key."""
    numbers = key_numbers(texts)
    for entity in entities:
        if named(texts, entity) or numbers.get(entity) in texts:
            continue
        failures.append(f"{name}: no visible label for {entity!r}")


def expected_names(path):
    """What must be named on the chart at `path`, from the files beside it."""
    folder = path.parent
    if path.name == "matrix.svg":
        with open(folder / "matrix.csv", newline="") as f:
            return [row["name"] for row in csv.DictReader(f)]
    if path.name == "redeploy.svg":
        return []  # policies are the panels' titles, checked below
    if path.name in ("morris.svg", "tornado.svg"):
        with open(folder / "sensitivity.csv", newline="") as f:
            return sorted({row["parameter"] for row in csv.DictReader(f)})
    if path.name == "voi.svg":
        # The inputs drawn (worth something to the headline decision: the portfolio, or the one decision), and each
        # pilot by its id.
        with open(folder / "voi.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        decisions = [r["decision"] for r in rows if r["section"] == "evpi"]
        head = "portfolio" if "portfolio" in decisions else decisions[-1]
        worth = sorted((r for r in rows if r["section"] == "evppi" and r["decision"] == head and float(r["value"]) > 0),
                       key=lambda r: -float(r["value"]))
        return [r["input"] for r in worth[:15]]
    if path.name.startswith("prim") and path.suffix == ".svg":
        search = "1" if path.name == "prim.svg" else path.stem.removeprefix("prim-")
        with open(folder / "boxes.csv", newline="") as f:
            return sorted({row["parameter"] for row in csv.DictReader(f)
                           if row["chosen"] == "true" and row["parameter"] and row["search"] == search})
    if path.name == "equality.svg":
        with open(folder / "equality.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        return list(dict.fromkeys([r["dimension"] for r in rows] + [r["group"] for r in rows]))
    if path.name == "regret.svg":
        with open(folder / "robustness.csv", newline="") as f:
            return sorted({row["option"] for row in csv.DictReader(f)})
    if path.name == "envelopes.svg":
        with open(folder / "envelopes.csv", newline="") as f:
            return sorted({row["series"] for row in csv.DictReader(f)})
    if path.name == "scatter.svg":
        with open(folder / "correlations.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        return sorted({r["parameter"] + (" (lever)" if r["kind"] == "lever" else "") for r in rows})
    return []


def first_column(report):
    """The names in the first column of the report's tables (the comparison, the people, the programmes): the
    policies or programmes a chart must name. A comparison leaves the name blank on an option's later rows."""
    html = report.read_text()
    # "Who bears it" lists groups, not policies; its own chart (equality.svg) is checked against equality.csv.
    html = html.split("<h2>Who bears it")[0]
    cells = re.findall(r'<tr><td class="text">([^<]*)</td>', html)
    return list(dict.fromkeys(unescape(c) for c in cells if c))


PRINT_WIDTH = 718  # A4 less Chrome's default print margins, in CSS pixels


def check_print(label, driver, failures):
    """Laid out for print at A4's width: no table wider than the page (a cut column carries no mark), and the
    screen's sorting hint not printed."""
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": PRINT_WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    try:
        found = driver.execute_script("""
            var wide = [];
            document.querySelectorAll('div.table').forEach(function (div) {
              var t = div.querySelector('table');
              if (t.scrollWidth > div.clientWidth + 1) wide.push((t.caption ? t.caption.textContent : '?') + ': ' + t.scrollWidth + ' px');
            });
            var hints = [].slice.call(document.querySelectorAll('caption .noprint')).filter(function (s) { return s.offsetParent !== null; });
            return {wide: wide, hints: hints.length, page: document.documentElement.scrollWidth};""")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    for table in found["wide"]:
        failures.append(f"{label}: printed on A4, a table is wider than the page ({table})")
    if found["page"] > PRINT_WIDTH + 1:
        failures.append(f"{label}: printed on A4, the page is {found['page']} px wide for {PRINT_WIDTH}")
    if found["hints"]:
        failures.append(f"{label}: the print shows the screen's sorting hint")


def main():
    outputs, shots = Path(sys.argv[1]), Path(sys.argv[2])
    shots.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1000",
                 "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-background-networking"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    failures, checked = [], 0
    started = time.time()
    try:
        files = sorted(outputs.rglob("*.svg")) + sorted(outputs.rglob("report.html"))
        for path in files:
            label = str(path.relative_to(outputs))
            driver.get(path.as_uri())
            found = driver.execute_script(MEASURE)
            checked += 1
            if found["resources"]:
                failures.append(f"{label}: the page requested {found['resources'][:3]}")
            if not found["svgs"]:
                failures.append(f"{label}: no chart drawn")
            for svg in found["svgs"]:
                check_svg(f"{label} (chart {svg['index'] + 1})", svg, failures)
            texts = [t["text"] for svg in found["svgs"] for t in svg["texts"]]
            if path.suffix == ".svg":
                check_entities(label, texts, expected_names(path), failures)
                if path.name == "matrix.svg" and len(found["svgs"][0]["bubbles"]) != len(expected_names(path)):
                    failures.append(f"{label}: {len(found['svgs'][0]['bubbles'])} bubbles for {len(expected_names(path))} entities")
                if path.name in ("redeploy.svg", "adoption.svg"):
                    check_entities(label, texts, first_column(path.parent / "report.html"), failures)
                driver.save_screenshot(str(shots / (label.replace("/", "_").removesuffix(".svg") + ".png")))
            else:
                body = found["body"]
                for word in ("NaN", "Infinity", " inf "):
                    if word in body:
                        failures.append(f"{label}: the report's text shows {word.strip()!r}")
                csp = driver.find_elements(By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]')
                if not csp or "default-src 'none'" not in csp[0].get_attribute("content"):
                    failures.append(f"{label}: no Content-Security-Policy forbidding requests")
                check_sorting(label, driver, failures)
                check_print(label, driver, failures)
                pdf = driver.print_page()
                (shots / (label.replace("/", "_").removesuffix(".html") + ".pdf")).write_bytes(base64.b64decode(pdf))
                driver.set_window_size(1100, 1000)
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(1100, min(height, 6000))
                driver.save_screenshot(str(shots / (label.replace("/", "_").removesuffix(".html") + ".png")))
                driver.set_window_size(1100, 1000)
    finally:
        driver.quit()
    print(f"check_charts: {checked} pages in {time.time() - started:.1f} s; screenshots in {shots}", file=sys.stderr)
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    sys.exit(1 if failures else 0)


SORT_KEYS = "return Array.from(arguments[0].tBodies[0].rows).map(r => r.cells[arguments[1]].getAttribute('data-sort'))"


def check_sorting(label, driver, failures):
    """Clicks the first numeric header whose column holds at least two numbers, twice: the rows must sort ascending
    (numbers first), then descending."""
    for table in driver.find_elements(By.CSS_SELECTOR, "table.sortable"):
        for th in table.find_elements(By.CSS_SELECTOR, "thead th.num"):
            column = int(driver.execute_script("return arguments[0].cellIndex", th))
            if sum(k is not None for k in driver.execute_script(SORT_KEYS, table, column)) < 2:
                continue
            th.click()
            after = driver.execute_script(SORT_KEYS, table, column)
            numbers = [float(k) for k in after if k is not None]
            if numbers != sorted(numbers) or after[:len(numbers)] != [k for k in after if k is not None]:
                failures.append(f"{label}: clicking {th.text!r} does not sort ascending, numbers first: {after[:6]}")
            th.click()
            again = [float(k) for k in driver.execute_script(SORT_KEYS, table, column) if k is not None]
            if again != sorted(numbers, reverse=True):
                failures.append(f"{label}: clicking {th.text!r} again does not sort descending")
            return

if __name__ == "__main__":
    main()
