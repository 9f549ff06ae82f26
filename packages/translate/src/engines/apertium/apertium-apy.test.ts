import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { CodedError } from "@babelwire/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApertiumEngine } from "./apertium.ts";

const MODES_DIR = "/usr/share/apertium/modes";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitForApy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`apertium-apy exited with ${child.exitCode}: ${log()}`);
    const ready = await fetch(`${url}/listPairs`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`apertium-apy did not answer within 20 s: ${log()}`);
}

async function codeOf(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CodedError)) throw new Error(`expected a CodedError, got ${String(error)}`);
  return error;
}

describe("createApertiumEngine against a real APy server", () => {
  let apy: ChildProcess;
  let apyUrl = "";

  beforeAll(async () => {
    const port = await freePort();
    let output = "";
    apy = spawn("apertium-apy", ["-p", String(port), MODES_DIR], { stdio: ["ignore", "pipe", "pipe"] });
    apy.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    apy.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    apyUrl = `http://127.0.0.1:${port}`;
    await waitForApy(apyUrl, apy, () => output);
  }, 30_000);

  afterAll(() => {
    apy?.kill("SIGTERM");
  });

  it("lists APy's plain pairs as BCP 47 tags", async () => {
    const pairs = await createApertiumEngine({ apyUrl }).languages();
    expect(pairs).toContainEqual({ from: "en", to: "es" });
    expect(pairs).toContainEqual({ from: "en", to: "ca" });
    expect(pairs.every((pair) => /^[a-z]{2,3}$/.test(pair.to))).toBe(true);
  });

  it("translates html segments keeping their tags balanced and the link intact, and reports unknown words", async () => {
    const engine = createApertiumEngine({ apyUrl: `${apyUrl}/` });
    const result = await engine.translate({
      from: "en",
      to: "es",
      format: "html",
      segments: [
        '<p>The president said <b>the world</b> is changing, see <a href="https://example.com/a.b?c=1">the report</a>.</p>',
        "<p>Mark Rutte met the minister on Thursday.</p>",
      ],
    });
    expect(result.segments).toHaveLength(2);
    // APy's pipeline has no word-bound blanks, so inline tags may land on a neighbouring word.
    expect(result.segments[0]).toContain("el mundo");
    expect(result.segments[0]).toMatch(/^<p>.*<b>[^<]+<\/b>.*<\/p>$/);
    expect(result.segments[0]).toContain('<a href="https://example.com/a.b?c=1">');
    expect(result.segments[1]).toContain("jueves");
    expect(result.segments[1]).not.toContain("*");
    expect(result.unknownWords).toContain("Rutte");
  });

  it("translates a long article with links in every paragraph without losing a segment or cutting a tag", async () => {
    // Without packing, APy cuts this document inside tags and drops everything past ~40 KB.
    const segments = Array.from(
      { length: 400 },
      (_, index) =>
        `<p>The minister said the world is big and see <a href="https://example.com/path/to.page?id=${index}">the full report on the site</a> for details</p>`,
    );
    const result = await createApertiumEngine({ apyUrl }).translate({ from: "en", to: "es", format: "html", segments });
    expect(result.segments).toHaveLength(400);
    result.segments.forEach((segment, index) => {
      expect(segment).toContain(`<a href="https://example.com/path/to.page?id=${index}">`);
      expect(segment.match(/<\/a>/g)).toHaveLength(1);
      expect(segment).toContain("el mundo");
    });
  });

  it("round-trips plain text with markup-like characters", async () => {
    const result = await createApertiumEngine({ apyUrl }).translate({
      from: "en",
      to: "ca",
      format: "text",
      segments: ["Prices < 5 and rising > expected", "The world"],
    });
    expect(result.segments[0]).toContain("<");
    expect(result.segments[0]).toContain(">");
    expect(result.segments[0]).not.toContain("&lt;");
    expect(result.segments[1]).toBe("El món");
  });

  it("rejects a pair APy does not have with a permanent ENGINE_PAIR_UNSUPPORTED", async () => {
    const error = await codeOf(
      createApertiumEngine({ apyUrl }).translate({ from: "en", to: "fr", format: "text", segments: ["Hi"] }),
    );
    expect(error.code).toBe("ENGINE_PAIR_UNSUPPORTED");
    expect(error.permanent).toBe(true);
  });

  it("fails with a transient ENGINE_UNAVAILABLE when no APy listens at the URL", async () => {
    const port = await freePort();
    const error = await codeOf(createApertiumEngine({ apyUrl: `http://127.0.0.1:${port}` }).languages());
    expect(error.code).toBe("ENGINE_UNAVAILABLE");
    expect(error.permanent).toBe(false);
  });
});
