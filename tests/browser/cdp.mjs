// The Chrome DevTools protocol over Chromium's pipe, shared by the browser
// suite's scripts: start a headless Chromium, send commands, wait for
// events. Plain Node, no npm packages.

import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

export const TIMEOUT_MS = 20000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` after `ms`. */
export function withTimeout(promise, what, ms = TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Headless Chromium with a fresh profile, driven over fd 3 (commands) and
 * fd 4 (answers and events); its stderr is piped for error reports. */
export function launchChromium(chromiumPath, profileDir) {
  return spawn(
    chromiumPath,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profileDir}`,
      "--remote-debugging-pipe",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"] },
  );
}

/** Stops Chromium and waits (bounded) for it to exit: on a loaded machine
 * it writes its profile for seconds after it is told to stop. */
export async function stopChromium(chrome) {
  if (chrome.exitCode !== null || chrome.signalCode !== null) return;
  const exited = new Promise((resolve) => chrome.once("exit", resolve));
  chrome.kill();
  await withTimeout(exited, "Chromium exits").catch(() => chrome.kill("SIGKILL"));
}

/** Removes a temporary folder; one that cannot be removed (a helper process
 * of Chromium still writing) is reported, never a failed check. */
export function removeTemporary(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    console.error(`note: left ${dir} behind: ${error.message}`);
  }
}

/** A DevTools protocol connection over Chromium's pipe: messages are JSON
 * ended by a NUL byte; commands answered by id, events to listeners. */
export class Connection {
  constructor(toChrome, fromChrome) {
    this.toChrome = toChrome;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Set();
    let buffered = "";
    fromChrome.setEncoding("utf8");
    fromChrome.on("data", (chunk) => {
      buffered += chunk;
      let end;
      while ((end = buffered.indexOf("\0")) >= 0) {
        const message = JSON.parse(buffered.slice(0, end));
        buffered = buffered.slice(end + 1);
        this.dispatch(message);
      }
    });
  }

  dispatch(message) {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    } else {
      for (const listener of this.listeners) listener(message);
    }
  }

  send(method, params = {}, sessionId = undefined) {
    const id = this.nextId++;
    this.toChrome.write(JSON.stringify({ id, method, params, sessionId }) + "\0");
    return withTimeout(
      new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, method })),
      method,
    );
  }

  /** The next event `method` of a session, within `ms`. */
  once(method, sessionId, ms = TIMEOUT_MS) {
    let listener;
    return withTimeout(
      new Promise((resolve) => {
        listener = (message) => {
          if (message.method === method && message.sessionId === sessionId) resolve(message.params);
        };
        this.listeners.add(listener);
      }),
      method,
      ms,
    ).finally(() => this.listeners.delete(listener));
  }
}
