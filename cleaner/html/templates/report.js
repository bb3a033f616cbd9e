/* cleaner's HTML report: the table of documents (filtered, sorted, a page
   at a time), a document's detail and a pair of copies, each built from the
   page's JSON when asked for. Text goes in as text nodes, never as HTML. */
(function () {
  "use strict";
  var PAGE = 100, PAIR_PAGE = 50, SHARED = 8;
  var data = JSON.parse(document.getElementById("index").textContent);
  var docs = data.docs, codes = data.codes, pairs = data.pairs;
  var langIndex = {};
  data.summary.languages.forEach(function (l, i) { langIndex[l.lang] = i % 6; });
  var state = { rule: "", lang: "", flag: "", q: "", key: "i", dir: 1, page: 0 };
  var view = [], pairsShown = 0;
  var number = new Intl.NumberFormat("en");

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  function link(i) {
    return el("a", { href: "#doc-" + i, text: docs[i] ? docs[i].id : "?" });
  }
  function tag(code) {
    var name = codes[code] ? codes[code][0] : "";
    return el("span", { "class": "tag r-" + code, title: code + " " + name, text: code });
  }
  function cut(d) { return d.in ? (d.in - d.out) / d.in : 0; }
  function sortValue(i) {
    var d = docs[i];
    switch (state.key) {
      case "id": return d.id;
      case "lang": return d.lang;
      case "in": return d.in;
      case "out": return d.out;
      case "cut": return cut(d);
      case "n": return d.n;
      default: return i;
    }
  }

  /* The table: filter, sort, one page of rows. */
  function filter() {
    var q = state.q.toLowerCase();
    view = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      if (state.rule && d.codes.indexOf(state.rule) < 0) continue;
      if (state.lang && d.lang !== state.lang) continue;
      if (state.flag === "changed" ? !d.n : state.flag && d.flags.indexOf(state.flag) < 0) continue;
      if (q && d.id.toLowerCase().indexOf(q) < 0) continue;
      view.push(i);
    }
    var keys = {};
    view.forEach(function (i) { keys[i] = sortValue(i); });
    view.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      return (x < y ? -1 : x > y ? 1 : a - b) * state.dir;
    });
    state.page = 0;
    drawTable();
  }
  function drawTable() {
    var pages = Math.max(1, Math.ceil(view.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var first = state.page * PAGE, rows = document.createDocumentFragment();
    view.slice(first, first + PAGE).forEach(function (i) {
      var d = docs[i];
      var rules = el("td");
      d.codes.forEach(function (c) { rules.append(tag(c), " "); });
      var flags = el("td");
      d.flags.forEach(function (f) { flags.append(el("span", { "class": "flag flag-" + f, text: f }), " "); });
      rows.append(el("tr", {},
        el("td", { "class": "num", text: i + 1 }),
        el("td", {}, link(i)),
        el("td", { text: d.lang }),
        el("td", { "class": "num", text: number.format(d.in) }),
        el("td", { "class": "num", text: number.format(d.out) }),
        el("td", { "class": "num", text: (100 * cut(d)).toFixed(1) + "%" }),
        el("td", { "class": "num", text: d.n }),
        rules, flags));
    });
    var body = document.querySelector("#table tbody");
    body.replaceChildren(rows);
    $("count").textContent = number.format(view.length) + " of " + number.format(docs.length) + " documents";
    $("page").textContent = "page " + (state.page + 1) + " of " + pages;
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
    document.querySelectorAll("#table th[data-key]").forEach(function (th) {
      if (th.dataset.key === state.key) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  function setUpTable() {
    Object.keys(codes).forEach(function (c) {
      $("f-rule").append(el("option", { value: c, text: c + " " + codes[c][0] }));
    });
    data.summary.languages.forEach(function (l) {
      if (l.lang !== "none") $("f-lang").append(el("option", { value: l.lang, text: l.lang }));
    });
    [["f-rule", "rule"], ["f-lang", "lang"], ["f-flag", "flag"], ["f-q", "q"]].forEach(function (pair) {
      $(pair[0]).addEventListener("input", function (e) { state[pair[1]] = e.target.value; filter(); });
    });
    $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
    document.querySelectorAll("#table th[data-key] button").forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.parentNode.dataset.key;
        state.dir = state.key === key ? -state.dir : 1;
        state.key = key;
        filter();
      });
    });
    $("prev").addEventListener("click", function () { state.page--; drawTable(); });
    $("next").addEventListener("click", function () { state.page++; drawTable(); });
  }

  /* A document: its detail block, read and drawn when it is opened. */
  function detailOf(i) {
    var block = $("d" + i);
    return block ? JSON.parse(block.textContent) : null;
  }
  function removedNode(r) {
    var code = r[2], where = r[5] ? " (line " + r[5] + ")" : "";
    return el("del", {
      "class": "rm r-" + code + (r[4] ? " block" : ""),
      "data-code": code,
      title: "removed by " + code + " " + r[3] + where + (r[6] ? ": " + r[6] : "")
    }, el("span", { "class": "tag", text: code + " " + r[3] }), " " + r[1] + (r[4] ? "" : " "));
  }
  function drawText(d, lang) {
    var text = d.text, n = text.length, marks = d.spun ? d.spun.marks : [];
    var points = [0, n];
    d.segments.forEach(function (s) { points.push(s[0], s[1]); });
    marks.forEach(function (m) { points.push(m[0], m[1]); });
    d.removed.forEach(function (r) { points.push(r[0]); });
    points = points.filter(function (p, k) { return p >= 0 && p <= n && points.indexOf(p) === k; });
    points.sort(function (a, b) { return a - b; });
    var box = el("div", { "class": "text", lang: lang || "und" });
    var ri = 0, si = 0, mi = 0;
    for (var k = 0; k < points.length; k++) {
      var p = points[k];
      while (ri < d.removed.length && d.removed[ri][0] <= p) box.append(removedNode(d.removed[ri++]));
      if (k === points.length - 1) break;
      var q = points[k + 1], node = document.createTextNode(text.slice(p, q));
      while (si < d.segments.length && d.segments[si][1] <= p) si++;
      while (mi < marks.length && marks[mi][1] <= p) mi++;
      var mark = mi < marks.length && marks[mi][0] <= p ? marks[mi] : null;
      if (mark) {
        node = el("mark", { "class": "spun", title: "spun (" + mark[3] + "), likely original: " + mark[2] }, node);
        if (q === mark[1]) node = el("span", {}, node, el("span", { "class": "orig", text: "← " + mark[2] }));
      }
      var seg = si < d.segments.length && d.segments[si][0] <= p ? d.segments[si] : null;
      if (seg) node = el("span", { "class": "lg-" + (langIndex[seg[2]] || 0), lang: seg[2] }, node);
      box.append(node);
    }
    return box;
  }
  function changeList(title, rows) {
    if (!rows.length) return null;
    var list = el("ul", { "class": "changes" });
    rows.forEach(function (c) {
      var text = c[2] ? " “" + c[2] + "”" + (c[5] ? " → “" + c[5] + "”" : "") : "";
      list.append(el("li", {}, tag(c[0]), " " + c[1] + (c[3] ? ", line " + c[3] : "") + text + (c[4] ? " (" + c[4] + ")" : "")));
    });
    return el("div", {}, el("h3", { text: title }), list);
  }
  function legend(d) {
    var box = el("div", { "class": "legend", "aria-label": "Legend" });
    var seen = {};
    d.removed.forEach(function (r) {
      if (seen[r[2]]) return;
      seen[r[2]] = 1;
      box.append(el("span", {}, el("span", { "class": "swatch r-" + r[2] }), r[2] + " " + r[3]));
    });
    var langs = {};
    d.segments.forEach(function (s) { langs[s[2]] = 1; });
    Object.keys(langs).sort().forEach(function (l) {
      box.append(el("span", {}, el("span", { "class": "swatch lg-" + (langIndex[l] || 0) }), "text in " + l));
    });
    if (d.spun && d.spun.marks.length) box.append(el("span", {}, el("mark", { "class": "spun", text: "spun phrase" }), el("span", { "class": "orig", text: "← likely original" })));
    return box.children.length ? box : null;
  }
  function openDocument(i) {
    var section = $("detail"), d = detailOf(i), row = docs[i];
    if (!d || !row) { section.hidden = true; return; }
    var facts = el("dl", { "class": "facts" });
    function fact(name) {
      var dd = el("dd");
      for (var k = 1; k < arguments.length; k++) dd.append(arguments[k]);
      facts.append(el("dt", { text: name }), dd);
    }
    fact("path", row.path || row.id);
    if (row.error) fact("error", row.error);
    var shares = Object.keys(d.share).map(function (l) { return l + " " + Math.round(100 * d.share[l]) + "%"; });
    fact("languages", (shares.join(", ") || "–") + (row.flags.indexOf("mixed") >= 0 ? " (mixed)" : ""));
    fact("characters", number.format(row.in) + " in, " + number.format(row.out) + " out");
    if (d.encoding.codec) fact("encoding", d.encoding.codec + (d.encoding.bom ? ", byte-order mark" : ""));
    if (d.metadata.title) fact("title", d.metadata.title);
    if (d.metadata.date) fact("date", d.metadata.date);
    if (d.duplicate) {
      var dup = d.duplicate;
      if (dup.kept) fact("duplicates", "the kept copy of cluster " + dup.cluster);
      else if (dup.kind === "translation") fact("translation", "score " + dup.similarity + (dup.evidence ? " (" + evidenceText(dup.evidence) + ")" : "") + ", of ", dup.of >= 0 ? link(dup.of) : "?");
      else fact("duplicate", dup.kind + " copy (Jaccard " + dup.similarity + (dup.containment ? ", contained " + dup.containment : "") + ") of ", dup.of >= 0 ? link(dup.of) : "?");
    }
    if (d.spun && (d.spun.flagged || d.spun.marks.length)) {
      fact("spun", (d.spun.flagged ? "flagged" : "not flagged") + ", score " + d.spun.score);
      if (d.spun.of >= 0) fact("paraphrase of", link(d.spun.of));
    }
    var heading = el("h2", { id: "detail-title", tabindex: "-1", text: row.id });
    section.replaceChildren.apply(section, [
      heading,
      el("p", {}, el("a", { href: "#documents", text: "Back to the documents" }), " (Esc)"),
      facts,
      legend(d),
      d.exact ? null : el("p", { "class": "note", text: "The cleaned text was not found beside the report: shown as rebuilt from the input." }),
      d.unplaced.length ? el("p", { "class": "note", text: "Some removed pieces could not be placed in the text (the input changed, or could not be read again): they are listed below." }) : null,
      drawText(d, row.lang),
      changeList("Removed, not placed in the text", d.unplaced),
      changeList("Other changes", d.rewrites)
    ].filter(function (node) { return node !== null; }));
    section.setAttribute("aria-labelledby", "detail-title");
    section.hidden = false;
    heading.focus();
  }

  /* Pairs of copies, side by side, drawn when asked for. */
  function marked(text, spans) {
    var box = el("div", { "class": "text" }), pos = 0;
    spans.forEach(function (s) {
      if (s[0] < pos) return;
      box.append(text.slice(pos, s[0]), el("mark", { "class": "shared" }, text.slice(s[0], s[1])));
      pos = s[1];
    });
    box.append(text.slice(pos));
    return box;
  }
  function wordsOf(text) {
    var re = /[\p{L}\p{N}_]+/gu, out = [], m;
    while ((m = re.exec(text))) out.push([m.index, m.index + m[0].length, m[0].toLowerCase()]);
    return out;
  }
  function sharedRuns(a, b) {
    /* The spans of `a` covered by runs of SHARED words that `b` also holds. */
    var wa = wordsOf(a), wb = wordsOf(b), grams = new Set(), covered = new Uint8Array(wa.length), spans = [], i;
    function gram(words, k) { return words.slice(k, k + SHARED).map(function (w) { return w[2]; }).join(" "); }
    for (i = 0; i + SHARED <= wb.length; i++) grams.add(gram(wb, i));
    for (i = 0; i + SHARED <= wa.length; i++) if (grams.has(gram(wa, i))) covered.fill(1, i, i + SHARED);
    for (i = 0; i < wa.length; i++) {
      if (!covered[i]) continue;
      var j = i;
      while (j + 1 < wa.length && covered[j + 1]) j++;
      spans.push([wa[i][0], wa[j][1]]);
      i = j;
    }
    return spans;
  }
  function evidenceText(e) {
    var parts = ["document cosine " + e.cosine, "paragraphs aligned " + e.aligned,
      "paragraphs " + e.paragraphs.join("/"), "length ratio " + e.length_ratio];
    if (e.numbers !== null) parts.push("numbers " + e.numbers + (e.numbers_in_order !== null ? ", in order " + e.numbers_in_order : ""));
    if (e.names !== null) parts.push("names " + e.names);
    return parts.join(", ");
  }
  function comparePair(k) {
    var p = pairs[k], a = detailOf(p.a), b = detailOf(p.b);
    if (p.kind === "translation") {  // two languages share no passages: the evidence instead
      var title = el("h3", { tabindex: "-1", text: "translation, score " + p.similarity + (p.evidence ? ": " + evidenceText(p.evidence) : "") });
      $("pair-view").replaceChildren(title, el("div", { "class": "side" },
        el("div", {}, el("h4", {}, link(p.a)), marked(a.text, [])),
        el("div", {}, el("h4", {}, link(p.b)), marked(b.text, []))));
      title.focus();
      return;
    }
    var left = sharedRuns(a.text, b.text), right = sharedRuns(b.text, a.text);
    var heading = el("h3", { tabindex: "-1", text: describePair(p, left.length) });
    $("pair-view").replaceChildren(heading, el("div", { "class": "side" },
      el("div", {}, el("h4", {}, link(p.a)), marked(a.text, left)),
      el("div", {}, el("h4", {}, link(p.b)), marked(b.text, right))));
    heading.focus();
  }
  function describePair(p, passages) {
    var how = p.kind + (p.similarity !== null ? ", Jaccard " + p.similarity : "") + (p.containment ? ", contained " + p.containment : "");
    return how + ": " + passages + " shared passage" + (passages === 1 ? "" : "s") + " of " + SHARED + " words or more, marked";
  }
  function morePairs() {
    var rows = document.createDocumentFragment();
    pairs.slice(pairsShown, pairsShown + PAIR_PAGE).forEach(function (p, offset) {
      var k = pairsShown + offset, button = el("button", { type: "button", text: "Compare" });
      button.addEventListener("click", function () { comparePair(k); });
      rows.append(el("tr", {},
        el("td", { text: p.kind }),
        el("td", { "class": "num", text: p.similarity === null ? "–" : p.similarity }),
        el("td", {}, link(p.a)), el("td", {}, link(p.b)),
        el("td", { "class": "num", text: p.containment === null ? "–" : p.containment }),
        el("td", {}, button)));
    });
    if (!pairs.length) rows.append(el("tr", {}, el("td", { colspan: "6", text: "No pair." })));
    $("pair-rows").append(rows);
    pairsShown += PAIR_PAGE;
    $("more-pairs").hidden = pairsShown >= pairs.length;
  }

  function route() {
    var m = /^#doc-(\d+)$/.exec(location.hash);
    if (m) openDocument(+m[1]);
  }
  setUpTable();
  filter();
  morePairs();
  $("more-pairs").addEventListener("click", morePairs);
  window.addEventListener("hashchange", route);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !$("detail").hidden) {
      $("detail").hidden = true;
      location.hash = "#documents";
    }
  });
  route();
  if (window.performance && performance.mark) performance.mark("cleaner-ready");
  document.documentElement.setAttribute("data-ready", "1");
})();
