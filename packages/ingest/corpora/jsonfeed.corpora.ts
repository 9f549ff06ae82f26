import { readFileSync } from "node:fs";
import path from "node:path";
import { listFiles } from "./corpus-files.ts";
import { checkPeerFeed, type KeyFields } from "./peer-feed-check.ts";
import { describePeerCorpus } from "./peer-suite.ts";

/** A JSON Feed is its own expected output: our titles, links and item count must be its own. */
function ownFields(file: string): KeyFields {
  const feed = JSON.parse(readFileSync(file, "utf8")) as {
    title?: unknown;
    items?: Array<{ title?: unknown; url?: unknown }>;
  };
  return { title: feed.title, items: (feed.items ?? []).map((item) => ({ title: item.title, link: item.url })) };
}

describePeerCorpus(
  "jsonfeed",
  "parses the JSON Feed spec's and schema's examples with their own titles, links and item counts",
  (root) =>
    [
      ...listFiles(path.join(root, "jsonfeed/jsonfeed-spec/examples"), (name) => name.endsWith(".json")),
      ...listFiles(path.join(root, "jsonfeed/jsonfeed-schema/test/examples"), (name) => name.endsWith(".json")),
    ].map((file) => {
      const name = path.relative(root, file);
      return { name, run: (runner) => checkPeerFeed(runner, name, file, ownFields(file)) };
    }),
);
