import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkWorkspace, type KnownLeak, LAYERS } from "./check-cycles.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const tempRoots: string[] = [];

afterEach(() => {
  for (const root of tempRoots.splice(0)) rmSync(root, { recursive: true, force: true });
});

// A workspace of core, db and ingest, whose ingest sources are `files` (path under src → text).
function fixture(files: Record<string, string>, ingestDeps: string[] = ["@babelwire/core"]): string {
  const root = mkdtempSync(join(tmpdir(), "babelwire-layers-"));
  tempRoots.push(root);
  writePackage(root, "core", []);
  writePackage(root, "db", ["@babelwire/core"]);
  writePackage(root, "ingest", ingestDeps);
  for (const [path, text] of Object.entries(files)) write(join(root, "packages/ingest/src", path), text);
  return root;
}

function writePackage(root: string, dir: string, deps: string[]) {
  const dependencies = Object.fromEntries(deps.map((name) => [name, "workspace:*"]));
  write(join(root, "packages", dir, "package.json"), JSON.stringify({ name: `@babelwire/${dir}`, dependencies }));
}

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** What the real table lets ingest import, as the refusals list it. */
const ingestAllows = LAYERS["@babelwire/ingest"]?.imports.join(", ");

const storyLeak: KnownLeak = { file: "packages/ingest/src/story.ts", imports: ["@babelwire/db"], reason: "test" };

describe("the layer check", () => {
  it("passes a package importing what its row allows, by name, subpath or dynamic import", () => {
    const root = fixture({
      "parse.ts":
        'import type { Article } from "@babelwire/core";\nexport const load = () => import("@babelwire/core");\n',
    });
    expect(checkWorkspace(root, { knownLeaks: [] })).toEqual([]);
  });

  it("refuses an import its row does not allow, naming the file, line and what is allowed", () => {
    const root = fixture({
      "parse.ts": 'import { x } from "@babelwire/core";\nimport { upsert } from "@babelwire/db";\n',
    });
    expect(checkWorkspace(root, { knownLeaks: [] })).toEqual([
      `packages/ingest/src/parse.ts:2 imports @babelwire/db, which @babelwire/ingest may not import (allowed: ${ingestAllows})`,
    ]);
  });

  it("refuses a dependency package.json declares against the rules", () => {
    const root = fixture({}, ["@babelwire/core", "@babelwire/db"]);
    expect(checkWorkspace(root, { knownLeaks: [] })).toEqual([
      `packages/ingest/package.json:1 imports @babelwire/db, which @babelwire/ingest may not import (allowed: ${ingestAllows})`,
    ]);
  });

  it("accepts a known leak in its own file but refuses the same import in a new file", () => {
    const root = fixture({
      "story.ts": 'import { setStory } from "@babelwire/db";\n',
      "dedupe.ts": 'export { findStory } from "@babelwire/db/testing";\n',
    });
    expect(checkWorkspace(root, { knownLeaks: [storyLeak] })).toEqual([
      `packages/ingest/src/dedupe.ts:1 imports @babelwire/db, which @babelwire/ingest may not import (allowed: ${ingestAllows})`,
    ]);
  });

  it("asks for a known leak to be dropped once its import is gone", () => {
    const root = fixture({ "story.ts": "export const story = 1;\n" });
    expect(checkWorkspace(root, { knownLeaks: [storyLeak] })).toEqual([
      "packages/ingest/src/story.ts no longer imports @babelwire/db: drop it from KNOWN_LEAKS",
    ]);
  });

  it("passes on this repository as it stands", () => {
    expect(checkWorkspace(repoRoot)).toEqual([]);
  });
});
