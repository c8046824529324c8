// `hearth serve` in a real browser: a day page of a copy of the example
// site reloads by itself, once, after the day file is saved; a broken save shows
// the error overlay over the last good page; fixing it takes the overlay
// away. Every wait is bounded.
//
//   node live_reload.mjs CHROMIUM HEARTH REPO
//
// Prints one `ok: …` or `FAIL: …` line per check. Talks to Chromium over
// --remote-debugging-pipe, like console_check.mjs: no port, no npm package.

import { spawn } from "node:child_process";
import { Connection, launchChromium, removeTemporary, sleep, stopChromium, withTimeout } from "./cdp.mjs";
import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chromiumPath, hearthPath, repo] = process.argv.slice(2);
const DAY_FILE = "content/journeys/deepening-intimacy/day-02.md";
const DAY_PAGE = "journeys/deepening-intimacy/day-2/";

const work = mkdtempSync(join(tmpdir(), "hearth-live-"));
let failures = 0;
const ok = (what) => console.log(`ok: ${what}`);
const fail = (what, detail) => {
  failures += 1;
  console.log(`FAIL: ${what}${detail ? ` — ${detail}` : ""}`);
};

/** Saves as editors do: a temporary file renamed over the old one. */
function save(path, text) {
  writeFileSync(`${path}.saving~`, text);
  renameSync(`${path}.saving~`, path);
}

/** Starts `hearth serve` on a free port; resolves to its base URL. */
function startServer(root) {
  const server = spawn(hearthPath, ["serve", "--port", "0", "--root", root], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stderr.on("data", (chunk) => (output += chunk));
  const address = new Promise((resolve, reject) => {
    server.stdout.setEncoding("utf8");
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const found = output.match(/ at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (found) resolve(found[1]);
    });
    server.on("exit", (code) => reject(new Error(`hearth serve exited (${code}):\n${output}`)));
  });
  return { server, address: withTimeout(address, "hearth serve to start", 60000) };
}

async function main() {
  const site = join(work, "site");
  for (const part of ["site.toml", "content", "themes"]) {
    cpSync(join(repo, part), join(site, part), { recursive: true });
  }
  const { server, address } = startServer(site);
  const chrome = launchChromium(chromiumPath, join(work, "profile"));
  chrome.stderr.resume(); // not read here; drained so Chromium never blocks on it

  try {
    const base = await address;
    const cdp = new Connection(chrome.stdio[3], chrome.stdio[4]);
    await cdp.send("Browser.getVersion");
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    await cdp.send("Page.enable", {}, sessionId);
    await cdp.send("Runtime.enable", {}, sessionId);
    const evaluate = async (expression) =>
      (await cdp.send("Runtime.evaluate", { expression, returnByValue: true }, sessionId)).result.value;
    const mainText = () => evaluate("document.querySelector('main').innerText");
    const hasOverlay = () => evaluate("!!document.getElementById('hearth-overlay')");

    let loaded = cdp.once("Page.loadEventFired", sessionId);
    await cdp.send("Page.navigate", { url: base + DAY_PAGE }, sessionId);
    await loaded;
    await sleep(500); // the event stream connects

    const file = join(site, DAY_FILE);
    const original = readFileSync(file, "utf8");
    const marker = "A sentence added while the page was open.";
    loaded = cdp.once("Page.loadEventFired", sessionId, 10000);
    const saved = Date.now();
    save(file, `${original}\n${marker}\n`);
    try {
      await loaded;
      const text = await mainText();
      if (text.includes(marker)) ok(`/${DAY_PAGE} reloads by itself after the day is saved (${Date.now() - saved} ms)`);
      else fail(`/${DAY_PAGE} reloads by itself after the day is saved`, "reloaded without the new text");
    } catch (error) {
      fail(`/${DAY_PAGE} reloads by itself after the day is saved`, error.message);
    }
    // The day is written and told before its worksheets; the event for
    // those says it was told already, so it does not reload again.
    try {
      await cdp.once("Page.loadEventFired", sessionId, 1500);
      fail(`/${DAY_PAGE} reloads once per save`, "it reloaded a second time");
    } catch {
      ok(`/${DAY_PAGE} reloads once per save (the open page is written first)`);
    }

    await sleep(300);
    loaded = cdp.once("Page.loadEventFired", sessionId, 10000);
    save(file, `${original.replace(/^title: .*$/m, "title: [never closed")}\n${marker}\n`);
    try {
      await loaded;
      if ((await hasOverlay()) && (await mainText()).includes(marker)) {
        ok("a broken save shows the error overlay over the last good page");
      } else {
        fail("a broken save shows the error overlay over the last good page", `overlay: ${await hasOverlay()}`);
      }
    } catch (error) {
      fail("a broken save shows the error overlay over the last good page", error.message);
    }

    await sleep(300);
    loaded = cdp.once("Page.loadEventFired", sessionId, 10000);
    save(file, original);
    try {
      await loaded;
      if (!(await hasOverlay()) && !(await mainText()).includes(marker)) ok("fixing the file takes the overlay away");
      else fail("fixing the file takes the overlay away", `overlay: ${await hasOverlay()}`);
    } catch (error) {
      fail("fixing the file takes the overlay away", error.message);
    }
    await cdp.send("Browser.close").catch(() => {});
  } finally {
    server.kill();
    await stopChromium(chrome);
  }
}

try {
  await main();
} catch (error) {
  fail("live reload checks ran", error.message);
} finally {
  removeTemporary(work);
}
process.exit(failures ? 1 : 0);
