// Runs the browser search (theme/static/js/search.js) in Node against a built
// index, for tests/test_search.py: requests as JSON on stdin, answers on stdout.
//
//   node search_runner.mjs SEARCH_MODULE INDEX_FOLDER < requests.json

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modulePath, folder] = process.argv.slice(2);
const search = await import(pathToFileURL(modulePath));
const read = async (relative) => JSON.parse(await readFile(path.join(folder, relative), "utf-8"));

let input = "";
for await (const chunk of process.stdin) input += chunk;

const index = await search.openIndex(read);
const answers = [];
for (const request of JSON.parse(input)) {
  if (request.op === "words") {
    answers.push(search.fold(request.text).match(/[\p{L}\p{N}]+/gu) || []);
  } else if (request.op === "stem") {
    answers.push(search.stem(request.word));
  } else if (request.op === "filters") {
    answers.push(search.filterCounts(index));
  } else if (request.op === "counts") {
    answers.push(await search.filterCountsFor(index, request.query, request.filters || {}));
  } else if (request.op === "excerpt") {
    const stems = search.queryWords(request.query, index.stop).map(search.stem);
    answers.push(search.excerpt(request.text, stems));
  } else {
    const { results, stems } = await search.search(index, request.query, request.filters || {});
    const top = results.slice(0, request.top ?? 5);
    const shown = await Promise.all(top.map((result) => search.article(index, result)));
    answers.push({ count: results.length, urls: shown.map((doc) => doc.url), stems, first: shown[0] });
  }
}
process.stdout.write(JSON.stringify(answers));
