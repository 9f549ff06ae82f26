import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiApp, buildApp } from "@babelwire/api";
import { createToken } from "@babelwire/db";
import { FeedError, fetchFeed, readFeed } from "@babelwire/ingest";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A private file outside the feed files folder, and a folder that is the feed files folder.
const outside = mkdtempSync(join(tmpdir(), "bw-private-"));
const privateFile = join(outside, "credentials.txt");
writeFileSync(privateFile, "<config><password>hunter2-private</password>\n");
const feedFiles = mkdtempSync(join(tmpdir(), "bw-feeds-"));
symlinkSync(privateFile, join(feedFiles, "innocent.xml"));
writeFileSync(join(feedFiles, "broken.xml"), "<rss><channel><secretElementName>x</wrongClose></channel></rss>");

let runtime: Runtime;
let app: ApiApp;
let admin: string;

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ FEED_FILES_DIR: feedFiles }), "file-sources-test");
  app = await buildApp(runtime);
  admin = (await createToken(runtime.db, { role: "admin" })).token;
});

afterAll(async () => {
  await app?.close();
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

async function failure(work: Promise<unknown>): Promise<FeedError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof FeedError)) throw new Error(`expected a FeedError, got ${String(error)}`);
  return error;
}

describe("file sources read only the feed files folder", () => {
  it("refuses a source on a file outside FEED_FILES_DIR, whether it exists or not", async () => {
    for (const url of [privateFile, join(outside, "missing.xml"), `file://${privateFile}`, "/etc/passwd"]) {
      const response = await app.inject({
        method: "POST",
        url: "/v1/sources",
        headers: { authorization: `Bearer ${admin}` },
        payload: { url, targets: ["es"] },
      });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.field).toBe("url");
    }
  });

  it("reads nothing outside the folder, by path or through a symbolic link, and says the same either way", async () => {
    const roots = [feedFiles];
    const direct = await failure(fetchFeed({ url: privateFile }, { fileRoots: roots }));
    const missing = await failure(fetchFeed({ url: join(outside, "missing.xml") }, { fileRoots: roots }));
    const linked = await failure(fetchFeed({ url: join(feedFiles, "innocent.xml") }, { fileRoots: roots }));
    for (const error of [direct, missing, linked]) {
      expect(error.code).toBe("FEED_FILE_NOT_ALLOWED");
      expect(error.message).not.toContain("hunter2");
    }
  });

  it("quotes nothing of a file it cannot parse", async () => {
    const error = await failure(readFeed({ url: join(feedFiles, "broken.xml") }, { fileRoots: [feedFiles] }));
    expect(error.code).toBe("FEED_PARSE");
    expect(error.message).not.toMatch(/secretElementName|wrongClose/);
  });
});
