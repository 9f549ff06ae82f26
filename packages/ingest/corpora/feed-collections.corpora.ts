import path from "node:path";
import { listFiles } from "./corpus-files.ts";
import { checkPeerFeed } from "./peer-feed-check.ts";
import { describePeerCorpus, type PeerCase } from "./peer-suite.ts";

/** Real-world feeds that their projects test against without shipping expected output. */
function feedsUnder(folder: string, accept: (name: string) => boolean): (root: string) => PeerCase[] {
  return (root) =>
    listFiles(path.join(root, folder), accept).map((file) => {
      const name = path.relative(root, file);
      return { name, run: (runner) => checkPeerFeed(runner, name, file, null) };
    });
}

const NOT_LICENSE = (name: string) => name !== "LICENSE";

describePeerCorpus(
  "rsparser",
  "parses RSParser's feeds without crash or hang, every item with a title or link and an ISO date",
  feedsUnder("rsparser", NOT_LICENSE),
);
describePeerCorpus(
  "prof18-rss-parser",
  "parses prof18's feeds without crash or hang, every item with a title or link and an ISO date",
  feedsUnder("prof18-rss-parser", NOT_LICENSE),
);
describePeerCorpus(
  "feedreader-codehollow",
  "parses FeedReader's feeds without crash or hang, every item with a title or link and an ISO date",
  feedsUnder("feedreader-codehollow", NOT_LICENSE),
);
