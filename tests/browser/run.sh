#!/usr/bin/env bash
# Browser suite: builds the example site, prints the deepening-intimacy
# worksheets (Day 1, the Week 1 bundle, the whole journey as a workbook, on
# A4 and Letter) and the workbook fixture's long day and exercise guide to
# PDF with headless Chromium and checks the paper with poppler-utils; then loads one
# page of each type and fails on any console error; then checks reader
# progress (progress.mjs); then edits a day under `hearth serve` and checks
# that the open page reloads by itself.
#
#   bash tests/browser/run.sh
#
# Without Chromium it is skipped (with the reason), except in CI (CI=true),
# where a missing Chromium is a failure. Ends with `N passed, N failed`.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

passed=0
failed=0
pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
summary() { echo "$passed passed, $failed failed"; }

# Runs a Node check script (NAME, SCRIPT, ARGS…), prints its output and
# counts its `ok:`/`FAIL:` lines; a script that dies without a FAIL line
# counts as one failure.
node_checks() {
  local name="$1" script="$2" out
  shift 2
  out="$(mktemp)"
  node "$script" "$@" >"$out" 2>&1
  local status=$?
  cat "$out"
  passed=$((passed + $(grep -c '^ok: ' "$out")))
  failed=$((failed + $(grep -c '^FAIL: ' "$out")))
  if [ "$status" -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
    fail "$name ran (exit $status)"
  fi
  rm -f "$out"
}

chromium_bin="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium_bin" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "browser suite failed: chromium not found (CI=true: .ci/run installs it)"
    echo "0 passed, 1 failed"
    exit 1
  fi
  echo "browser suite skipped: chromium not found"
  echo "0 passed, 0 failed, 1 skipped"
  exit 0
fi
for tool in pdfinfo pdftotext python3 node; do
  if ! command -v "$tool" >/dev/null; then
    echo "browser suite failed: $tool not found (install poppler-utils, python3, nodejs)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free loopback port for the server (chosen first: the Letter copy is
# built for its address).
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

# ---- build the example site, and a Letter copy of it ----

# HEARTH_BIN names a built binary (`cargo test` passes its own); else the
# release binary is built.
if [ -n "${HEARTH_BIN:-}" ]; then
  hearth="$HEARTH_BIN"
else
  echo "building hearth (release)…"
  if ! cargo build --quiet --release >"$work/cargo.log" 2>&1; then
    cat "$work/cargo.log"
    fail "hearth compiles"
    summary
    exit 1
  fi
  hearth="${CARGO_TARGET_DIR:-$repo/target}/release/hearth"
fi
if ! "$hearth" build --root "$repo" --output "$work/site" >"$work/build.log" 2>&1; then
  cat "$work/build.log"
  fail "example site builds"
  summary
  exit 1
fi
pass "example site builds"

# Builds the site copied into $work/NAME-root under /NAME/ of the server
# (NAME, WHAT for the pass line).
build_copy() {
  if "$hearth" build --root "$work/$1-root" --output "$work/site/$1" \
    --base-url "http://127.0.0.1:$port/$1/" >"$work/$1.log" 2>&1; then
    pass "$2 builds"
  else
    cat "$work/$1.log"
    fail "$2 builds"
  fi
}

# The configured paper of the example site, and a Letter copy of it to
# check that the size really follows site.toml.
paper="$(python3 "$here/paper.py" site.toml)"
mkdir -p "$work/letter-root"
cp -r content themes "$work/letter-root/"
python3 "$here/paper.py" site.toml --set Letter >"$work/letter-root/site.toml"
build_copy letter "Letter copy"

# The workbook fixture: an eight-question day and a guide whose exercises
# are plain bullets.
mkdir -p "$work/fixture-root"
cp -r tests/fixtures/worksheets/workbook/. "$work/fixture-root/"
cp -r themes "$work/fixture-root/"
build_copy fixture "workbook fixture"

# ---- serve it on loopback ----

python3 -m http.server --bind 127.0.0.1 "$port" --directory "$work/site" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 50); do
  if python3 -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1])" "$base/" 2>/dev/null; then break; fi
  sleep 0.1
done

# ---- print to PDF ----

print_pdf() { # URL OUT [CHROMIUM FLAG…]
  local url="$1" out="$2"
  shift 2
  timeout 120 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d -p "$work")" "$@" \
    --no-pdf-header-footer --print-to-pdf="$out" "$url" >"$out.log" 2>&1
  [ -s "$out" ]
}

journey="journeys/deepening-intimacy"
declare -A pdfs=(
  [day]="$journey/day-1/worksheet/"
  [week]="$journey/week-1/worksheets/"
  [journey]="$journey/worksheets/"
  [letter-day]="letter/$journey/day-1/worksheet/"
  [letter-journey]="letter/$journey/worksheets/"
  [long-day]="fixture/journeys/steady/day-2/worksheet/"
  [guide]="fixture/guides/small-habits/worksheet/"
)
for name in day week journey letter-day letter-journey long-day guide; do
  if print_pdf "$base/${pdfs[$name]}" "$work/$name.pdf"; then
    pass "printed /${pdfs[$name]} to PDF"
  else
    cat "$work/$name.pdf.log"
    fail "printed /${pdfs[$name]} to PDF"
  fi
done
# The week's set again, from a browser that prefers dark mode.
if print_pdf "$base/${pdfs[week]}" "$work/dark-week.pdf" --blink-settings=preferredColorScheme=0; then
  pass "printed /${pdfs[week]} to PDF in dark mode"
else
  cat "$work/dark-week.pdf.log"
  fail "printed /${pdfs[week]} to PDF in dark mode"
fi

# ---- check the paper ----

python3 "$here/check_pdfs.py" \
  --site "$work/site" --paper "$paper" --journey-source content/journeys/deepening-intimacy \
  --day "$work/day.pdf" --week "$work/week.pdf" --journey "$work/journey.pdf" \
  --letter-day "$work/letter-day.pdf" --letter-journey "$work/letter-journey.pdf" \
  --fixture-site "$work/site/fixture" --long-day "$work/long-day.pdf" --guide "$work/guide.pdf" \
  --dark-week "$work/dark-week.pdf" \
  >"$work/pdf.out"
pdf_status=$?
cat "$work/pdf.out"
passed=$((passed + $(grep -c '^ok: ' "$work/pdf.out")))
failed=$((failed + $(grep -c '^FAIL: ' "$work/pdf.out")))
if [ "$pdf_status" -ne 0 ] && ! grep -q '^FAIL: ' "$work/pdf.out"; then
  fail "PDF checks ran (exit $pdf_status)"
fi

# ---- every page type loads without a console error ----

topic="$(cd "$work/site/topics" && ls -d */ | head -1)"
guide="guides/emotional-intimacy/"
pages=(
  "" "guides/" "$guide" "${guide}worksheet/" "journeys/" "$journey/"
  "$journey/week-1/" "$journey/day-1/" "topics/" "topics/$topic" "about/"
  "$journey/day-1/worksheet/" "$journey/week-1/worksheets/" "$journey/worksheets/"
  "404.html"
)
node_checks "console checks" "$here/console_check.mjs" "$chromium_bin" "$base" "${pages[@]}"

# ---- reader progress: the example site under two sub-paths of one host ----

for path in progress-a progress-b; do
  mkdir -p "$work/$path-root"
  cp -r site.toml content themes "$work/$path-root/"
  build_copy "$path" "example site for /$path/"
done
node_checks "progress checks" "$here/progress.mjs" "$chromium_bin" "$base/progress-a/" "$base/progress-b/" \
  "$here/node_modules/axe-core/axe.min.js"

# ---- hearth serve: an open page reloads by itself after an edit ----

node_checks "live reload checks" "$here/live_reload.mjs" "$chromium_bin" "$hearth" "$repo"

node_checks "search checks" "$here/search.mjs" "$chromium_bin" "$base" "$base/letter" "$here/node_modules/axe-core/axe.min.js"

summary
[ "$failed" -eq 0 ]
