// Site search on the Pagefind index: runs only on /search/, builds the results
// with DOM methods (no innerHTML), and keeps the query in the address bar so
// results can be linked and the back button works.

const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const list = document.querySelector(".search-result-list");
const heading = document.getElementById("results-title");
const filters = [...document.querySelectorAll("[data-filter]")];
const bundle = form.dataset.searchBundle;
let pagefind;

// The index comes in shards (plugins/newsroom/search.py): the newest is the
// bundle itself, the others are merged into it. The list is revalidated on
// every visit, since it changes when a new shard starts.
async function load() {
  const options = { excerptLength: 30 };
  const [module, shards] = await Promise.all([
    import(`${bundle}pagefind.js`),
    fetch(`${bundle}shards.json`, { cache: "no-cache" }).then((response) => response.json()),
  ]);
  pagefind = module;
  await pagefind.options(options);
  await Promise.all(shards.merge.map((path) => pagefind.mergeIndex(`${bundle}${path}`, options)));
  const available = await pagefind.filters();
  for (const select of filters) {
    const values = Object.keys(available[select.dataset.filter] || {}).sort();
    for (const value of values) {
      select.append(new Option(`${value} (${available[select.dataset.filter][value]})`, value));
    }
  }
  form.querySelector(".search-filters").hidden = false;
}

// Pagefind marks matches with <mark>; rebuild that as text nodes and <mark>s.
function excerpt(html) {
  const paragraph = document.createElement("p");
  paragraph.className = "search-excerpt";
  for (const [index, part] of html.split(/<\/?mark>/).entries()) {
    const text = document.createTextNode(new DOMParser().parseFromString(part, "text/html").body.textContent);
    if (index % 2) {
      const mark = document.createElement("mark");
      mark.append(text);
      paragraph.append(mark);
    } else {
      paragraph.append(text);
    }
  }
  return paragraph;
}

function render(results, query) {
  list.replaceChildren();
  const count = results.length;
  heading.textContent = query
    ? `${count} ${count === 1 ? "result" : "results"} for “${query}”`
    : "Results";
  for (const result of results) {
    const item = document.createElement("li");
    item.className = "search-result";
    const title = document.createElement("h3");
    title.className = "search-result-title";
    const link = document.createElement("a");
    link.href = result.url;
    link.textContent = result.meta.title;
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.textContent = [result.filters.section?.[0], result.meta.date].filter(Boolean).join(" · ");
    item.append(title, meta, excerpt(result.excerpt));
    list.append(item);
  }
}

async function run() {
  const query = input.value.trim();
  const chosen = {};
  for (const select of filters) {
    if (select.value) chosen[select.dataset.filter] = select.value;
  }
  const params = new URLSearchParams({ q: query, ...chosen });
  history.replaceState(null, "", `?${params}`);
  if (!query && !Object.keys(chosen).length) {
    render([], "");
    return;
  }
  const search = await pagefind.search(query || null, { filters: chosen });
  const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  render(results, query);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});
for (const select of filters) select.addEventListener("change", run);

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
await load();
for (const select of filters) select.value = params.get(select.dataset.filter) || "";
if (input.value || filters.some((select) => select.value)) run();
