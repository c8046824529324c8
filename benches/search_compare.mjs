// hearth's search index against Pagefind's, on the same pages:
//
//   node benches/search_compare.mjs --site OUT --pagefind BIN --chromium BIN \
//     [--queries FILE] [--measure QUERY,QUERY…] [--runs N] [--verbose 1]
//
// OUT is a site hearth has built (its search index included). The script
// copies the HTML of exactly the pages hearth's index holds (the URLs of
// its search/docs/*.json) into OUT.pagefind-input, runs the Pagefind CLI
// over them (--root-selector main) N times (wall time and peak memory from
// /usr/bin/time; --runs 0 skips the build and uses the bundle an earlier
// run left in OUT/pagefind/, to measure queries again), puts Pagefind's bundle at OUT/pagefind/ with a page
// using Pagefind's own UI at OUT/pagefind-search/, serves OUT on loopback
// and, in headless Chromium:
// - **quality**: runs every query of FILE (`[{ "q", "expect" }]`: the
//   title of the page that should come in the first three) through
//   hearth's search page and through Pagefind's JavaScript API, and
//   checks the expected title is in the top 3 of each;
// - **bytes**: for each query of --measure, opens a cold tab (cache off)
//   on hearth's /search/?q=… and on Pagefind's UI page with the query,
//   waits for the results and for the server to go quiet, and adds up
//   the bytes of every file the server sent for it (uncompressed, as
//   served here; workers' fetches included) and of the same files
//   gzipped (what a host that compresses would send);
// - **time**: hearth's own measure of the work after its index parts
//   arrived (search.js resolves `hearthSearch` with it), and for both the
//   time from navigation to results in the cold tab.
//
// Prints `ok:`/`FAIL:` lines for the quality checks, then the figures;
// exits 1 when a check failed.

import { Connection, launchChromium, removeTemporary, sleep, stopChromium, withTimeout } from "../tests/browser/cdp.mjs";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { gzipSync } from "node:zlib";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const site = args.site;
const queries = args.queries ? JSON.parse(readFileSync(args.queries, "utf8")) : [];
const measured = (args.measure ?? "").split(",").filter(Boolean);
const runs = Number(args.runs ?? 1);
if (!site || !args.pagefind || !args.chromium) {
  console.error("usage: node benches/search_compare.mjs --site OUT --pagefind BIN --chromium BIN [--queries FILE] [--measure Q,Q] [--runs N]");
  process.exit(2);
}

if (runs === 0 && !existsSync(join(site, "pagefind", "pagefind.js"))) {
  console.error(`--runs 0 uses the Pagefind bundle of an earlier run, and ${join(site, "pagefind")} has none (a hearth build of ${site} removes it): run with --runs 1 first`);
  process.exit(2);
}

let failures = 0;
const check = (what, passed, detail) => {
  if (!passed) failures += 1;
  console.log(`${passed ? "ok" : "FAIL"}: ${what}${passed || !detail ? "" : ` — ${detail}`}`);
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

// ---- the pages hearth indexed, for Pagefind ----

const records = [];
for (let n = 0; existsSync(join(site, "search/docs", `${n}.json`)); n++) {
  records.push(...JSON.parse(readFileSync(join(site, "search/docs", `${n}.json`), "utf8")));
}
const input = `${site.replace(/\/$/, "")}.pagefind-input`;
rmSync(input, { recursive: true, force: true });
const basePath = (() => {
  const html = readFileSync(join(site, "search/index.html"), "utf8");
  return html.match(/data-index="([^"]*)search\/"/)[1];
})();
for (const [, url] of records) {
  const path = url.slice(basePath.length);
  const from = join(site, path, "index.html");
  mkdirSync(join(input, path), { recursive: true });
  cpSync(from, join(input, path, "index.html"));
}
console.log(`info: ${records.length} pages in hearth's index, copied to ${input} for Pagefind`);

// ---- Pagefind's build ----

const bundle = join(site, "pagefind");
const builds = [];
for (let i = 0; i < runs; i++) {
  rmSync(bundle, { recursive: true, force: true });
  const timed = spawnSync("/usr/bin/time", ["-f", "TIME %e %M", args.pagefind, "--site", input, "--output-path", bundle, "--root-selector", "main", "--quiet"], { encoding: "utf8" });
  const line = timed.stderr.split("\n").find((l) => l.startsWith("TIME "));
  if (timed.status !== 0 || !line) {
    console.error(timed.stdout, timed.stderr);
    process.exit(1);
  }
  const [, seconds, kib] = line.split(" ");
  builds.push({ seconds: Number(seconds), mib: Number(kib) / 1024 });
}
const bundleBytes = (dir) => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).length;
if (builds.length) console.log(
  `info: Pagefind build of ${records.length} pages: wall ${builds.map((b) => b.seconds.toFixed(2)).join(" ")} s (median ${median(builds.map((b) => b.seconds)).toFixed(2)} s), peak ${Math.max(...builds.map((b) => b.mib)).toFixed(0)} MiB, ${bundleBytes(bundle)} files`,
);
mkdirSync(join(site, "pagefind-search"), { recursive: true });
writeFileSync(
  join(site, "pagefind-search/index.html"),
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search (Pagefind)</title>
<link rel="stylesheet" href="${basePath}pagefind/pagefind-ui.css"><script src="${basePath}pagefind/pagefind-ui.js"></script></head>
<body><main><h1>Search</h1><div id="search"></div></main>
<script>
window.ui = new PagefindUI({ element: "#search", showSubResults: false, bundlePath: "${basePath}pagefind/" });
const q = new URLSearchParams(location.search).get("q");
if (q) window.ui.triggerSearch(q);
</script></body></html>
`,
);

// ---- serve OUT; note every file sent ----

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };
// Every file sent since the last reset: what a tab fetched, its workers
// included (Pagefind searches in a Web Worker, out of the tab's sight).
let served = [];
let lastServed = Date.now();
const server = createServer((request, response) => {
  lastServed = Date.now();
  let path = decodeURIComponent(new URL(request.url, "http://x").pathname);
  if (!path.startsWith(basePath)) path = "/404";
  path = normalize(path.slice(basePath.length - 1));
  let file = join(site, path);
  if (path.endsWith("/")) file = join(file, "index.html");
  if (!existsSync(file)) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
  const body = readFileSync(file);
  served.push({ path, file, bytes: body.length });
  response.end(body);
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${server.address().port}`;
const root = `${origin}${basePath}`;

const profile = mkdtempSync(join(tmpdir(), "hearth-search-compare-"));
const chrome = launchChromium(args.chromium, profile);
const cdp = new Connection(chrome.stdio[3], chrome.stdio[4]);

/** A cold tab on `url` (the server says no-store: nothing is cached). */
async function open(url) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const tab = { sessionId };
  for (const domain of ["Runtime", "Page"]) await cdp.send(`${domain}.enable`, {}, sessionId);
  const loaded = cdp.once("Page.loadEventFired", sessionId);
  tab.started = Date.now();
  await cdp.send("Page.navigate", { url }, sessionId);
  await loaded;
  tab.eval = async (expression) => {
    const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  };
  // Nothing asked of the server for 500 ms (at most 10 s in all).
  tab.quiet = async () => {
    const limit = Date.now() + 10000;
    while (Date.now() - lastServed < 500 && Date.now() < limit) await sleep(50);
  };
  tab.close = () => cdp.send("Target.closeTarget", { targetId });
  return tab;
}

const HEARTH_TITLES = `(async () => {
  const done = await window.hearthSearch;
  return { titles: [...document.querySelectorAll(".search-result h2 a")].map((a) => a.textContent), ms: done && done.ms, results: done && done.results };
})()`;
const PAGEFIND_TOP = (q) => `(async () => {
  const pagefind = await import(${JSON.stringify(`${basePath}pagefind/pagefind.js`)});
  await pagefind.init();
  const search = await pagefind.search(${JSON.stringify(q)});
  const top = await Promise.all(search.results.slice(0, 3).map((r) => r.data()));
  return { titles: top.map((d) => d.meta.title), results: search.results.length };
})()`;
const PAGEFIND_SHOWN = `(async () => {
  for (let i = 0; i < 400; i++) {
    const shown = document.querySelectorAll(".pagefind-ui__result").length;
    const message = document.querySelector(".pagefind-ui__message")?.textContent ?? "";
    if (shown > 0 || /no results/i.test(message)) return { shown, message };
    await new Promise((r) => setTimeout(r, 25));
  }
  return { shown: 0, message: "timed out" };
})()`;

/** The bytes sent since `served` was reset: as sent (bodies, no
 * compression), and the same files gzipped. */
function traffic() {
  let wire = 0;
  let gzip = 0;
  for (const { file, bytes } of served) {
    wire += bytes;
    gzip += gzipSync(readFileSync(file), { level: 6 }).length;
  }
  return { wire, gzip, files: served.map((s) => s.path) };
}

try {
  await cdp.send("Browser.getVersion");
  if (queries.length) {
    let hearthFound = 0;
    let pagefindFound = 0;
    for (const { q, expect } of queries) {
      const hearth = await open(`${root}search/?${new URLSearchParams({ q })}`);
      const mine = await withTimeout(hearth.eval(HEARTH_TITLES), `hearth “${q}”`);
      await hearth.close();
      const rank = mine.titles.findIndex((t) => t.includes(expect));
      hearthFound += rank >= 0 && rank < 3;
      check(`hearth: “${q}” ranks “${expect}” in the top 3`, rank >= 0 && rank < 3, JSON.stringify(mine.titles.slice(0, 3)));
      const pf = await open(`${root}pagefind-search/`);
      const theirs = await withTimeout(pf.eval(PAGEFIND_TOP(q)), `Pagefind “${q}”`);
      await pf.close();
      const found = theirs.titles.some((t) => t.includes(expect));
      pagefindFound += found;
      check(`Pagefind: “${q}” ranks “${expect}” in the top 3`, found, JSON.stringify(theirs.titles));
    }
    console.log(`info: top-3 quality: hearth ${hearthFound}/${queries.length}, Pagefind ${pagefindFound}/${queries.length}`);
  }
  for (const q of measured) {
    served = [];
    const hearth = await open(`${root}search/?${new URLSearchParams({ q })}`);
    const mine = await withTimeout(hearth.eval(HEARTH_TITLES), `hearth “${q}”`);
    const hearthShown = Date.now() - hearth.started;
    await hearth.quiet();
    const a = traffic();
    await hearth.close();
    served = [];
    const pf = await open(`${root}pagefind-search/?${new URLSearchParams({ q })}`);
    const theirs = await withTimeout(pf.eval(PAGEFIND_SHOWN), `Pagefind UI “${q}”`);
    const pagefindShown = Date.now() - pf.started;
    await pf.quiet();
    const b = traffic();
    await pf.close();
    console.log(
      `measure “${q}”: hearth ${mine.results} results, ${a.files.length} requests, ${kb(a.wire)} as sent / ${kb(a.gzip)} gzipped, ` +
        `work after the index arrived ${mine.ms.toFixed(1)} ms, cold tab to results ${hearthShown} ms; ` +
        `Pagefind UI ${theirs.shown} shown, ${b.files.length} requests, ${kb(b.wire)} / ${kb(b.gzip)} gzipped, cold tab to results ${pagefindShown} ms`,
    );
    if (args.verbose) console.log(`  hearth: ${a.files.join(" ")}\n  Pagefind: ${b.files.join(" ")}`);
  }
} finally {
  await stopChromium(chrome);
  server.close();
  removeTemporary(profile);
}
process.exit(failures ? 1 : 0);
