// Runs the browser search (theme/static/js/search.js) in Node against a built
// index, for tests/test_search.py: requests as JSON on stdin, answers on stdout.
//
//   node search_runner.mjs SEARCH_MODULE INDEX_FOLDER < requests.json

import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [modulePath, folder] = process.argv.slice(2);
const search = await import(pathToFileURL(modulePath));
const read = async (relative) => JSON.parse(await readFile(path.join(folder, relative), "utf-8"));

let input = "";
for await (const chunk of process.stdin) input += chunk;

const index = await search.openIndex(read);
const answers = [];
for (const request of JSON.parse(input)) {
  if (request.op === "words") {
    answers.push((search.fold(request.text).match(/[\p{L}\p{N}]+/gu) || []));
  } else if (request.op === "stem") {
    answers.push(search.stem(request.word));
  } else if (request.op === "filters") {
    answers.push(search.filterCounts(index));
  } else {
    const { results, stems } = await search.search(index, request.query, request.filters || {});
    const top = await Promise.all(results.slice(0, request.top ?? 5).map((r) => search.fragment(index, r)));
    const first = top[0];
    answers.push({
      count: results.length,
      urls: top.map((doc) => doc.url),
      stems,
      excerpt: first ? search.excerpt(first.text, stems) : null,
    });
  }
}
process.stdout.write(JSON.stringify(answers));
