// Loads pages in headless Chromium over the DevTools protocol and fails on
// any console error, uncaught exception or failed request. On worksheet
// pages it also checks the Print button: shown and calling window.print()
// with JavaScript, hidden without it.
//
//   node console_check.mjs CHROMIUM BASE_URL PATH...
//
// Prints one `ok: …` or `FAIL: …` line per check. It talks to Chromium over
// --remote-debugging-pipe (file descriptors 3 and 4), so it needs no port,
// no WebSocket and no npm package: any Node.js from 18 on.

import { Connection, launchChromium, removeTemporary, sleep, stopChromium } from "./cdp.mjs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [chromiumPath, base, ...paths] = process.argv.slice(2);

const profile = mkdtempSync(join(tmpdir(), "hearth-browser-"));
const chrome = launchChromium(chromiumPath, profile);
let chromeOutput = "";
chrome.stderr.on("data", (chunk) => {
  chromeOutput += chunk;
});

let failures = 0;
const ok = (what) => console.log(`ok: ${what}`);
const fail = (what, detail) => {
  failures += 1;
  console.log(`FAIL: ${what}${detail ? ` — ${detail}` : ""}`);
};



/** Opens `url` in a new tab; returns the problems it reported and the session. */
async function load(cdp, url, { javascript = true } = {}) {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const problems = [];
  const listener = (message) => {
    if (message.sessionId !== sessionId) return;
    const params = message.params;
    switch (message.method) {
      case "Runtime.consoleAPICalled":
        if (params.type === "error" || params.type === "assert") {
          problems.push(`console.${params.type}: ${params.args.map((a) => a.value ?? a.description).join(" ")}`);
        }
        break;
      case "Runtime.exceptionThrown":
        problems.push(`exception: ${params.exceptionDetails.exception?.description ?? params.exceptionDetails.text}`);
        break;
      case "Log.entryAdded":
        if (params.entry.level === "error") {
          problems.push(`${params.entry.source}: ${params.entry.text} ${params.entry.url ?? ""}`.trim());
        }
        break;
      case "Network.responseReceived":
        if (params.response.status >= 400) {
          problems.push(`HTTP ${params.response.status}: ${params.response.url}`);
        }
        break;
      case "Network.loadingFailed":
        if (!params.canceled) problems.push(`request failed: ${params.errorText}`);
        break;
    }
  };
  cdp.listeners.add(listener);
  for (const domain of ["Runtime", "Log", "Network", "Page"]) {
    await cdp.send(`${domain}.enable`, {}, sessionId);
  }
  if (!javascript) {
    await cdp.send("Emulation.setScriptExecutionDisabled", { value: true }, sessionId);
  }
  const loaded = cdp.once("Page.loadEventFired", sessionId);
  const navigation = await cdp.send("Page.navigate", { url }, sessionId);
  if (navigation.errorText) problems.push(`navigation: ${navigation.errorText}`);
  await loaded;
  await sleep(300); // late console messages and deferred scripts
  const close = async () => {
    cdp.listeners.delete(listener);
    await cdp.send("Target.closeTarget", { targetId });
  };
  return { problems, sessionId, close };
}

async function evaluate(cdp, sessionId, expression) {
  const { result, exceptionDetails } = await cdp.send(
    "Runtime.evaluate",
    { expression, returnByValue: true },
    sessionId,
  );
  if (exceptionDetails) throw new Error(exceptionDetails.text);
  return result.value;
}

const PRINT_BUTTON_WORKS = `(() => {
  const button = document.querySelector(".print-button");
  if (!button) return "no .print-button";
  if (button.hidden || getComputedStyle(button).display === "none") return "the button is hidden";
  let printed = false;
  window.print = () => { printed = true; };
  button.click();
  return printed ? "ok" : "clicking it did not call window.print()";
})()`;

const PRINT_BUTTON_HIDDEN = `(() => {
  const button = document.querySelector(".print-button");
  if (!button) return "ok";
  return getComputedStyle(button).display === "none" ? "ok" : "a Print button shows that cannot work";
})()`;

async function main() {
  const cdp = new Connection(chrome.stdio[3], chrome.stdio[4]);
  const exited = new Promise((_, reject) =>
    chrome.on("exit", (code) => reject(new Error(`Chromium exited (${code}):\n${chromeOutput}`))),
  );
  await Promise.race([cdp.send("Browser.getVersion"), exited]);

  for (const path of paths) {
    const url = `${base}/${path}`;
    const page = `/${path}`;
    try {
      const { problems, sessionId, close } = await load(cdp, url);
      if (problems.length === 0) ok(`${page} loads without console errors`);
      else fail(`${page} loads without console errors`, problems.join("; "));
      if (/\/worksheets?\/$/.test(page)) {
        const verdict = await evaluate(cdp, sessionId, PRINT_BUTTON_WORKS);
        if (verdict === "ok") ok(`${page}: the Print button shows and calls window.print()`);
        else fail(`${page}: the Print button shows and calls window.print()`, verdict);
      }
      await close();
      if (/\/worksheets?\/$/.test(page)) {
        const noScript = await load(cdp, url, { javascript: false });
        const verdict = await evaluate(cdp, noScript.sessionId, PRINT_BUTTON_HIDDEN);
        if (verdict === "ok") ok(`${page}: without JavaScript no Print button shows`);
        else fail(`${page}: without JavaScript no Print button shows`, verdict);
        await noScript.close();
      }
    } catch (error) {
      fail(`${page} loads`, error.message);
    }
  }
  await cdp.send("Browser.close").catch(() => {});
}

try {
  await main();
} catch (error) {
  fail("browser checks ran", error.message);
} finally {
  await stopChromium(chrome);
  removeTemporary(profile);
}
process.exit(failures ? 1 : 0);
