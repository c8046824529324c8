// hearth's search page: reads the index hearth wrote under search/ and
// shows results as the reader types. It fetches meta.json once, one
// terms/<xx>.json file per word typed (by the word's first two letters)
// and docs/<n>.json only for the results shown. No other requests.
//
// Words are folded the way hearth folds them (lowercase, accents removed)
// and matched as prefixes of the words of the site; hearth indexed each
// word under its stem, so "reply" also finds "replying" and "replied".
(function () {
  "use strict";

  var form = document.getElementById("search_form");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var input = document.getElementById("search_q");
  var status = document.getElementById("search_status");
  var list = document.getElementById("search_results");
  var browse = document.getElementById("search_browse");
  var filters = document.getElementById("search_filters");
  var selects = {
    topic: document.getElementById("search_topic"),
    journey: document.getElementById("search_journey"),
    week: document.getElementById("search_week"),
  };
  var base = form.getAttribute("data-index");
  var PAGE = 20;
  var KINDS = { guide: "Guide", day: "Journey day", week: "Journey week", page: "Page" };

  var cache = {};
  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (response) {
        if (response.status === 404) return {};
        if (!response.ok) throw new Error(response.status + " " + path);
        return response.json();
      });
    }
    return cache[path];
  }

  // ---- words, as hearth's src/render/search.rs makes them ----

  function fold(text) {
    var words = [];
    var folded = text
      .replace(/\]\([^)]*\)/g, " ")
      .toLowerCase()
      .replace(/ß/g, "ss")
      .normalize("NFD")
      .replace(/\p{M}/gu, "");
    folded.replace(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)?/gu, function (word) {
      words.push(word.split(/['’]/)[0]);
      return word;
    });
    return words;
  }

  // One word (a run of letters and digits) folded: what fold() makes of
  // it, without its passes over the text.
  var NON_ASCII = /[^\x00-\x7f]/;
  function foldWord(word) {
    var lower = word.toLowerCase();
    if (!NON_ASCII.test(lower)) return lower;
    return lower.replace(/ß/g, "ss").normalize("NFD").replace(/\p{M}/gu, "");
  }

  function startsWithAny(folded, words) {
    for (var i = 0; i < words.length; i++) if (folded.lastIndexOf(words[i], 0) === 0) return true;
    return false;
  }

  function shardName(word) {
    var out = "";
    var chars = Array.from(word).slice(0, 2);
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      out += /^[a-z0-9]$/.test(c) ? c : "u" + c.codePointAt(0).toString(16);
    }
    return out;
  }

  // A document set ("L" + base-36 gaps, or "B" + base64 bits) as bits.
  function decode(text, total) {
    var bits = new Uint8Array((total + 7) >> 3);
    if (!text) return bits;
    if (text[0] === "B") {
      var raw = atob(text.slice(1));
      for (var i = 0; i < bits.length; i++) bits[i] = raw.charCodeAt(i);
    } else {
      var doc = 0;
      text.slice(1).split(".").forEach(function (gap) {
        doc += parseInt(gap, 36);
        bits[doc >> 3] |= 1 << (doc & 7);
      });
    }
    return bits;
  }

  function has(bits, doc) {
    return (bits[doc >> 3] >> (doc & 7)) & 1;
  }

  function or(a, b) {
    for (var i = 0; i < a.length; i++) a[i] |= b[i];
    return a;
  }

  // ---- the query ----

  // The term shards of `words`, fetched (one per first two letters).
  function loadTerms(words) {
    return Promise.all(words.map(function (w) { return load("terms/" + shardName(w) + ".json"); }));
  }

  // The forms of a query word that a stem of the index may start with:
  // the word, and for English words the word without a common ending
  // ("replied" → "repli", "walking" → "walk"), so a form the site does
  // not use still finds the stem of those it does.
  function forms(word) {
    var out = [word];
    var m = /^(.{4,}?)(?:ies|ied)$/.exec(word);
    if (m) out.push(m[1] + "i");
    else if ((m = /^(.{4,}?)(?:ing|ed|es|s)$/.exec(word))) out.push(m[1], m[1].replace(/y$/, "i"));
    return out;
  }

  // For a word, its title, heading and body sets: the union over the
  // stems that have a word starting with it (or that start with one of
  // its forms).
  function wordSets(meta, terms, word) {
    var size = (meta.docs + 7) >> 3;
    var sets = { t: new Uint8Array(size), h: new Uint8Array(size), b: new Uint8Array(size) };
    var shapes = forms(word);
    Object.keys(terms).forEach(function (stem) {
      var entry = terms[stem];
      var hit = startsWithAny(stem, shapes) || entry.w.some(function (w) { return w.lastIndexOf(word, 0) === 0; });
      if (!hit) return;
      or(sets.t, decode(entry.t, meta.docs));
      or(sets.h, decode(entry.h, meta.docs));
      or(sets.b, decode(entry.b, meta.docs));
    });
    return sets;
  }

  // The matching documents, best first: every word must match; a word in
  // the title counts 4, in a heading 2, in the text 1; ties keep the
  // site's order. (A counting sort on the scores: no comparisons.)
  function match(meta, shards, words) {
    var all = words.map(function (w, i) { return wordSets(meta, shards[i], w); });
    var scores = new Uint8Array(meta.docs);
    var top = 4 * all.length;
    var perScore = new Int32Array(top + 1);
    for (var i = 0; i < all[0].t.length; i++) {
      var every = 0xff;
      for (var k = 0; k < all.length; k++) every &= all[k].t[i] | all[k].h[i] | all[k].b[i];
      for (var bit = 0; every && bit < 8; bit++) {
        if (!((every >> bit) & 1)) continue;
        var score = 0;
        for (k = 0; k < all.length; k++) {
          var s = all[k];
          score += (s.t[i] >> bit) & 1 ? 4 : (s.h[i] >> bit) & 1 ? 2 : 1;
        }
        scores[i * 8 + bit] = score;
        perScore[score]++;
      }
    }
    var next = new Int32Array(top + 1);
    var total = 0;
    for (var score2 = top; score2 > 0; score2--) {
      next[score2] = total;
      total += perScore[score2];
    }
    var hits = new Int32Array(total);
    for (var doc = 0; doc < scores.length; doc++) {
      if (scores[doc]) hits[next[scores[doc]]++] = doc;
    }
    return hits;
  }

  // Each document's journey (its number in meta.journeys, -1 for none) and
  // week number, worked out once.
  function places(meta) {
    if (!meta.places) {
      var journey = new Int16Array(meta.docs).fill(-1);
      var week = new Uint16Array(meta.docs);
      meta.journeys.forEach(function (j, n) {
        journey.fill(n, j.start, j.end);
        j.weeks.forEach(function (w) { week.fill(w[0], w[1], w[2]); });
      });
      meta.places = { journey: journey, week: week };
    }
    return meta.places;
  }

  function topicBits(meta) {
    if (!meta.bits) meta.bits = meta.topic_docs.map(function (t) { return decode("B" + t, meta.docs); });
    return meta.bits;
  }

  var BITS = new Uint8Array(256);
  for (var b = 1; b < 256; b++) BITS[b] = (b & 1) + BITS[b >> 1];

  // The hits that pass the chosen filters, and the count each choice of a
  // filter would give with the other filters as they are.
  function filter(meta, hits, chosen) {
    var place = places(meta);
    var bits = topicBits(meta);
    var topic = chosen.topic ? bits[meta.topics.indexOf(chosen.topic)] || new Uint8Array(0) : null;
    var week = chosen.week ? Number(chosen.week) : 0;
    var journeys = meta.journeys;
    var byJourney = new Int32Array(journeys.length);
    var byWeek = {};
    var pool = new Uint8Array((meta.docs + 7) >> 3);
    var shown = [];
    for (var i = 0; i < hits.length; i++) {
      var doc = hits[i];
      var j = place.journey[doc];
      var okTopic = !topic || (topic[doc >> 3] >> (doc & 7)) & 1;
      var okJourney = !chosen.journey || (j >= 0 && journeys[j].title === chosen.journey);
      var okWeek = !week || (j >= 0 && place.week[doc] === week);
      if (okJourney && okWeek) pool[doc >> 3] |= 1 << (doc & 7);
      if (j >= 0 && okTopic && okWeek) byJourney[j]++;
      if (j >= 0 && okTopic && okJourney) byWeek[place.week[doc]] = (byWeek[place.week[doc]] || 0) + 1;
      if (okTopic && okJourney && okWeek) shown.push(doc);
    }
    var counts = { topic: {}, journey: {}, week: byWeek };
    bits.forEach(function (set, t) {
      var n = 0;
      for (var k = 0; k < pool.length; k++) if (pool[k]) n += BITS[pool[k] & set[k]];
      if (n) counts.topic[meta.topics[t]] = n;
    });
    journeys.forEach(function (j, n) {
      if (byJourney[n]) counts.journey[j.title] = (counts.journey[j.title] || 0) + byJourney[n];
    });
    return { hits: shown, counts: counts };
  }

  // ---- showing it ----

  var COLLATOR = new Intl.Collator();

  function fillSelect(select, counted, chosen, anyLabel, label) {
    var names = Object.keys(counted);
    if (chosen && names.indexOf(chosen) < 0) names.push(chosen);
    names.sort(select.id === "search_week" ? function (a, b) { return a - b; } : COLLATOR.compare);
    select.textContent = "";
    var any = document.createElement("option");
    any.value = "";
    any.textContent = anyLabel;
    select.appendChild(any);
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = name;
      option.textContent = label(name) + " (" + (counted[name] || 0) + ")";
      option.selected = name === chosen;
      select.appendChild(option);
    });
  }

  // `text` as DOM nodes, with the words that start with a query word in
  // <mark>.
  function marked(text, words) {
    var fragment = document.createDocumentFragment();
    var parts = text.split(/([\p{L}\p{N}]+)/u);
    var plain = "";
    parts.forEach(function (part, i) {
      if (!(i % 2 && startsWithAny(foldWord(part), words))) { plain += part; return; }
      if (plain) fragment.appendChild(document.createTextNode(plain));
      plain = "";
      var mark = document.createElement("mark");
      mark.textContent = part;
      fragment.appendChild(mark);
    });
    if (plain) fragment.appendChild(document.createTextNode(plain));
    return fragment;
  }

  // About 200 characters of `text` around its first matched word.
  function snippet(text, words) {
    var re = /[\p{L}\p{N}]+/gu, found = -1, m;
    while ((m = re.exec(text))) {
      if (startsWithAny(foldWord(m[0]), words)) { found = m.index; break; }
    }
    var start = Math.max(0, found < 0 ? 0 : found - 80);
    if (start > 0) start = text.indexOf(" ", start) + 1;
    var end = Math.min(text.length, start + 200);
    if (end < text.length) end = Math.max(text.lastIndexOf(" ", end), start + 1);
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  // Shows the first `shown` hits once their records are fetched; resolves
  // to the milliseconds spent laying them out.
  function showResults(meta, hits, words, shown) {
    var slice = hits.slice(0, shown);
    var chunks = {};
    slice.forEach(function (doc) { chunks[Math.floor(doc / meta.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (n) {
      return load("docs/" + n + ".json").then(function (records) { chunks[n] = records; });
    })).then(function () {
      var started = performance.now();
      var items = document.createDocumentFragment();
      slice.forEach(function (doc) {
        var record = chunks[Math.floor(doc / meta.chunk)][doc % meta.chunk];
        var item = document.createElement("li");
        item.className = "search-result";
        var title = document.createElement("h2");
        var link = document.createElement("a");
        link.href = record[1];
        link.appendChild(marked(record[0], words));
        title.appendChild(link);
        var kind = document.createElement("p");
        kind.className = "search-kind";
        kind.textContent = (KINDS[record[2]] || record[2]) + (record[3] ? " · " + record[3] : "");
        var text = document.createElement("p");
        text.className = "search-snippet";
        text.appendChild(marked(snippet(record[4], words), words));
        item.appendChild(title);
        item.appendChild(kind);
        item.appendChild(text);
        items.appendChild(item);
      });
      if (hits.length > shown) {
        var more = document.createElement("li");
        more.className = "search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = "Show more results";
        button.addEventListener("click", function () {
          showResults(meta, hits, words, shown + PAGE).then(function () {
            var first = list.children[shown];
            if (first) first.querySelector("a").focus();
          });
        });
        more.appendChild(button);
        items.appendChild(more);
      }
      list.textContent = "";
      list.appendChild(items);
      return performance.now() - started;
    });
  }

  function chosenFilters() {
    return { topic: selects.topic.value, journey: selects.journey.value, week: selects.week.value };
  }

  function updateUrl(q, chosen) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    ["topic", "journey", "week"].forEach(function (key) { if (chosen[key]) params.set(key, chosen[key]); });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  // Runs the search in the box with the chosen filters. Resolves to
  // what it did: the results and the milliseconds spent working (not
  // waiting for the index), for the browser checks and the benchmark.
  var run = 0;
  function search() {
    var q = input.value;
    var chosen = chosenFilters();
    var words = fold(q).filter(function (w) { return w.length >= 2; });
    var ticket = ++run;
    if (!words.length) {
      updateUrl(q.trim(), chosen);
      list.textContent = "";
      filters.hidden = true;
      browse.hidden = false;
      status.textContent = q.trim() ? "Type at least two letters of a word." : "";
      return Promise.resolve({ results: 0, ms: 0 });
    }
    return Promise.all([load("meta.json"), loadTerms(words)]).then(function (parts) {
      if (ticket !== run) return null;
      var started = performance.now();
      var meta = parts[0];
      var all = match(meta, parts[1], words);
      var filtered = filter(meta, all, chosen);
      var hits = filtered.hits;
      var c = filtered.counts;
      fillSelect(selects.topic, c.topic, chosen.topic, "Any topic", String);
      fillSelect(selects.journey, c.journey, chosen.journey, "Any journey", String);
      fillSelect(selects.week, c.week, chosen.week, "Any week", function (n) { return "Week " + n; });
      filters.hidden = false;
      browse.hidden = hits.length > 0;
      status.textContent = (hits.length === 1 ? "1 result" : hits.length + " results") + " for “" + q.trim() + "”" +
        (chosen.topic || chosen.journey || chosen.week ? " with the chosen filters" : "") + ".";
      var matching = performance.now() - started;
      return showResults(meta, hits, words, PAGE).then(function (showing) {
        // The address follows once the results are shown.
        updateUrl(q.trim(), chosen);
        return { results: hits.length, ms: matching + showing };
      });
    }).catch(function (error) {
      status.textContent = "Search is not available right now (" + error.message + ").";
      return null;
    });
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  ["topic", "journey", "week"].forEach(function (key) {
    var value = params.get(key);
    if (!value) return;
    var option = document.createElement("option");
    option.value = value;
    option.textContent = value;
    option.selected = true;
    selects[key].appendChild(option);
  });

  var timer = null;
  function searchNow() {
    clearTimeout(timer);
    window.hearthSearch = search();
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(searchNow, 120);
  });
  Object.keys(selects).forEach(function (key) { selects[key].addEventListener("change", searchNow); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    searchNow();
  });
  window.hearthSearch = search();
})();
