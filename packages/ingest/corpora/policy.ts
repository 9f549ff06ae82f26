import { readFileSync } from "node:fs";

/**
 * POLICY.md, read as data: each `### \`rule\`` heading is a rule we follow where a peer's
 * expectation differs; `- \`path\`` lines under a heading list the documents the rule covers
 * by name (a refused document counts only when listed).
 */
export interface Policy {
  rules: Set<string>;
  listedFiles: Map<string, string>;
}

const RULE_HEADING = /^###\s+`([a-z0-9-]+)`/;
const LISTED_FILE = /^-\s+`([^`]+)`/;

export function readPolicy(file: URL): Policy {
  const rules = new Set<string>();
  const listedFiles = new Map<string, string>();
  let current: string | null = null;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const heading = line.match(RULE_HEADING)?.[1];
    if (heading !== undefined) {
      rules.add(heading);
      current = heading;
      continue;
    }
    if (line.startsWith("#")) current = null;
    const listed = line.match(LISTED_FILE)?.[1];
    if (listed !== undefined && current !== null) listedFiles.set(listed, current);
  }
  return { rules, listedFiles };
}

export const POLICY_FILE = new URL("./POLICY.md", import.meta.url);
