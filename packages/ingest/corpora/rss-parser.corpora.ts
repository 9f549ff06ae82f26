import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { listFiles } from "./corpus-files.ts";
import { checkPeerFeed, type KeyFields } from "./peer-feed-check.ts";
import { describePeerCorpus } from "./peer-suite.ts";

/** rss-parser's expected output: `{ feed: { title, link, items: [{ title, link, … }] } }`. */
function expectedOutput(file: string): KeyFields | null {
  if (!existsSync(file)) return null;
  const output = JSON.parse(readFileSync(file, "utf8")) as { feed?: KeyFields };
  return output.feed ?? null;
}

describePeerCorpus(
  "rss-parser",
  "parses rss-parser's inputs with the titles, links and item counts of its expected outputs",
  (root) => {
    const dir = path.join(root, "rss-parser/test");
    return listFiles(path.join(dir, "input"), () => true).map((file) => {
      const name = `rss-parser/test/input/${path.basename(file)}`;
      const expected = expectedOutput(path.join(dir, "output", `${path.basename(file).replace(/\.[^.]+$/, "")}.json`));
      return { name, run: (runner) => checkPeerFeed(runner, name, file, expected) };
    });
  },
);
