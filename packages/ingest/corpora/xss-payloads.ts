import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One XSS set: its name in the table and its payloads. */
export interface PayloadSet {
  name: string;
  payloads: string[];
}

/** DOMPurify's fixtures, converted to JSON: `[{ title, payload, expected }]`. */
function dompurify(root: string): string[] {
  const cases = JSON.parse(readFileSync(path.join(root, "xss/dompurify/expect.json"), "utf8")) as Array<{
    payload?: unknown;
  }>;
  return cases.map((entry) => entry.payload).filter((payload): payload is string => typeof payload === "string");
}

/** html5lib's sanitizer tests: a JSON list of `{ name, input, output }`. */
function html5lib(root: string): string[] {
  const file = path.join(root, "xss/html5lib-sanitizer/html5lib/tests/sanitizer-testdata/tests1.dat");
  const cases = JSON.parse(readFileSync(file, "utf8")) as Array<{ input?: unknown }>;
  return cases.map((entry) => entry.input).filter((input): input is string => typeof input === "string");
}

/** bleach's `N.test` files: the input, a `--` line, the expected output. */
function bleach(root: string): string[] {
  const dir = path.join(root, "xss/bleach/tests/data");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".test"))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((name) => (readFileSync(path.join(dir, name), "utf8").split(/\n--\n/)[0] ?? "").replace(/\n$/, ""));
}

/** payloadbox's Intruder list: one payload a line. */
function payloadbox(root: string): string[] {
  const list = readFileSync(path.join(root, "xss/payloadbox/Intruder/xss-payload-list.txt"), "utf8");
  return list.split("\n").filter((line) => line.trim() !== "");
}

export function payloadSets(root: string): PayloadSet[] {
  return [
    { name: "xss/dompurify", payloads: dompurify(root) },
    { name: "xss/html5lib", payloads: html5lib(root) },
    { name: "xss/bleach", payloads: bleach(root) },
    { name: "xss/payloadbox", payloads: payloadbox(root) },
  ];
}

/**
 * An RSS document with each payload as the title, description and content:encoded of one item,
 * and again as the title and description of an item without content:encoded, so that the
 * description also goes through the body's way (sanitized HTML) and not only the summary's.
 */
export function payloadFeed(payloads: string[]): string {
  const items = payloads.flatMap((payload) => {
    const cdata = asCdata(payload);
    return [
      `<item><title>${cdata}</title><description>${cdata}</description><content:encoded>${cdata}</content:encoded></item>`,
      `<item><title>${cdata}</title><description>${cdata}</description></item>`,
    ];
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>XSS</title><link>https://xss.example/</link>
${items.join("\n")}
</channel></rss>`;
}

/** CDATA cannot contain `]]>`, so it is split across two sections, as XML allows. */
function asCdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
