import { spawnSync } from "node:child_process";

const XMLLINT = "/usr/bin/xmllint";

/** libxml2's verdict on a document: status 0 and no stderr when it is well-formed. */
export function xmllint(xml: string): { status: number | null; stderr: string } {
  const run = spawnSync(XMLLINT, ["--noout", "-"], { input: xml, encoding: "utf8" });
  if (run.error) throw run.error;
  return { status: run.status, stderr: run.stderr };
}

/** The string value of an XPath over a document, as libxml2 reads it back. */
export function xpathString(xml: string, xpath: string): string {
  const run = spawnSync(XMLLINT, ["--xpath", `string(${xpath})`, "-"], { input: xml, encoding: "utf8" });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`xmllint --xpath failed: ${run.stderr}`);
  // xmllint ends what it prints with one newline of its own.
  return run.stdout.endsWith("\n") ? run.stdout.slice(0, -1) : run.stdout;
}
