import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { listFiles } from "./corpus-files.ts";
import { checkPeerFeed, type KeyFields } from "./peer-feed-check.ts";
import { describePeerCorpus } from "./peer-suite.ts";

interface GofeedItem {
  title?: unknown;
  link?: unknown;
  url?: unknown;
}

/**
 * gofeed's expected JSON beside each input (`x.xml` → `x.json`, `x.json` → `x_expected.json`):
 * its Atom, RSS and universal structs differ, but all name items `items` or `entries`, with
 * `title` and (RSS, universal) `link` or (JSON Feed) `url`.
 */
function expectedOutput(file: string): KeyFields | null {
  if (!existsSync(file)) return null;
  const output = JSON.parse(readFileSync(file, "utf8")) as {
    title?: unknown;
    items?: GofeedItem[];
    entries?: GofeedItem[];
  };
  const items = output.items ?? output.entries ?? [];
  return {
    title: output.title,
    items: items.map((item) => ({ title: item.title, link: item.link ?? item.url })),
  };
}

function isInput(file: string): boolean {
  if (file.endsWith(".xml")) return true;
  // A .json is an input only where it is not the expected output of an .xml beside it.
  return file.endsWith(".json") && !file.endsWith("_expected.json") && !existsSync(file.replace(/\.json$/, ".xml"));
}

function expectedFileFor(file: string): string {
  return file.endsWith(".xml") ? file.replace(/\.xml$/, ".json") : file.replace(/\.json$/, "_expected.json");
}

describePeerCorpus(
  "gofeed",
  "parses gofeed's test feeds with the titles, links and item counts of its expected JSON",
  (root) =>
    listFiles(path.join(root, "gofeed/testdata"), () => true)
      .filter(isInput)
      .map((file) => {
        const name = path.relative(root, file);
        return { name, run: (runner) => checkPeerFeed(runner, name, file, expectedOutput(expectedFileFor(file))) };
      }),
);
