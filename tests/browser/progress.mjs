// Reader progress in headless Chromium: mark a day done (keyboard), the
// overview, week and home pages follow, the mark survives a reload and can
// be undone, reset (and its undo), export and import between two fresh
// browser profiles (a pasted code and a saved file), two journeys and two
// sites on one host never mixing, nothing stored but localStorage and no
// request leaving the site, the controls absent without JavaScript and in
// print, axe-core with no violation in light and dark mode.
//
//   node progress.mjs CHROMIUM SITE_URL OTHER_SITE_URL [AXE_JS]
//
// SITE_URL is the example site built for a sub-path of the host
// (http://127.0.0.1:PORT/sub/), OTHER_SITE_URL the same site built for
// another path of the same host. AXE_JS is axe-core's axe.min.js; without
// it the axe checks are skipped, saying so (in CI, with CI=true, they fail).
// PROGRESS_SCREENSHOTS=DIR saves screenshots of the pages in both schemes.
//
// Prints one `ok: …` or `FAIL: …` line per check.

import { Connection, launchChromium, removeTemporary, sleep, stopChromium } from "./cdp.mjs";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chromiumPath, site, otherSite, axePath] = process.argv.slice(2);
const origin = new URL(site).origin;
const basePath = new URL(site).pathname;
const screenshots = process.env.PROGRESS_SCREENSHOTS;
const axeSource = axePath && existsSync(axePath) ? readFileSync(axePath, "utf8") : null;

const journey = "journeys/deepening-intimacy/";
const other = "journeys/a-week-of-gratitude/";

let failures = 0;
const ok = (what) => console.log(`ok: ${what}`);
const fail = (what, detail) => {
  failures += 1;
  console.log(`FAIL: ${what}${detail ? ` — ${detail}` : ""}`);
};
/** Passes when `actual` equals `expected`. */
const expect = (what, actual, expected) =>
  JSON.stringify(actual) === JSON.stringify(expected)
    ? ok(what)
    : fail(what, `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);

const temp = mkdtempSync(join(tmpdir(), "hearth-progress-"));

/** A headless Chromium with a fresh profile of its own. */
async function launch(name) {
  const profile = join(temp, name);
  const chrome = launchChromium(chromiumPath, profile);
  let output = "";
  chrome.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const cdp = new Connection(chrome.stdio[3], chrome.stdio[4]);
  const exited = new Promise((_, reject) =>
    chrome.on("exit", (code) => reject(new Error(`Chromium exited (${code}):\n${output}`))),
  );
  await Promise.race([cdp.send("Browser.getVersion"), exited]);
  const downloads = join(temp, `${name}-downloads`);
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
  return {
    cdp,
    downloads,
    open: (url, options) => openTab(cdp, url, options),
    async close() {
      await cdp.send("Browser.close").catch(() => {});
      await stopChromium(chrome);
    },
  };
}

/** A tab showing `url`; it records console errors, failed requests and
 * every request that leaves the site's origin. */
async function openTab(cdp, url, { javascript = true } = {}) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const problems = [];
  const foreign = [];
  const listener = (message) => {
    if (message.sessionId !== sessionId) return;
    const params = message.params;
    switch (message.method) {
      case "Runtime.consoleAPICalled":
        if (params.type === "error") problems.push(`console.error: ${params.args.map((a) => a.value).join(" ")}`);
        break;
      case "Runtime.exceptionThrown":
        problems.push(`exception: ${params.exceptionDetails.exception?.description ?? params.exceptionDetails.text}`);
        break;
      case "Network.requestWillBeSent": {
        const target = params.request.url;
        if (!target.startsWith(`${origin}/`) && !/^(data|blob|about):/.test(target)) foreign.push(target);
        break;
      }
      case "Network.responseReceived":
        if (params.response.status >= 400) problems.push(`HTTP ${params.response.status}: ${params.response.url}`);
        break;
      case "Network.loadingFailed":
        if (!params.canceled) problems.push(`request failed: ${params.errorText}`);
        break;
    }
  };
  cdp.listeners.add(listener);
  for (const domain of ["Runtime", "Network", "Page", "DOM"]) await cdp.send(`${domain}.enable`, {}, sessionId);
  if (!javascript) await cdp.send("Emulation.setScriptExecutionDisabled", { value: true }, sessionId);

  const tab = {
    problems,
    foreign,
    async go(to) {
      const loaded = cdp.once("Page.loadEventFired", sessionId);
      const navigation = await cdp.send("Page.navigate", { url: to }, sessionId);
      if (navigation.errorText) throw new Error(`${to}: ${navigation.errorText}`);
      await loaded;
      await sleep(150); // deferred scripts
    },
    async reload() {
      const loaded = cdp.once("Page.loadEventFired", sessionId);
      await cdp.send("Page.reload", {}, sessionId);
      await loaded;
      await sleep(150);
    },
    async eval(expression) {
      const { result, exceptionDetails } = await cdp.send(
        "Runtime.evaluate",
        { expression, returnByValue: true, awaitPromise: true },
        sessionId,
      );
      if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
      return result.value;
    },
    /** Waits until `expression` is truthy; its last value. */
    async until(expression, ms = 3000) {
      const end = Date.now() + ms;
      let value;
      while (Date.now() < end) {
        value = await tab.eval(expression);
        if (value) return value;
        await sleep(50);
      }
      return value;
    },
    /** Focuses `selector` and presses a key, as a keyboard user would. */
    async press(selector, key = " ") {
      await tab.eval(`document.querySelector(${JSON.stringify(selector)}).focus()`);
      const keys = {
        " ": { key: " ", code: "Space", windowsVirtualKeyCode: 32, text: " " },
        Enter: { key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" },
      };
      await cdp.send("Input.dispatchKeyEvent", { type: "keyDown", ...keys[key] }, sessionId);
      await cdp.send("Input.dispatchKeyEvent", { type: "keyUp", ...keys[key] }, sessionId);
      await sleep(100);
    },
    async click(selector) {
      await tab.eval(`document.querySelector(${JSON.stringify(selector)}).click()`);
      await sleep(100);
    },
    async setFile(selector, path) {
      const { root } = await cdp.send("DOM.getDocument", {}, sessionId);
      const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector }, sessionId);
      await cdp.send("DOM.setFileInputFiles", { nodeId, files: [path] }, sessionId);
      await sleep(200);
    },
    async media(features, type = "") {
      await cdp.send("Emulation.setEmulatedMedia", { media: type, features }, sessionId);
    },
    /** A PNG of the region around `selector`. */
    async screenshot(path, selector) {
      const clip = await tab.eval(`(() => {
        const box = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
        const top = Math.max(0, box.top + window.scrollY - 24);
        return { x: 0, y: top, width: document.documentElement.clientWidth, height: 900, scale: 1 };
      })()`);
      const { data } = await cdp.send("Page.captureScreenshot", { format: "png", captureBeyondViewport: true, clip }, sessionId);
      writeFileSync(path, Buffer.from(data, "base64"));
    },
    async cookies() {
      const { cookies } = await cdp.send("Network.getCookies", {}, sessionId);
      return cookies;
    },
    async close() {
      cdp.listeners.delete(listener);
      await cdp.send("Target.closeTarget", { targetId });
    },
  };
  await cdp.send("Emulation.setDeviceMetricsOverride", { width: 1100, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
  await tab.go(url);
  return tab;
}

// ---- what the checks read from a page ----

const visible = (selector) =>
  `[...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => e.checkVisibility()).length`;
const text = (selector) => `document.querySelector(${JSON.stringify(selector)})?.innerText.trim() ?? null`;
const pressed = `document.querySelector("[data-progress-toggle]").getAttribute("aria-pressed")`;
const summary = `(() => {
  const scope = document.querySelector("main [data-progress-journey]");
  const count = scope.querySelector(".done-count");
  const next = scope.querySelector("[data-progress-continue]");
  return {
    count: count && count.checkVisibility() ? count.innerText.trim() : null,
    continues: next && next.checkVisibility() ? [next.innerText.trim(), new URL(next.href).pathname] : null,
    done: [...scope.querySelectorAll("[data-progress-day]")]
      .filter((day) => day.querySelector("[data-progress-mark]").checkVisibility())
      .map((day) => Number(day.dataset.progressDay)),
  };
})()`;
const homeContinues = `[...document.querySelectorAll("[data-progress-continue]")]
  .filter((link) => link.checkVisibility())
  .map((link) => [link.innerText.trim(), new URL(link.href).pathname])`;
const status = `document.querySelector("main [data-progress-status]").textContent`;
const startShown = `[...document.querySelectorAll("main a.button")]
  .some((link) => link.innerText.startsWith("Start with Day") && link.checkVisibility())`;
const path = (page) => `${basePath}${page}`;

async function checkSummary(tab, what, days, total, next, nextPath, of = "") {
  const seen = await tab.eval(summary);
  const count = `${days.length} of ${total} days done${of}`;
  expect(`${what}: says "${count}"`, seen.count, count);
  expect(`${what}: shows days ${JSON.stringify(days)} done`, seen.done, days);
  expect(
    next ? `${what}: continues with Day ${next}` : `${what}: has no Continue link`,
    seen.continues,
    next ? [`Continue with Day ${next}`, nextPath] : null,
  );
}

/** axe-core on the page as it is: no violation. */
async function checkAxe(tab, what) {
  if (!axeSource) {
    if (process.env.CI === "true") fail(`${what}: axe-core runs`, "axe-core not found (.ci/run installs it)");
    else console.log(`skip: ${what}: axe-core not installed (npm install --prefix tests/browser axe-core)`);
    return;
  }
  const loaded = await tab.eval("typeof axe");
  if (loaded === "undefined") await tab.eval(axeSource);
  const violations = await tab.eval(`axe.run(document, { resultTypes: ["violations"] }).then((r) =>
    r.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`);
  if (violations.length === 0) ok(`${what}: axe-core finds no violation`);
  else fail(`${what}: axe-core finds no violation`, violations.join("; "));
}

async function snap(tab, name, selector) {
  if (!screenshots) return;
  for (const scheme of ["light", "dark"]) {
    await tab.media([{ name: "prefers-color-scheme", value: scheme }]);
    await tab.screenshot(join(screenshots, `${name}-${scheme}.png`), selector);
  }
  await tab.media([]);
}

// ---- the checks ----

async function firstProfile() {
  const browser = await launch("first");
  const day1 = `${site}${journey}day-1/`;
  const tab = await browser.open(day1);

  // Mark day 1 done, with the keyboard.
  expect("day page: the toggle shows, not pressed", [await tab.eval(visible("[data-progress-toggle]")), await tab.eval(pressed)], [1, "false"]);
  expect("day page: the toggle is labelled", await tab.eval(text("[data-progress-toggle]")), "Mark this day done");
  await tab.press("[data-progress-toggle]", " ");
  expect("day 1: Space marks it done (aria-pressed)", await tab.eval(pressed), "true");
  expect("day 1: the live region says so", await tab.until(status), "Day 1 marked done.");
  expect(
    "localStorage key names the base path, journey and day",
    await tab.eval(`Object.keys(localStorage).filter((k) => k.startsWith("hearth-progress:"))`),
    [`hearth-progress:${encodeURIComponent(basePath)}:deepening-intimacy:1`],
  );
  await snap(tab, "day", ".part:last-of-type");
  await checkAxe(tab, "day page, marked done");
  await tab.media([{ name: "prefers-color-scheme", value: "dark" }]);
  await checkAxe(tab, "day page, marked done, dark mode");
  await tab.media([], "print");
  expect("day page: the toggle does not print", await tab.eval(visible("[data-progress-ui]")), 0);
  await tab.media([]);

  await tab.reload();
  expect("day 1: the mark survives a reload", await tab.eval(pressed), "true");

  // The overview, a week page and the home page follow.
  await tab.go(`${site}${journey}`);
  const total = await tab.eval(`document.querySelectorAll("main [data-progress-day]").length`);
  await checkSummary(tab, "overview", [1], total, 2, path(`${journey}day-2/`));
  expect("overview in progress: Continue replaces Start with Day 1", await tab.eval(startShown), false);
  await tab.eval(`document.querySelector(".done-move").open = true`);
  await snap(tab, "overview", ".done-journey");
  await snap(tab, "overview-weeks", ".weeks");
  await checkAxe(tab, "overview with its tools open");
  await tab.media([{ name: "prefers-color-scheme", value: "dark" }]);
  await checkAxe(tab, "overview with its tools open, dark mode");
  await tab.media([]);
  await tab.go(`${site}${journey}week-1/`);
  await checkSummary(tab, "week 1", [1], 7, 2, path(`${journey}day-2/`), " this week");
  await snap(tab, "week", ".week-days");
  await checkAxe(tab, "week page");
  await tab.go(site);
  expect("home: continues the journey in progress", await tab.eval(homeContinues), [
    ["Continue Deepening Intimacy — Day 2", path(`${journey}day-2/`)],
  ]);
  await snap(tab, "home", ".hero");
  await checkAxe(tab, "home page");

  // Another journey, and the same site at another path, are untouched.
  await tab.go(`${site}${other}`);
  const otherTotal = await tab.eval(`document.querySelectorAll("main [data-progress-day]").length`);
  await checkSummary(tab, "the other journey", [], otherTotal, null);
  await tab.go(`${otherSite}${journey}day-1/`);
  expect("the same site under another path: day 1 not done", await tab.eval(pressed), "false");
  await tab.go(otherSite);
  expect("the same site under another path: nothing to continue on its home", await tab.eval(homeContinues), []);

  // Undo: press again.
  await tab.go(day1);
  await tab.press("[data-progress-toggle]", "Enter");
  expect("day 1: pressing again undoes the mark", await tab.eval(pressed), "false");
  expect("day 1: the live region says so", await tab.until(status), "Day 1 is no longer marked done.");
  await tab.go(`${site}${journey}`);
  await checkSummary(tab, "overview after the undo", [], total, null);
  expect("overview not started: Start with Day 1 shows", await tab.eval(startShown), true);
  await tab.go(site);
  expect("home: nothing to continue after the undo", await tab.eval(homeContinues), []);

  // Days 1-3 and 5 of one journey, day 2 of the other.
  for (const [page, day] of [[journey, 1], [journey, 2], [journey, 3], [journey, 5], [other, 2]]) {
    await tab.go(`${site}${page}day-${day}/`);
    await tab.click("[data-progress-toggle]");
  }
  await tab.go(`${site}${journey}`);
  await checkSummary(tab, "overview, days 1-3 and 5 done", [1, 2, 3, 5], total, 4, path(`${journey}day-4/`));
  await tab.go(site);
  expect("home: continues both journeys in progress", await tab.eval(homeContinues), [
    ["Continue A Week of Gratitude — Day 1", path(`${other}day-1/`)],
    ["Continue Deepening Intimacy — Day 4", path(`${journey}day-4/`)],
  ]);

  // Export: the code, and the same code as a file.
  await tab.go(`${site}${journey}`);
  const code = await tab.eval(`document.querySelector("[data-progress-code]").value`);
  expect("export: the code lists the days of both journeys", code, "hearth-progress:1:a-week-of-gratitude=2;deepening-intimacy=1-3,5");
  await tab.click("[data-progress-download]");
  let saved = null;
  for (let i = 0; i < 40 && !saved; i += 1) {
    await sleep(100);
    const files = existsSync(browser.downloads) ? readdirSync(browser.downloads).filter((f) => f.endsWith(".txt")) : [];
    if (files.length) saved = join(browser.downloads, files[0]);
  }
  expect("export: the saved file holds the code", saved && readFileSync(saved, "utf8").trim(), code);

  // Reset, its undo, and reset again.
  await tab.press("[data-progress-reset]", "Enter");
  await checkSummary(tab, "overview after Reset progress", [], total, null);
  expect("reset: the live region says so", await tab.until(status), "Progress reset: 4 days no longer marked done.");
  await tab.click("[data-progress-undo]");
  await checkSummary(tab, "overview after Undo reset", [1, 2, 3, 5], total, 4, path(`${journey}day-4/`));
  await tab.click("[data-progress-reset]");
  await tab.go(`${site}${other}`);
  await checkSummary(tab, "reset leaves the other journey alone", [2], otherTotal, 1, path(`${other}day-1/`));

  expect("no cookie is set", [await tab.eval("document.cookie"), (await tab.cookies()).length], ["", 0]);
  expect("no request leaves the site", tab.foreign, []);
  expect("no console error or failed request", tab.problems, []);
  await tab.close();
  await browser.close();
  return { code, saved };
}

async function secondProfile({ code, saved }) {
  const browser = await launch("second");
  const tab = await browser.open(`${site}${journey}`);
  const total = await tab.eval(`document.querySelectorAll("main [data-progress-day]").length`);
  await checkSummary(tab, "a fresh profile", [], total, null);

  await tab.eval(`document.querySelector(".done-move").open = true`);
  await tab.eval(`document.querySelector("[data-progress-paste]").value = "not a code"`);
  await tab.click("[data-progress-import]");
  expect("import: a wrong code is refused, saying why", await tab.until(status), "That is not a progress code: it should start with “hearth-progress:1:”.");

  await tab.eval(`document.querySelector("[data-progress-paste]").value = ${JSON.stringify(code)}`);
  await tab.click("[data-progress-import]");
  await checkSummary(tab, "import of the pasted code", [1, 2, 3, 5], total, 4, path(`${journey}day-4/`));
  expect("import: the live region says what it did", await tab.until(status), "Imported: 5 days newly marked done (5 days in the code, 2 journeys).");
  await tab.go(`${site}${journey}day-5/`);
  expect("import: day 5's page shows it done", await tab.eval(pressed), "true");

  await tab.go(`${site}${journey}`);
  await tab.click("[data-progress-reset]");
  await tab.setFile("[data-progress-file]", saved);
  await checkSummary(tab, "import of the saved file", [1, 2, 3, 5], total, 4, path(`${journey}day-4/`));
  await tab.go(`${site}${other}`);
  await checkSummary(tab, "the file carried the other journey too", [2], await tab.eval(`document.querySelectorAll("main [data-progress-day]").length`), 1, path(`${other}day-1/`));

  expect("second profile: no request leaves the site", tab.foreign, []);
  expect("second profile: no console error", tab.problems, []);
  await tab.close();

  // Without JavaScript: the pages read fully, and no control shows.
  for (const page of ["", journey, `${journey}week-1/`, `${journey}day-1/`]) {
    const plain = await browser.open(`${site}${page}`, { javascript: false });
    const shown = await plain.eval(visible("[data-progress-ui], [data-progress-mark], [data-progress-group], [data-progress-toggle]"));
    const words = await plain.eval(`document.querySelector("main").innerText.split(/\\s+/).length`);
    const where = `/${page}`;
    expect(`without JavaScript ${where}: no progress control shows`, shown, 0);
    if (words > 40) ok(`without JavaScript ${where}: the page reads (${words} words)`);
    else fail(`without JavaScript ${where}: the page reads`, `${words} words`);
    if (page === journey) {
      expect(`without JavaScript ${where}: Start with Day 1 shows`, await plain.eval(startShown), true);
    }
    if (page === `${journey}day-1/`) {
      expect(
        `without JavaScript ${where}: every part of the day shows`,
        await plain.eval(`[...document.querySelectorAll(".part h2")].filter((h) => h.checkVisibility()).length > 2`),
        true,
      );
    }
    await plain.close();
  }
  await browser.close();
}

try {
  const exported = await firstProfile();
  if (!exported.saved) throw new Error("no exported file to import");
  await secondProfile(exported);
} catch (error) {
  fail("progress checks ran", error.stack ?? error.message);
} finally {
  removeTemporary(temp);
}
process.exit(failures ? 1 : 0);
