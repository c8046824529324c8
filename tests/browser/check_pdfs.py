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


def ruled_rows_expected(page_html: str) -> int:
    """Rows of answer lines a worksheet page should print: a stem's two
    partner areas stand side by side, so they share rows."""
    rows = 0
    for kind, block in re.findall(
        r'<div class="prompt prompt-(stem|question)">(.*?)</div>\s*</div>', page_html, re.S
    ):
        lines = block.count('class="answer-line"')
        rows += lines // 2 if kind == "stem" else lines
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    parser.add_argument("--paper", required=True)
    parser.add_argument("--journey-source", type=Path, required=True)
    parser.add_argument("--day", type=Path, required=True)
    parser.add_argument("--week", type=Path, required=True)
    parser.add_argument("--journey", type=Path, required=True)
    parser.add_argument("--letter-day", type=Path, required=True)
    args = parser.parse_args()

    journey = "journeys/deepening-intimacy"
    for pdf in (args.day, args.week, args.journey, args.letter_day):
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
    stems = day_html.count('class="prompt prompt-stem"')
    for partner in ("partner a", "partner b"):
        count = day_text.count(partner)
        check(count == stems, f"day 1: “{partner}” printed for each of {stems} stems ({count})")
    expected_rows = ruled_rows_expected(day_html)
    printed_rows = ruled_rows_printed(args.day)
    check(
        expected_rows > 0 and printed_rows >= expected_rows,
        f"day 1: answer lines print ({printed_rows} rules for {expected_rows} rows of lines)",
    )

    # The same sheet on Letter, from a copy of the site with paper = "Letter".
    check_common("day 1 on Letter", args.letter_day, "Letter")
    pages = page_count(args.letter_day)
    check(1 <= pages <= 2, f"day 1 on Letter: fits on 1-2 pages ({pages})")

    # Bundles: a new page for every day, in order.
    for name, pdf, page in (
        ("week 1 bundle", args.week, f"{journey}/week-1/worksheets/index.html"),
        ("journey bundle", args.journey, f"{journey}/worksheets/index.html"),
    ):
        check_common(name, pdf, args.paper)
        titles = sheet_titles((args.site / page).read_text(encoding="utf-8"))
        check(len(titles) >= 2, f"{name}: has several worksheets ({len(titles)})")
        check_starts(name, pdf, titles)

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
