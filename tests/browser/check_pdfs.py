"""Checks the worksheets Chromium printed to PDF, with poppler-utils.

Prints one `ok: …` or `FAIL: …` line per check (run.sh counts them) and
a few figures (`info: …`). Exits 1 when a check failed.
"""

import argparse
import html
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

# Page sizes in PostScript points, as pdfinfo reports them (rounded).
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}

# Screen chrome that must not be printed.
CHROME_TEXTS = [
    "Skip to main content",
    "Print this worksheet",
    "Print all",
    "Subscribe to new guides",
    "Back to day",
]

failures = 0


def check(condition: bool, what: str, detail: str = "") -> bool:
    global failures
    if condition:
        print(f"ok: {what}")
    else:
        failures += 1
        print(f"FAIL: {what}" + (f" — {detail}" if detail else ""))
    return condition


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def normalize(text: str) -> str:
    """Text as compared: straight quotes dropped, `…` as `...`, one space."""
    text = text.replace("…", "...").replace("’", "'").replace("‘", "'")
    text = re.sub(r"[\"“”„«»]", "", text)
    return " ".join(text.split()).lower()


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    info = run("pdfinfo", "-f", "1", "-l", str(page_count(pdf)), str(pdf))
    return [
        (round(float(w)), round(float(h)))
        for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    ]


def page_texts(pdf: Path) -> list[str]:
    return [
        run("pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-")
        for n in range(1, page_count(pdf) + 1)
    ]


def first_lines(text: str, count: int) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:count])


def sheet_titles(page_html: str) -> list[str]:
    """Titles of the worksheets of a built page, in order."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(r'<h\d class="worksheet-title"[^>]*>(.*?)</h\d>', page_html)
    ]


def prompt_blocks(page_html: str) -> list[str]:
    """Each prompt of a built page, from its `<div class="prompt …">` to the
    next one."""
    return page_html.split('<div class="prompt prompt-')[1:]


def ruled_rows_expected(page_html: str) -> int:
    """Rows of answer lines a worksheet page should print: the two partner
    areas of a prompt stand side by side, so they share rows."""
    rows = 0
    for block in prompt_blocks(page_html):
        block = block.split("</article>")[0]
        lines = block.count('class="answer-line"')
        rows += lines // 2 if ">Partner A</p>" in block else lines
    return rows


def ruled_rows_printed(pdf: Path) -> int:
    """Horizontal rules of at least 30% of the page width, found in a 72 dpi
    greyscale rendering of each page (runs of neighbouring rows merged)."""
    rules = 0
    with tempfile.TemporaryDirectory() as folder:
        run("pdftoppm", "-r", "72", "-gray", str(pdf), f"{folder}/page")
        for image in sorted(Path(folder).glob("page-*.pgm")):
            width, height, pixels = read_pgm(image)
            previous = False
            for y in range(height):
                row = pixels[y * width : (y + 1) * width]
                longest = run_length = 0
                for value in row:
                    run_length = run_length + 1 if value < 200 else 0
                    longest = max(longest, run_length)
                is_rule = longest >= 0.3 * width
                if is_rule and not previous:
                    rules += 1
                previous = is_rule
    return rules


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    # P5 <width> <height> <maxval> then one byte per pixel.
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(fields.group(1)), int(fields.group(2))
    return width, height, data[fields.end() :]


def day_one_markdown(source: Path) -> str:
    """Day 1 of a journey folder: its `## Day 1:` section of journey.md, or
    the day file whose front matter says `day: 1`."""
    journey = (source / "journey.md").read_text(encoding="utf-8")
    section = re.search(r"(?ms)^## Day 1:.*?(?=^## |\Z)", journey)
    if section:
        return section.group(0)
    for day_file in sorted(source.glob("*.md")):
        text = day_file.read_text(encoding="utf-8")
        if re.search(r"(?m)^day:\s*1\s*$", text):
            return text
    raise SystemExit(f"no Day 1 in {source}")


def prompts_of(markdown: str, sections: list[str]) -> list[str]:
    """The sentence stems and questions of the worksheet sections: list
    items ending in `...`, `…` or `?` (quotes aside), or wholly quoted."""
    wanted = [re.sub(r"\W", "", name).lower() for name in sections]
    prompts = []
    taking = False
    for line in markdown.splitlines():
        heading = re.match(r"^(#{2,6})\s+(.*)", line)
        if heading:
            key = re.sub(r"\W", "", heading.group(2)).lower()
            taking = any(key.startswith(name) for name in wanted)
            continue
        item = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(.*\S)", line)
        if not (taking and item):
            continue
        text = re.sub(r"[*_`]", "", item.group(1))
        bare = text.rstrip("\"'”’ ")
        quoted = text[:1] in "\"“" and text[-1:] in "\"”"
        if bare.endswith(("...", "…", "?")) or quoted:
            prompts.append(text)
    return prompts


def check_starts(name: str, pdf: Path, titles: list[str]) -> None:
    """Every worksheet of a bundle begins a page, in order."""
    texts = page_texts(pdf)
    check(
        len(texts) >= len(titles),
        f"{name}: at least one page per day ({len(texts)} pages, {len(titles)} days)",
    )
    starts = []
    for title in titles:
        page = next(
            (n for n, text in enumerate(texts) if normalize(title) in normalize(first_lines(text, 4))),
            None,
        )
        starts.append(page)
    missing = [t for t, p in zip(titles, starts) if p is None]
    check(not missing, f"{name}: each day's header begins a page", f"not at a page top: {missing}")
    found = [p for p in starts if p is not None]
    check(
        found == sorted(found) and len(set(found)) == len(found),
        f"{name}: days start on distinct pages, in order",
        f"start pages {[p + 1 for p in found]}",
    )
    print(f"info: {name}: day start pages {[p + 1 for p in found]}")


def check_common(name: str, pdf: Path, paper: str) -> None:
    texts = page_texts(pdf)
    empty = [n + 1 for n, text in enumerate(texts) if not text.strip()]
    check(not empty, f"{name}: no empty page", f"empty pages {empty}")
    sizes = page_sizes(pdf)
    expected = PAPER_POINTS[paper.lower()]
    check(
        sizes and all(size == expected for size in sizes),
        f"{name}: every page is {paper} ({expected[0]}x{expected[1]} pt)",
        f"sizes {sorted(set(sizes))}",
    )
    all_text = " ".join(texts)
    chrome = [text for text in CHROME_TEXTS if text.lower() in all_text.lower()]
    check(not chrome, f"{name}: no screen chrome printed", f"found {chrome}")
    print(f"info: {name}: {len(texts)} pages of {sizes[0][0]}x{sizes[0][1]} pt")


# Page margins of worksheet.css, in mm: the running header and footer
# print in them, the content between.
MARGIN_TOP_MM = 18
MARGIN_BOTTOM_MM = 16


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def page_fills(pdf: Path, dpi: int = 50) -> list[float]:
    """For each page, how far down its content area (between the top and
    bottom margins) the lowest printed row is, 0–1, from a greyscale
    rendering (`pdftoppm -r 50`)."""
    fills = []
    with tempfile.TemporaryDirectory() as folder:
        run("pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{folder}/page")
        for image in sorted(Path(folder).glob("page-*.pgm")):
            width, height, pixels = read_pgm(image)
            top = round(MARGIN_TOP_MM / 25.4 * dpi)
            bottom = height - round(MARGIN_BOTTOM_MM / 25.4 * dpi)
            lowest = top
            for y in range(top, bottom):
                if min(pixels[y * width : (y + 1) * width]) < 160:
                    lowest = y
            fills.append((lowest - top) / (bottom - top))
    return fills


def renderings(pdf: Path, dpi: int = 30) -> list[bytes]:
    with tempfile.TemporaryDirectory() as folder:
        run("pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{folder}/page")
        return [read_pgm(image)[2] for image in sorted(Path(folder).glob("page-*.pgm"))]


def check_same_print(name: str, pdf: Path, reference: Path) -> None:
    """`pdf` prints as `reference` does: as many pages, and (rendered in
    grey at 30 dpi) at most 0.1% of the pixels different."""
    pages, expected = renderings(pdf), renderings(reference)
    different = sum(
        sum(a != b for a, b in zip(page, other)) + abs(len(page) - len(other))
        for page, other in zip(pages, expected)
    )
    total = sum(len(page) for page in expected) or 1
    check(
        len(pages) == len(expected) and different / total <= 0.001,
        f"{name}: prints black on white, as from light mode ({len(pages)} pages, {different} of {total} pixels differ)",
    )


def check_partner_labels(name: str, pdf: Path, page_html: str) -> None:
    """Both partner labels print once for every prompt that has them."""
    text = normalize(run("pdftotext", str(pdf), "-"))
    expected = sum(">Partner A</p>" in block for block in prompt_blocks(page_html))
    check(expected > 0, f"{name}: has prompts with a space per partner ({expected})")
    for partner in ("partner a", "partner b"):
        count = text.count(partner)
        check(
            count == expected,
            f"{name}: “{partner}” printed for each of {expected} prompts ({count})",
        )


def check_running_heads(name: str, pdf: Path, journey: str, skip: int) -> list[int]:
    """Every page after the first `skip` (cover, contents) starts with the
    running header (journey · week …) and ends with `Page N of M`. Returns
    the pages (from 0) whose header names a day."""
    texts = page_texts(pdf)
    total = len(texts)
    bare, unnumbered, day_pages = [], [], []
    for n, text in enumerate(texts[skip:], start=skip):
        lines = lines_of(text)
        head = normalize(lines[0]) if lines else ""
        if not (head.startswith(normalize(journey)) and "week" in head):
            bare.append(n + 1)
        if not lines or not re.search(rf"Page {n + 1} of {total}$", lines[-1]):
            unnumbered.append(n + 1)
        if re.search(r"· day \d+", head):
            day_pages.append(n)
    check(not bare, f"{name}: pages {skip + 1}–{total} carry the running header", f"missing on {bare}")
    check(not unnumbered, f"{name}: pages {skip + 1}–{total} carry “Page N of {total}”", f"missing on {unnumbered}")
    return day_pages


def check_fill(name: str, pdf: Path, pages: list[int]) -> None:
    """No worksheet page is mostly blank: its lowest printed row is at
    least 60% of the way down."""
    fills = page_fills(pdf)
    chosen = [(n, fills[n]) for n in pages]
    low = [(n + 1, round(f, 2)) for n, f in chosen if f < 0.6]
    check(bool(chosen) and not low, f"{name}: no worksheet page is more than 40% blank", f"low pages {low}")
    if chosen:
        figures = ", ".join(f"{n + 1}:{f:.0%}" for n, f in chosen)
        print(f"info: {name}: fill of worksheet pages {figures} (min {min(f for _, f in chosen):.0%})")


def starts_part(lines: list[str], part: str) -> bool:
    """Whether a page begins `part`: a week's divider (`week 2`: its
    running header names the week and no day) or a day (its title in the
    first lines, under the running header)."""
    if not lines:
        return False
    head = normalize(lines[0])
    if part.startswith("week "):
        return re.search(rf"· {part}(:|$)", head) is not None and "· day " not in head
    return normalize(part) in normalize(" ".join(lines[1:4]))


def check_workbook(name: str, pdf: Path, page_html: str, journey: str, paper: str) -> None:
    """A journey bundle: cover, contents, then each week's divider before
    its days; running heads, page numbers and fill after the contents."""
    check_common(name, pdf, paper)
    texts = page_texts(pdf)
    cover = normalize(texts[0])
    check(
        normalize(journey) in cover and "workbook" in cover and "page 1 of" not in cover,
        f"{name}: page 1 is the cover (title, no header or page number)",
    )
    contents = lines_of(texts[1])
    check(bool(contents) and contents[0] == "Contents", f"{name}: page 2 is the contents")
    weeks = [html.unescape(w) for w in re.findall(r'<li>\s*<a href="#week-\d+">(.*?)</a>', page_html)]
    missing = [w for w in weeks if normalize(w) not in normalize(texts[1])]
    check(bool(weeks) and not missing, f"{name}: contents list every week ({len(weeks)})", f"missing {missing}")
    day_pages = check_running_heads(name, pdf, journey, skip=2)
    # Each week's divider page, then its days, in order.
    order = []
    for match in re.finditer(r'<header class="workbook-divider" id="week-(\d+)">|<h\d class="worksheet-title"[^>]*>(.*?)</h\d>', page_html):
        order.append(("week " + match.group(1)) if match.group(1) else html.unescape(match.group(2)))
    starts = [
        next((n for n, text in enumerate(texts) if n >= 2 and starts_part(lines_of(text), part)), None)
        for part in order
    ]
    missing = [t for t, p in zip(order, starts) if p is None]
    found = [p for p in starts if p is not None]
    check(
        not missing and found == sorted(found) and len(set(found)) == len(found),
        f"{name}: each week's divider, then its days, each starting a page in order",
        f"missing {missing}, start pages {[p + 1 for p in found]}",
    )
    print(f"info: {name}: {len(texts)} pages; dividers and days start on {[p + 1 for p in found]}")
    check_partner_labels(name, pdf, page_html)
    check_fill(name, pdf, day_pages)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--paper", required=True)
    parser.add_argument("--journey-source", type=Path, required=True)
    parser.add_argument("--day", type=Path, required=True)
    parser.add_argument("--week", type=Path, required=True)
    parser.add_argument("--journey", type=Path, required=True)
    parser.add_argument("--letter-day", type=Path, required=True)
    parser.add_argument("--letter-journey", type=Path, required=True)
    parser.add_argument("--fixture-site", type=Path, required=True)
    parser.add_argument("--long-day", type=Path, required=True)
    parser.add_argument("--guide", type=Path, required=True)
    parser.add_argument("--dark-week", type=Path, required=True)
    args = parser.parse_args()

    journey = "journeys/deepening-intimacy"
    title = "Deepening Intimacy"
    pdfs = (
        args.day, args.week, args.journey, args.letter_day, args.letter_journey,
        args.long_day, args.guide, args.dark_week,
    )
    for pdf in pdfs:
        if not pdf.is_file() or pdf.stat().st_size == 0:
            check(False, f"{pdf.name} was printed")
            return 1

    # Day 1: one or two sheets of the configured paper, every prompt on it.
    check_common("day 1", args.day, args.paper)
    pages = page_count(args.day)
    check(1 <= pages <= 2, f"day 1: fits on 1-2 pages ({pages})")
    config = tomllib.loads(Path("site.toml").read_text(encoding="utf-8"))
    sections = config.get("worksheets", {}).get(
        "sections", ["Today's Activity", "Reflection Questions"]
    )
    prompts = prompts_of(day_one_markdown(args.journey_source), sections)
    check(len(prompts) >= 2, f"day 1: prompts found in its Markdown ({len(prompts)})")
    day_text = normalize(run("pdftotext", str(args.day), "-"))
    missing = [p for p in prompts if normalize(p) not in day_text]
    check(not missing, f"day 1: all {len(prompts)} prompts are in the PDF text", f"missing {missing}")
    day_html = (args.site / journey / "day-1/worksheet/index.html").read_text(encoding="utf-8")
    check_partner_labels("day 1", args.day, day_html)
    expected_rows = ruled_rows_expected(day_html)
    printed_rows = ruled_rows_printed(args.day)
    check(
        expected_rows > 0 and printed_rows >= expected_rows,
        f"day 1: answer lines print ({printed_rows} rules for {expected_rows} rows of lines)",
    )
    day_pages = check_running_heads("day 1", args.day, title, skip=0)
    check_fill("day 1", args.day, day_pages)

    # The same sheet on Letter, from a copy of the site with paper = "Letter".
    check_common("day 1 on Letter", args.letter_day, "Letter")
    pages = page_count(args.letter_day)
    check(1 <= pages <= 2, f"day 1 on Letter: fits on 1-2 pages ({pages})")
    day_pages = check_running_heads("day 1 on Letter", args.letter_day, title, skip=0)
    check_fill("day 1 on Letter", args.letter_day, day_pages)

    # The week's bundle: its divider, then a new page for every day.
    week_html = (args.site / journey / "week-1/worksheets/index.html").read_text(encoding="utf-8")
    check_common("week 1 bundle", args.week, args.paper)
    titles = sheet_titles(week_html)
    check(len(titles) >= 2, f"week 1 bundle: has several worksheets ({len(titles)})")
    check_starts("week 1 bundle", args.week, titles)
    check(
        starts_part(lines_of(page_texts(args.week)[0]), "week 1"),
        "week 1 bundle: page 1 is the week's divider",
    )
    check_same_print("week 1 bundle from dark mode", args.dark_week, args.week)
    day_pages = check_running_heads("week 1 bundle", args.week, title, skip=0)
    check_partner_labels("week 1 bundle", args.week, week_html)
    check_fill("week 1 bundle", args.week, day_pages)

    # The journey's bundle, a workbook on both papers.
    journey_html = (args.site / journey / "worksheets/index.html").read_text(encoding="utf-8")
    check_workbook("journey workbook", args.journey, journey_html, title, args.paper)
    letter_html = (args.site / "letter" / journey / "worksheets/index.html").read_text(encoding="utf-8")
    check_workbook("journey workbook on Letter", args.letter_journey, letter_html, title, "Letter")

    # A day of eight questions (tests/fixtures/worksheets/workbook): its
    # last page is used, not a sliver.
    check_common("8-question day", args.long_day, "A4")
    long_pages = check_running_heads("8-question day", args.long_day, "Steady <Together>", skip=0)
    check(len(long_pages) == page_count(args.long_day), "8-question day: every page names the day")
    check_fill("8-question day", args.long_day, long_pages)

    # A guide whose exercises are `Name: what to do` bullets: each gets lines.
    guide_html = (args.fixture_site / "guides/small-habits/worksheet/index.html").read_text(encoding="utf-8")
    exercises = guide_html.count('class="prompt prompt-exercise"')
    guide_text = normalize(run("pdftotext", str(args.guide), "-"))
    check(
        exercises == 4 and guide_text.count("notes: how it went") == exercises,
        f"exercise guide: each of its {exercises} exercises prints with room for notes",
    )
    rows = ruled_rows_printed(args.guide)
    check(rows >= ruled_rows_expected(guide_html) > 0, f"exercise guide: answer lines print ({rows} rules)")

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
