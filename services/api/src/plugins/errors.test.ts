import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { API_ERRORS } from "./errors.ts";

/** The status → codes table of docs/contract.md's "Errors" section, read as code → status. */
function contractErrorTable(): Record<string, number> {
  const contract = readFileSync(new URL("../../../../docs/contract.md", import.meta.url), "utf8");
  const section = contract.split("### Errors")[1]?.split("\n### ")[0] ?? "";
  const table: Record<string, number> = {};
  for (const row of section.matchAll(/^\| (\d{3}) \| (.*) \|$/gm)) {
    // Parentheses explain a code (`invalid_request` names its `field`): only what stands outside is a code.
    const codes = (row[2] ?? "").replace(/\([^)]*\)/g, "").matchAll(/`([a-z_]+)`/g);
    for (const code of codes) table[code[1] as string] = Number(row[1]);
  }
  return table;
}

describe("the API's error catalog", () => {
  it("is the table of docs/contract.md, code for code and status for status", () => {
    expect(API_ERRORS).toEqual(contractErrorTable());
  });
});
