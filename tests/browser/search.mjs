// The search page in headless Chromium: real queries on the example site
// (the 20 of search_queries.json, each expecting a page in the top 3),
// marked snippets, filters with counts, the URL carrying the search, a
// hostile query, the site under a sub-path, the header's search box,
// keyboard use, axe-core, and the page without JavaScript.
//
//   node search.mjs CHROMIUM BASE_URL SUB_PATH_URL [AXE_JS]
//
// BASE_URL serves the example site at /, SUB_PATH_URL a copy built for a
// sub-path. Prints one `ok: …` or `FAIL: …` line per check.

import { Connection, launchChromium, removeTemporary, sleep, stopChromium } from "./cdp.mjs";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [chromiumPath, base, subBase, axePath] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const queries = JSON.parse(readFileSync(join(here, "search_queries.json"), "utf8"));

const profile = mkdtempSync(join(tmpdir(), "hearth-search-"));
const chrome = launchChromium(chromiumPath, profile);
let failures = 0;
const ok = (what) => console.log(`ok: ${what}`);
const fail = (what, detail) => {
  failures += 1;
  console.log(`FAIL: ${what}${detail ? ` — ${detail}` : ""}`);
};
const check = (what, passed, detail) => (passed ? ok(what) : fail(what, detail));

/** A tab on `url`: its session, the requests it made, the problems it
 * reported (console errors, exceptions, failed requests, dialogs). */
async function open(cdp, url, { javascript = true } = {}) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const tab = { sessionId, requests: [], problems: [], dialogs: [] };
  const listener = ({ method, params, sessionId: from }) => {
    if (from !== sessionId) return;
    if (method === "Network.requestWillBeSent") tab.requests.push(params.request.url);
    if (method === "Network.responseReceived" && params.response.status >= 400 && !params.response.url.endsWith("favicon.ico"))
      tab.problems.push(`HTTP ${params.response.status} ${params.response.url}`);
    if (method === "Runtime.exceptionThrown") tab.problems.push(params.exceptionDetails.exception?.description ?? params.exceptionDetails.text);
    if (method === "Runtime.consoleAPICalled" && params.type === "error") tab.problems.push(params.args.map((a) => a.value).join(" "));
    if (method === "Page.javascriptDialogOpening") {
      tab.dialogs.push(params.message);
      cdp.send("Page.handleJavaScriptDialog", { accept: false }, sessionId).catch(() => {});
    }
  };
  cdp.listeners.add(listener);
  for (const domain of ["Runtime", "Network", "Page"]) await cdp.send(`${domain}.enable`, {}, sessionId);
  if (!javascript) await cdp.send("Emulation.setScriptExecutionDisabled", { value: true }, sessionId);
  const loaded = cdp.once("Page.loadEventFired", sessionId);
  await cdp.send("Page.navigate", { url }, sessionId);
  await loaded;
  tab.eval = async (expression) => {
    const { result, exceptionDetails } = await cdp.send(
      "Runtime.evaluate",
      { expression, returnByValue: true, awaitPromise: true },
      sessionId,
    );
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  };
  tab.close = async () => {
    cdp.listeners.delete(listener);
    await cdp.send("Target.closeTarget", { targetId });
  };
  return tab;
}

/** What the results show once the search has run. */
const RESULTS = `(async () => {
  await window.hearthSearch;
  for (let i = 0; i < 50 && !document.getElementById("search_status").textContent; i++) await new Promise((r) => setTimeout(r, 50));
  return {
    status: document.getElementById("search_status").textContent,
    titles: [...document.querySelectorAll(".search-result h2 a")].map((a) => a.textContent),
    hrefs: [...document.querySelectorAll(".search-result h2 a")].map((a) => a.getAttribute("href")),
    kinds: [...document.querySelectorAll(".search-kind")].map((p) => p.textContent),
    marks: [...document.querySelectorAll(".search-results mark")].map((m) => m.textContent),
    topics: [...document.querySelectorAll("#search_topic option")].map((o) => o.textContent),
    journeys: [...document.querySelectorAll("#search_journey option")].map((o) => o.textContent),
    weeks: [...document.querySelectorAll("#search_week option")].map((o) => o.textContent),
    input: document.getElementById("search_q").value,
    url: location.search,
    filtersHidden: document.getElementById("search_filters").hidden,
    browseHidden: document.getElementById("search_browse").hidden,
    images: document.querySelectorAll("img").length,
  };
})()`;

async function search(cdp, root, params) {
  const tab = await open(cdp, `${root}/search/?${new URLSearchParams(params)}`);
  const results = await tab.eval(RESULTS);
  return { tab, results };
}

async function main() {
  const cdp = new Connection(chrome.stdio[3], chrome.stdio[4]);
  await cdp.send("Browser.getVersion");

  // The 20 queries: the expected page among the first three results.
  let found = 0;
  for (const { q, expect } of queries) {
    const { tab, results } = await search(cdp, base, { q });
    const rank = results.titles.findIndex((t) => t.includes(expect));
    if (rank >= 0 && rank < 3) found += 1;
    check(`search “${q}” ranks “${expect}” in the top 3`, rank >= 0 && rank < 3, `got ${JSON.stringify(results.titles.slice(0, 5))}`);
    await tab.close();
  }
  console.log(`info: ${found} of ${queries.length} queries found their page in the top 3`);

  // Stemming and prefixes, marks and kinds.
  {
    const { tab, results } = await search(cdp, base, { q: "respond" });
    check("“respond” finds “Responding With Care” (stemming)", results.titles.some((t) => t.includes("Responding With Care")), JSON.stringify(results.titles));
    check("matched words are marked", results.marks.some((m) => /^respond/i.test(m)), JSON.stringify(results.marks.slice(0, 5)));
    check("a day's result names its kind, journey and week", results.kinds.some((k) => /^Journey day · Deepening Intimacy › Week \d$/.test(k)), JSON.stringify(results.kinds));
    check("the search page loads without errors", tab.problems.length === 0, tab.problems.join("; "));
    const fetched = tab.requests.filter((u) => u.startsWith(base));
    check("every request stays on the site", tab.requests.every((u) => u.startsWith(base) || u.startsWith("data:")), JSON.stringify(tab.requests));
    check("a query fetches meta, one term shard and the result documents", fetched.some((u) => u.endsWith("/search/terms/re.json")) && !fetched.some((u) => u.includes("/search/terms/") && !u.endsWith("/re.json")), JSON.stringify(fetched));
    await tab.close();
  }
  // Other forms of a word the site uses find the same pages.
  {
    const found = {};
    for (const q of ["reply", "replied", "replying"]) {
      const { tab, results } = await search(cdp, base, { q });
      found[q] = results.titles;
      await tab.close();
    }
    check(
      "“replied” and “replying” find what “reply” finds",
      found.reply.length > 0 && ["replied", "replying"].every((q) => JSON.stringify(found[q]) === JSON.stringify(found.reply)),
      JSON.stringify(found),
    );
  }
  {
    const { tab, results } = await search(cdp, base, { q: "intim" });
    check("a prefix (“intim”) matches as the reader types", results.titles.some((t) => t.includes("Emotional Intimacy")), JSON.stringify(results.titles));
    await tab.close();
  }

  // Filters with counts, combinable, and carried by the URL.
  {
    const { tab, results } = await search(cdp, base, { q: "partner" });
    const all = Number(results.status.match(/^(\d+)/)?.[1]);
    const journey = results.journeys.find((o) => o.startsWith("Deepening Intimacy ("));
    const topic = results.topics.find((o) => /\(\d+\)$/.test(o) && o !== "Any topic");
    check("filters show counts for journeys and topics", journey && topic, JSON.stringify([results.journeys, results.topics]));
    const inTitle = results.titles.map((t) => /partner/i.test(t));
    const firstOther = inTitle.indexOf(false);
    check(
      "pages with the word in their title come first",
      inTitle[0] && firstOther > 0 && inTitle.slice(firstOther).every((t) => !t),
      JSON.stringify(results.titles),
    );
    await tab.close();
    const journeyCount = Number(journey?.match(/\((\d+)\)$/)?.[1]);
    const filtered = await search(cdp, base, { q: "partner", journey: "Deepening Intimacy" });
    const shown = Number(filtered.results.status.match(/^(\d+)/)?.[1]);
    check("the journey filter keeps its count of results", shown === journeyCount && shown < all, `${shown} of ${all}, count ${journeyCount}`);
    check("journey-filtered results are all days or weeks of it", filtered.results.kinds.every((k) => k.includes("Deepening Intimacy")), JSON.stringify(filtered.results.kinds));
    const week = filtered.results.weeks.find((o) => o.startsWith("Week 1 ("));
    await filtered.tab.close();
    const both = await search(cdp, base, { q: "partner", journey: "Deepening Intimacy", week: "1" });
    const weekCount = Number(week?.match(/\((\d+)\)$/)?.[1]);
    const bothShown = Number(both.results.status.match(/^(\d+)/)?.[1]);
    check("journey and week filters combine", bothShown === weekCount && both.results.kinds.every((k) => k.endsWith("Week 1")), `${bothShown} vs ${weekCount}: ${JSON.stringify(both.results.kinds)}`);
    check("the URL carries q, journey and week", both.results.url === "?q=partner&journey=Deepening+Intimacy&week=1", both.results.url);
    check("the form shows the search from the URL", both.results.input === "partner");
    await both.tab.close();
  }

  // A hostile query is shown as text, never run.
  {
    const hostile = `"><img src=x onerror=alert(1)>`;
    const { tab, results } = await search(cdp, base, { q: hostile });
    check("a hostile query adds no element and opens no dialog", results.images === 0 && tab.dialogs.length === 0, `${results.images} images, dialogs ${tab.dialogs}`);
    check("a hostile query is echoed as text", results.status.includes(`“${hostile}”`), results.status);
    check("a hostile query stays in the input as typed", results.input === hostile, results.input);
    await tab.close();
  }

  // Under a sub-path, every fetch stays under it.
  {
    const { tab, results } = await search(cdp, subBase, { q: "trust" });
    check("under a sub-path search finds results", results.titles.some((t) => t.includes("Trust")), JSON.stringify(results.titles));
    const path = new URL(subBase).pathname;
    check("under a sub-path result links and index requests keep it", results.hrefs.every((h) => h.startsWith(path)) && tab.requests.filter((u) => u.includes("/search/")).every((u) => new URL(u).pathname.startsWith(path)), JSON.stringify([results.hrefs, tab.requests]));
    await tab.close();
  }

  // The header's box submits to the search page.
  {
    const tab = await open(cdp, `${base}/guides/`);
    const navigated = cdp.once("Page.loadEventFired", tab.sessionId);
    await tab.eval(`(() => { const f = document.querySelector(".site-search"); f.querySelector("input").value = "gratitude"; f.submit(); })()`);
    await navigated;
    const results = await tab.eval(RESULTS);
    check("the header's search box opens /search/?q=…", results.url === "?q=gratitude" && results.titles.length > 0, JSON.stringify(results));
    await tab.close();
  }

  // By keyboard: focus the box, type, read the results; axe-core finds nothing.
  {
    const tab = await open(cdp, `${base}/search/`);
    await tab.eval(`document.getElementById("search_q").focus()`);
    await cdp.send("Input.insertText", { text: "vulnerable" }, tab.sessionId);
    await sleep(600);
    const results = await tab.eval(RESULTS);
    check("typing in the box shows results", results.titles.some((t) => t.includes("Vulnerable")), JSON.stringify(results.titles));
    check("the result count is announced in a live region", (await tab.eval(`document.getElementById("search_status").getAttribute("role")`)) === "status" && /\d+ results?/.test(results.status), results.status);
    if (axePath && existsSync(axePath)) {
      await tab.eval(readFileSync(axePath, "utf8"));
      for (const scheme of ["light", "dark"]) {
        await cdp.send("Emulation.setEmulatedMedia", { features: [{ name: "prefers-color-scheme", value: scheme }] }, tab.sessionId);
        const violations = await tab.eval(`axe.run(document).then((r) => r.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")))`);
        check(`axe-core finds no violation on the search results (${scheme})`, violations.length === 0, violations.join("; "));
      }
    } else if (process.env.CI === "true") {
      fail("axe-core is installed (tests/browser/node_modules; .ci/run installs it)");
    } else {
      console.log("info: axe-core not found (npm install --prefix tests/browser axe-core@4); accessibility audit skipped");
    }
    await tab.close();
  }

  // Without JavaScript: the topic index, no filters.
  {
    const tab = await open(cdp, `${base}/search/?q=trust`, { javascript: false });
    const { result } = await cdp.send("Runtime.evaluate", {
      expression: `JSON.stringify({ topics: document.querySelectorAll("#search_browse a[href*='/topics/']").length, filters: getComputedStyle(document.getElementById("search_filters")).display })`,
      returnByValue: true,
    }, tab.sessionId);
    const page = JSON.parse(result.value);
    check("without JavaScript the search page lists the topics", page.topics > 0 && page.filters === "none", result.value);
    await tab.close();
  }
  await cdp.send("Browser.close").catch(() => {});
}

try {
  await main();
} catch (error) {
  fail("search checks ran", error.stack);
} finally {
  await stopChromium(chrome);
  removeTemporary(profile);
}
process.exit(failures ? 1 : 0);
