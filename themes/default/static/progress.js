// Reader progress: "Mark this day done", "N of M days done", "Continue with
// Day K", "Reset progress", and moving progress to another device.
//
// The state lives in this browser's localStorage only, one key per day
// marked done: `hearth-progress:<base path>:<journey>:<day>` (the parts
// URI-encoded), so two sites on one host never mix. Nothing is sent
// anywhere and no cookie is set. The markup comes from the theme's
// progress.html and stays hidden until this script runs; without
// JavaScript (or without storage) the controls are simply absent.
(() => {
  "use strict";

  const PREFIX = "hearth-progress:";
  const CODE_PREFIX = "hearth-progress:1:";
  const MAX_DAY = 100000;
  const MAX_CODE = 65536;

  const storage = openStorage();
  if (!storage) return;

  /** localStorage, or null when the browser refuses it. */
  function openStorage() {
    try {
      const store = window.localStorage;
      const probe = `${PREFIX}probe`;
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch {
      return null;
    }
  }

  // ---- the stored state ----

  const siteKey = (base) => `${PREFIX}${encodeURIComponent(base)}:`;
  const journeyKey = (base, journey) => `${siteKey(base)}${encodeURIComponent(journey)}:`;
  const dayKey = (base, journey, day) => `${journeyKey(base, journey)}${day}`;

  const isDone = (base, journey, day) => storage.getItem(dayKey(base, journey, day)) !== null;

  function setDone(base, journey, day, done) {
    if (done) storage.setItem(dayKey(base, journey, day), "done");
    else storage.removeItem(dayKey(base, journey, day));
  }

  /** Every day marked done on the site at `base`: journey → day numbers. */
  function readSite(base) {
    const prefix = siteKey(base);
    const journeys = new Map();
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (!key || !key.startsWith(prefix)) continue;
      const [journey, day] = key.slice(prefix.length).split(":");
      const number = Number(day);
      const name = decodeKeyPart(journey);
      if (!name || !Number.isInteger(number) || number < 1) continue;
      if (!journeys.has(name)) journeys.set(name, []);
      journeys.get(name).push(number);
    }
    for (const days of journeys.values()) days.sort((a, b) => a - b);
    return journeys;
  }

  /** A URI-encoded part of a key, or null if it is not one. */
  function decodeKeyPart(part) {
    try {
      return part ? decodeURIComponent(part) : null;
    } catch {
      return null;
    }
  }

  // ---- the code that carries progress to another device ----

  /** `hearth-progress:1:deepening-intimacy=1-3,5;calm=2` */
  function encodeCode(journeys) {
    const parts = [...journeys.keys()].sort().map((journey) => {
      const ranges = [];
      for (const day of journeys.get(journey)) {
        const last = ranges[ranges.length - 1];
        if (last && day === last[1] + 1) last[1] = day;
        else ranges.push([day, day]);
      }
      const days = ranges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));
      return `${encodeURIComponent(journey)}=${days.join(",")}`;
    });
    return CODE_PREFIX + parts.join(";");
  }

  /** The journeys and days of a code, or an Error saying what is wrong. */
  function decodeCode(text) {
    const code = text.replace(/\s+/g, "");
    if (!code) return new Error("Paste a progress code first.");
    if (code.length > MAX_CODE || !code.startsWith(CODE_PREFIX)) {
      return new Error("That is not a progress code: it should start with “hearth-progress:1:”.");
    }
    const journeys = new Map();
    const body = code.slice(CODE_PREFIX.length);
    for (const part of body ? body.split(";") : []) {
      const match = /^([^=;]+)=(\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*)$/.exec(part);
      const journey = match && decodeKeyPart(match[1]);
      if (!journey || !/^[\p{L}\p{N}-]+$/u.test(journey)) {
        return new Error(`That code is damaged near “${part.slice(0, 40)}”. Copy it again.`);
      }
      const days = journeys.get(journey) ?? new Set();
      for (const range of match[2].split(",")) {
        const [from, to = from] = range.split("-").map(Number);
        if (from < 1 || to < from || to > MAX_DAY || to - from > 1000) {
          return new Error(`That code has an impossible day range “${range}”.`);
        }
        for (let day = from; day <= to; day += 1) days.add(day);
      }
      journeys.set(journey, days);
    }
    return journeys;
  }

  /** Marks the code's days done on the site at `base`; the number newly marked. */
  function importCode(base, journeys) {
    let added = 0;
    for (const [journey, days] of journeys) {
      for (const day of days) {
        if (!isDone(base, journey, day)) {
          setDone(base, journey, day, true);
          added += 1;
        }
      }
    }
    return added;
  }

  // ---- the page ----

  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;

  /** `selector` matches in `scope`, the scope itself included. */
  const within = (scope, selector) => [
    ...(scope.matches(selector) ? [scope] : []),
    ...scope.querySelectorAll(selector),
  ];

  const scopes = () => [...document.querySelectorAll("[data-progress-journey][data-progress-base]")];
  const scopeOf = (element) => element.closest("[data-progress-journey][data-progress-base]");
  const idsOf = (scope) => [scope.dataset.progressBase, scope.dataset.progressJourney];

  /** Shows one scope's state: its listed days, count, continue link, toggles. */
  function renderScope(scope) {
    const [base, journey] = idsOf(scope);
    let done = 0;
    let next = null;
    for (const item of within(scope, "[data-progress-day]")) {
      const isItemDone = isDone(base, journey, item.dataset.progressDay);
      item.classList.toggle("is-done", isItemDone);
      for (const mark of item.querySelectorAll("[data-progress-mark]")) mark.hidden = !isItemDone;
      if (isItemDone) done += 1;
      else if (!next) next = item;
    }
    const state = done === 0 ? "not-started" : next ? "in-progress" : "finished";
    scope.dataset.progressState = state;
    for (const count of within(scope, "[data-progress-count]")) count.textContent = String(done);
    for (const bar of within(scope, "[data-progress-bar]")) bar.value = done;
    const link = next && next.querySelector("a[href]");
    for (const cont of within(scope, "[data-progress-continue]")) {
      if (!link) continue;
      cont.setAttribute("href", link.getAttribute("href"));
      for (const number of cont.querySelectorAll("[data-progress-next]")) {
        number.textContent = next.dataset.progressDay;
      }
    }
    for (const shown of within(scope, "[data-progress-when]")) {
      shown.hidden = !shown.dataset.progressWhen.split(/\s+/).includes(state);
    }
    for (const toggle of within(scope, "[data-progress-toggle]")) {
      toggle.setAttribute("aria-pressed", String(isDone(base, journey, toggle.dataset.progressToggle)));
    }
    for (const field of within(scope, "[data-progress-code]")) field.value = encodeCode(readSite(base));
  }

  function render() {
    for (const scope of scopes()) renderScope(scope);
    for (const group of document.querySelectorAll("[data-progress-group]")) {
      group.hidden = !within(group, "[data-progress-journey]").some(
        (scope) => scope.dataset.progressState === "in-progress",
      );
    }
  }

  /** Says `message` in the scope's live region (and on screen). */
  function announce(scope, message) {
    const status = within(scope, "[data-progress-status]")[0];
    if (!status) return;
    status.textContent = "";
    // A fresh text node after a tick, so a repeated message is read again.
    window.setTimeout(() => {
      status.textContent = message;
    }, 50);
  }

  // ---- actions ----

  /** The days of the last reset, per scope, until something else happens. */
  const lastReset = new WeakMap();

  function forgetReset(scope) {
    lastReset.delete(scope);
    for (const undo of within(scope, "[data-progress-undo]")) undo.hidden = true;
  }

  function toggleDay(scope, button) {
    const [base, journey] = idsOf(scope);
    const day = button.dataset.progressToggle;
    const done = !isDone(base, journey, day);
    setDone(base, journey, day, done);
    render();
    announce(scope, done ? `Day ${day} marked done.` : `Day ${day} is no longer marked done.`);
  }

  function resetJourney(scope) {
    const [base, journey] = idsOf(scope);
    const days = readSite(base).get(journey) ?? [];
    for (const day of days) setDone(base, journey, day, false);
    lastReset.set(scope, days);
    for (const undo of within(scope, "[data-progress-undo]")) undo.hidden = days.length === 0;
    render();
    announce(
      scope,
      days.length ? `Progress reset: ${plural(days.length, "day")} no longer marked done.` : "There was no progress to reset.",
    );
  }

  function undoReset(scope, button) {
    const [base, journey] = idsOf(scope);
    const days = lastReset.get(scope) ?? [];
    for (const day of days) setDone(base, journey, day, true);
    forgetReset(scope);
    render();
    const focusTarget = within(scope, "[data-progress-reset]")[0];
    if (button === document.activeElement && focusTarget) focusTarget.focus();
    announce(scope, `Reset undone: ${plural(days.length, "day")} marked done again.`);
  }

  async function copyCode(scope) {
    const field = within(scope, "[data-progress-code]")[0];
    if (!field) return;
    try {
      await navigator.clipboard.writeText(field.value);
      announce(scope, "Code copied. Paste it into this page on your other device.");
    } catch {
      field.focus();
      field.select();
      announce(scope, "The code is selected: copy it with your keyboard or menu.");
    }
  }

  function downloadCode(scope) {
    const [base] = idsOf(scope);
    const blob = new Blob([`${encodeCode(readSite(base))}\n`], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `progress-${window.location.hostname || "site"}.txt`;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce(scope, `Saved ${link.download}. Import it on your other device.`);
  }

  function importText(scope, text) {
    const [base] = idsOf(scope);
    const journeys = decodeCode(text);
    if (journeys instanceof Error) {
      announce(scope, journeys.message);
      return false;
    }
    const added = importCode(base, journeys);
    forgetReset(scope);
    render();
    const inCode = [...journeys.values()].reduce((sum, days) => sum + days.size, 0);
    announce(
      scope,
      `Imported: ${plural(added, "day")} newly marked done (${plural(inCode, "day")} in the code, ${plural(journeys.size, "journey")}).`,
    );
    return true;
  }

  async function importFile(scope, input) {
    const file = input.files && input.files[0];
    if (!file) return;
    if (file.size > MAX_CODE) {
      announce(scope, "That file is too large to be a progress file.");
    } else {
      importText(scope, await file.text());
    }
    input.value = "";
  }

  const actions = {
    progressToggle: toggleDay,
    progressReset: (scope) => resetJourney(scope),
    progressUndo: undoReset,
    progressCopy: (scope) => copyCode(scope),
    progressDownload: (scope) => downloadCode(scope),
    progressImport: (scope) => {
      const field = within(scope, "[data-progress-paste]")[0];
      if (field && importText(scope, field.value)) field.value = "";
    },
  };

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("button");
    const scope = button && scopeOf(button);
    if (!scope) return;
    for (const [name, action] of Object.entries(actions)) {
      if (name in button.dataset) {
        if (name !== "progressUndo" && name !== "progressCopy" && name !== "progressDownload") forgetReset(scope);
        action(scope, button);
        return;
      }
    }
  });

  document.addEventListener("change", (event) => {
    const input = event.target;
    const scope = input instanceof HTMLInputElement && "progressFile" in input.dataset && scopeOf(input);
    if (scope) importFile(scope, input);
  });

  // Another tab of this site changed progress.
  window.addEventListener("storage", (event) => {
    if (event.key === null || event.key.startsWith(PREFIX)) render();
  });

  for (const element of document.querySelectorAll("[data-progress-ui]")) element.hidden = false;
  render();
})();
