// Site search in the browser, on the static index the build writes
// (plugins/newsroom/search.py describes the files). It runs only on /search/,
// builds the results with DOM methods (no innerHTML) and keeps the query in the
// address bar, so results can be linked and the back button works.
//
// The matching half exports plain functions; tests/test_search.py runs them in
// Node against a real build's index.

const WORD = /[\p{L}\p{N}]+/gu;
const PAGE_SIZE = 10;
const K1 = 1.2; // BM25: how fast repeated matches stop counting
const B = 0.75; // BM25: how much a long article is discounted
const OTHER_FORM = 0.7; // a match on another form of the word ("attacked" for "attacks")

// Fold like the index does: no accents, lower case.
export function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

// A query word cut to a stem that its other forms start with: "attacks",
// "attacked" and "attacking" all become "attack" (which matches "attacker" too).
export function stem(word) {
  const cut = (ending, keep) => (word.endsWith(ending) && word.length - ending.length >= keep
    ? word.slice(0, -ending.length) : null);
  return cut("ies", 4)
    ?? cut("ing", 4)
    ?? cut("ed", 4)
    ?? (/(x|z|ss|sh|ch)es$/.test(word) ? cut("es", 3) : null)
    ?? (/[^siu]s$/.test(word) ? cut("s", 3) : null)
    ?? word;
}

// The words of a query that the index can match: folded, two letters or more,
// no stop words, each once.
export function queryWords(query, stop) {
  const words = (fold(query).match(WORD) || []).filter((w) => w.length > 1 && !stop.has(w));
  return [...new Set(words)];
}

// The file of a bucket: its letters, or their code points when not plain ASCII.
export function bucketFile(prefix) {
  return /^[a-z0-9]+$/.test(prefix)
    ? prefix
    : "u" + [...prefix].map((c) => c.codePointAt(0).toString(16)).join("-");
}

// Load the manifest; `read(path, fresh)` returns a file's parsed JSON (fresh:
// revalidated, for the manifest, which changes with every build).
export async function openIndex(read) {
  const manifest = await read("index.json", true);
  return { read, manifest, stop: new Set(manifest.stop), loaded: new Map() };
}

// Every filter value with how many articles it has, for the filter menus.
export function filterCounts(index) {
  const counts = {};
  for (const [kind, filter] of Object.entries(index.manifest.filters)) counts[kind] = filter.counts;
  return counts;
}

// A file of the index, fetched once.
function load(index, path) {
  if (!index.loaded.has(path)) index.loaded.set(path, index.read(path));
  return index.loaded.get(path);
}

// How much each article holds of one word: Map(article -> weight), over every
// term that starts with the word's stem.
async function wordWeights(index, word, wordStem) {
  const buckets = Object.entries(index.manifest.buckets)
    .filter(([prefix]) => prefix.startsWith(wordStem) || wordStem.startsWith(prefix));
  const weights = new Map();
  for (const [, file] of buckets) {
    for (const [term, postings] of Object.entries(await load(index, file))) {
      if (!term.startsWith(wordStem)) continue;
      const factor = term === word || term === wordStem ? 1 : OTHER_FORM;
      for (let i = 0; i < postings.length; i += 2) {
        weights.set(postings[i], (weights.get(postings[i]) || 0) + factor * postings[i + 1]);
      }
    }
  }
  return weights;
}

// Each filter value with how many results it would give: the query and the other
// filters applied, not this one, so the menus count what choosing a value shows.
export async function filterCountsFor(index, query, chosen) {
  const counts = {};
  for (const [kind, filter] of Object.entries(index.manifest.filters)) {
    const others = Object.fromEntries(Object.entries(chosen).filter(([name]) => name !== kind));
    if (!queryWords(query, index.stop).length && !Object.keys(others).length) {
      counts[kind] = filter.counts; // nothing narrows: every article
      continue;
    }
    const found = new Set((await search(index, query, others)).results.map((r) => r.id));
    const members = await load(index, filter.file);
    counts[kind] = {};
    for (const value of Object.keys(filter.counts)) {
      counts[kind][value] = (members[value] || []).filter((id) => found.has(id)).length;
    }
  }
  return counts;
}

// The articles the chosen filters allow, or null for all.
async function allowed(index, chosen) {
  let ids = null;
  for (const [kind, value] of Object.entries(chosen)) {
    const filter = index.manifest.filters[kind];
    const members = new Set(filter ? (await load(index, filter.file))[value] || [] : []);
    ids = ids ? new Set([...ids].filter((id) => members.has(id))) : members;
  }
  return ids;
}

// Search: every query word must match (as the start of a term, after stemming).
// Weights in the index are BM25's saturated term frequencies; here each word's
// is scaled by its rarity (idf). Newest first among equals, and newest first
// when filters alone choose. Returns {results: [{id, score}], stems}.
export async function search(index, query, chosen = {}) {
  const words = queryWords(query, index.stop);
  const stems = words.map(stem);
  if (!words.length && !Object.keys(chosen).length) return { results: [], stems };
  const [permitted, weights] = await Promise.all([
    allowed(index, chosen),
    Promise.all(words.map((word, i) => wordWeights(index, word, stems[i]))),
  ]);
  const total = index.manifest.docs;
  const idf = weights.map((w) => Math.log(1 + (total - w.size + 0.5) / (w.size + 0.5)));
  let candidates = words.length ? [...weights[0].keys()] : [...Array(total).keys()];
  if (permitted) candidates = candidates.filter((id) => permitted.has(id));
  const results = [];
  for (const id of candidates) {
    if (weights.some((w) => !w.has(id))) continue;
    const score = weights.reduce((sum, w, i) => sum + idf[i] * w.get(id), 0);
    results.push({ id, score });
  }
  results.sort((a, b) => b.score - a.score || b.id - a.id);
  return { results, stems };
}

// What a result shows of its article: url, title, summary, section, date.
export async function article(index, result) {
  const perTable = index.manifest.per_table;
  const table = await load(index, index.manifest.tables[Math.floor(result.id / perTable)]);
  return table[result.id % perTable];
}

// Does a word of the text match one of the stems?
function matches(word, stems) {
  const folded = fold(word);
  return stems.some((s) => folded.startsWith(s));
}

// Cut an excerpt of about `size` words around the first match:
// [{text, mark}] parts, or null if the text has no match.
export function excerpt(text, stems, size = 30) {
  const words = [...text.matchAll(WORD)];
  const first = words.findIndex((w) => matches(w[0], stems));
  if (first < 0) return null;
  const start = Math.max(0, first - 8);
  const end = Math.min(words.length, start + size);
  const from = words[start].index;
  const to = words[end - 1].index + words[end - 1][0].length;
  const parts = [];
  let cursor = from;
  for (const word of words.slice(start, end)) {
    if (!matches(word[0], stems)) continue;
    parts.push({ text: text.slice(cursor, word.index), mark: false });
    parts.push({ text: word[0], mark: true });
    cursor = word.index + word[0].length;
  }
  parts.push({ text: text.slice(cursor, to), mark: false });
  if (start > 0) parts.unshift({ text: "… ", mark: false });
  if (end < words.length) parts.push({ text: " …", mark: false });
  return parts;
}

// ---- The search page --------------------------------------------------------

function paragraph(parts) {
  const element = document.createElement("p");
  element.className = "search-excerpt";
  for (const part of parts) {
    if (part.mark) {
      const mark = document.createElement("mark");
      mark.textContent = part.text;
      element.append(mark);
    } else {
      element.append(part.text);
    }
  }
  return element;
}

// Marks in a body that are not its words: heading permalinks, footnote numbers.
const NOT_WORDS = ".headerlink, .footnote-ref, .footnote-backref";

// The words of an article's body, from its page (which a click then finds cached).
async function bodyText(url) {
  const response = await fetch(url);
  if (!response.ok) return null;
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const body = page.querySelector(".article-body");
  if (!body) return null;
  for (const mark of body.querySelectorAll(NOT_WORDS)) mark.remove();
  return body.textContent;
}

// One result: title, section and date, and the standfirst; the standfirst
// gives way to the passage of the body where the words occur, once fetched.
function resultItem(doc, stems) {
  const item = document.createElement("li");
  item.className = "search-result";
  const title = document.createElement("h3");
  title.className = "search-result-title";
  const link = document.createElement("a");
  link.href = doc.url;
  link.textContent = doc.title;
  title.append(link);
  const meta = document.createElement("p");
  meta.className = "search-result-meta";
  meta.textContent = [doc.section, doc.date].filter(Boolean).join(" · ");
  const summary = paragraph(excerpt(doc.summary, stems, 80) || [{ text: doc.summary, mark: false }]);
  item.append(title, meta, summary);
  if (stems.length) {
    bodyText(doc.url).then((text) => {
      const parts = text && excerpt(text.replace(/\s+/g, " "), stems);
      if (parts) summary.replaceWith(paragraph(parts));
    }).catch(() => {}); // the standfirst stays
  }
  return item;
}

async function start(form) {
  const input = document.getElementById("search-input");
  const list = document.querySelector(".search-result-list");
  const heading = document.getElementById("results-title");
  const more = document.querySelector(".search-more");
  const selects = [...document.querySelectorAll("[data-filter]")];
  const base = form.dataset.searchIndex;
  const read = (path, fresh) => fetch(base + path, fresh ? { cache: "no-cache" } : {}).then((response) => {
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  });
  let current = { results: [], stems: [], shown: 0 };

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  let index;
  try {
    index = await openIndex(read);
  } catch (error) {
    heading.textContent = "Search is not available right now";
    throw error;
  }
  const counts = filterCounts(index);
  for (const select of selects) {
    const values = counts[select.dataset.filter] || {};
    for (const value of Object.keys(values).sort()) select.append(new Option(value, value));
    select.value = params.get(select.dataset.filter) || "";
  }
  relabel(counts);
  form.querySelector(".search-filters").hidden = false;

  // Each menu entry says how many results it gives; one that gives none is
  // greyed out unless chosen.
  function relabel(counts) {
    for (const select of selects) {
      const values = counts[select.dataset.filter] || {};
      for (const option of select.options) {
        if (!option.value) continue;
        const count = values[option.value] || 0;
        option.textContent = `${option.value} (${count})`;
        option.disabled = count === 0 && option.value !== select.value;
      }
    }
  }

  async function show(count) {
    const next = current.results.slice(current.shown, current.shown + count);
    const docs = await Promise.all(next.map((result) => article(index, result)));
    list.append(...docs.map((doc) => resultItem(doc, current.stems)));
    current.shown += next.length;
    more.hidden = current.shown >= current.results.length;
  }

  async function run() {
    const query = input.value.trim();
    const chosen = {};
    for (const select of selects) if (select.value) chosen[select.dataset.filter] = select.value;
    history.replaceState(null, "", `?${new URLSearchParams({ q: query, ...chosen })}`);
    list.replaceChildren();
    more.hidden = true;
    heading.textContent = "Searching…";
    const [found, counts] = await Promise.all([
      search(index, query, chosen),
      filterCountsFor(index, query, chosen),
    ]);
    current = { ...found, shown: 0 };
    relabel(counts);
    const total = current.results.length;
    if (!query && !Object.keys(chosen).length) {
      heading.textContent = "Results";
    } else {
      const what = query ? ` for “${query}”` : "";
      heading.textContent = `${total} ${total === 1 ? "result" : "results"}${what}`;
    }
    await show(PAGE_SIZE);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  for (const select of selects) select.addEventListener("change", run);
  more.addEventListener("click", () => show(PAGE_SIZE));
  if (input.value || selects.some((select) => select.value)) await run();
}

const form = typeof document === "undefined" ? null : document.querySelector(".search-form");
if (form) start(form);
