import { readFileSync } from "node:fs";
import iconv from "iconv-lite";
import { decodeFeed } from "../src/index.ts";
import { FILE_TIME_LIMIT_MS } from "./corpus-files.ts";
import type { CaseResult } from "./corpus-session.ts";
import type { GuardedRunner } from "./guarded-runner.ts";
import { checkPeerFeed } from "./peer-feed-check.ts";
import { describePeerCorpus, type PeerCase } from "./peer-suite.ts";

const READER = "miniflux/internal/reader";

/**
 * Miniflux's encoding cases with the charset each file's bytes are really in (its tests assert
 * the text comes out right whatever the prolog or a meta tag claims).
 */
const TRUE_CHARSETS: Record<string, string> = {
  "encoding/testdata/invalid-prolog.xml": "utf-8",
  "encoding/testdata/iso-8859-1-meta-after-1024.html": "iso-8859-1",
  "encoding/testdata/iso-8859-1.html": "iso-8859-1",
  "encoding/testdata/iso-8859-1.xml": "iso-8859-1",
  "encoding/testdata/koi8r.xml": "koi8-r",
  "encoding/testdata/utf8-incorrect-prolog.xml": "utf-8",
  "encoding/testdata/utf8-meta-after-1024.html": "utf-8",
  "encoding/testdata/utf8.html": "utf-8",
  "encoding/testdata/utf8.xml": "utf-8",
  "encoding/testdata/windows-1252-incorrect-prolog.xml": "utf-8",
  "encoding/testdata/windows-1252.xml": "windows-1252",
  "xml/testdata/iso88591.xml": "iso-8859-1",
  "xml/testdata/iso88591_utf8_mismatch.xml": "iso-8859-1",
  "xml/testdata/koi8r.xml": "koi8-r",
  "parser/testdata/encoding_ISO-8859-1.xml": "iso-8859-1",
  "parser/testdata/encoding_WINDOWS-1251.xml": "windows-1251",
  "parser/testdata/no_encoding_ISO-8859-1.xml": "iso-8859-1",
  "parser/testdata/urdu_UTF8.xml": "utf-8",
  "parser/testdata/rdf_UTF8.xml": "utf-8",
};

const FEEDS = [
  "parser/testdata/encoding_ISO-8859-1.xml",
  "parser/testdata/encoding_WINDOWS-1251.xml",
  "parser/testdata/no_encoding_ISO-8859-1.xml",
  "parser/testdata/urdu_UTF8.xml",
  "parser/testdata/rdf_UTF8.xml",
  "parser/testdata/large_rss.xml",
  "parser/testdata/large_atom.xml",
  "parser/testdata/small_atom.xml",
];

// The declaration's encoding is rewritten to UTF-8 by design; the rest must be the true text.
const DECLARED_ENCODING = /^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2/;

function checkDecoding(root: string, relative: string, charset: string): CaseResult {
  const name = `${READER}/${relative}`;
  const bytes = readFileSync(`${root}/${name}`);
  const started = performance.now();
  const ours = decodeFeed(bytes, null).replace(DECLARED_ENCODING, "$1$2$2");
  const elapsed = performance.now() - started;
  const truth = iconv.decode(bytes, charset, { stripBOM: true }).replace(DECLARED_ENCODING, "$1$2$2");
  if (elapsed > FILE_TIME_LIMIT_MS)
    return { name, status: "failed", detail: `decoding took ${Math.round(elapsed)} ms` };
  if (ours === truth) return { name, status: "passed", detail: `decoded as ${charset}` };
  const at = [...ours].findIndex((char, index) => char !== [...truth][index]);
  return {
    name,
    status: "failed",
    detail: `differs from ${charset} at ${at}: ours ${JSON.stringify(ours.slice(at, at + 30))}, expected ${JSON.stringify(truth.slice(at, at + 30))}`,
    listedAs: name,
  };
}

describePeerCorpus(
  "miniflux",
  "decodes Miniflux's encoding cases to their true UTF-8 text and parses its feeds",
  (root): PeerCase[] => [
    ...Object.entries(TRUE_CHARSETS).map(([relative, charset]) => ({
      name: `${READER}/${relative} (text)`,
      run: async () => checkDecoding(root, relative, charset),
    })),
    ...FEEDS.map((relative) => {
      const name = `${READER}/${relative}`;
      return {
        name: `${name} (feed)`,
        run: (runner: GuardedRunner) => checkPeerFeed(runner, name, `${root}/${name}`, null),
      };
    }),
  ],
);
