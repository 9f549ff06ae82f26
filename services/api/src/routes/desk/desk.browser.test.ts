import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPartner,
  createSource,
  createToken,
  ensureTranslation,
  getTranslation,
  transitionTranslation,
  upsertArticle,
} from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import { publisherService } from "@babelwire/publisher";
import { type Runtime, startService } from "@babelwire/runtime";
import { testConfig } from "@babelwire/runtime/testing";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiApp } from "../../app.ts";
import { openTestApp, type TestApp } from "../../testing/test-app.ts";

/**
 * The desk end to end in headless Chromium from Debian's `chromium` package (playwright-core
 * drives it; no browser is downloaded). Without chromium these tests fail and say so.
 */
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path));
/** Where screenshots go: artifacts/desk at the repository's root (ignored by git). */
const ARTIFACTS = fileURLToPath(new URL("../../../../../artifacts/desk/", import.meta.url));

let testApp: TestApp;
let runtime: Runtime;
let app: ApiApp;
let base: string;
let browser: Browser;
let publisher: { close(): Promise<void> };
let editor: string;
let secondEditor: string;
let admin: string;
let partner: string;
let sourceId: string;

beforeAll(async () => {
  if (!CHROMIUM) {
    throw new Error(
      "chromium is missing: the desk's browser tests need the Debian package chromium (apt-get install chromium)",
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  testApp = await openTestApp("desk-browser-test", testConfig({ TRUST_PROXY: "127.0.0.1" }));
  ({ runtime, app } = testApp);
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  publisher = await startService(runtime, publisherService(runtime));
  editor = (await createToken(runtime.db, { role: "editor", label: "Ana editor" })).token;
  secondEditor = (await createToken(runtime.db, { role: "editor", label: "Bo editor" })).token;
  admin = (await createToken(runtime.db, { role: "admin", label: "Ops" })).token;
  const outlet = await createPartner(runtime.db, { name: "Diario", languages: ["es"] });
  partner = (await createToken(runtime.db, { role: "partner", partnerId: outlet.id })).token;
  sourceId = (
    await createSource(runtime.db, {
      url: "https://www.ukrinform.net/rss/block-lastnews",
      name: "Ukrinform (English)",
      targets: ["es"],
      review: "required",
    })
  ).id;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--host-resolver-rules=MAP desk.lan 127.0.0.1"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await publisher?.close();
  await testApp?.close();
});

let serial = 0;

/** A machine translation waiting for review: four body segments, a QA flag on one, a glossary term, a memory hit. */
async function inReview(title = "Rutte: NATO allies to send more air defense to Ukraine") {
  serial += 1;
  const body = [
    "<p>NATO Secretary General Mark Rutte said allies would deliver 12 more air defense systems before winter.</p>",
    "<p>He spoke in Kyiv after meeting President Volodymyr Zelensky.</p>",
    "<p>The talks focused on energy infrastructure and the protection of cities.</p>",
    "<p>Ukrinform reported earlier that the meeting had been planned for weeks.</p>",
  ];
  const { id: articleId } = await upsertArticle(
    runtime.db,
    sourceId,
    testArticle(`desk-${serial}-${Date.now()}`, {
      title,
      summary: "Mark Rutte promised more air defense systems for Ukraine.",
      contentHtml: body.join("\n"),
      contentText: body.join("\n\n"),
    }),
  );
  const row = await ensureTranslation(runtime.db, articleId, "es", 1);
  await transitionTranslation(runtime.db, row.id, "start", { actor: "system" });
  const targets = [
    "<p>El secretario general de la OTAN, Mark Rutte, dijo que los aliados entregarían más sistemas de defensa aérea antes del invierno.</p>",
    "<p>Habló en Kyiv después de reunirse con el presidente Volodymyr Zelensky.</p>",
    "<p>Las conversaciones se centraron en la infraestructura energética y la protección de las ciudades.</p>",
    "<p>Ukrinform informó anteriormente de que la reunión se había planeado durante semanas.</p>",
  ];
  return transitionTranslation(runtime.db, row.id, "finish", {
    actor: "system",
    machine: {
      title: "Rutte: los aliados de la OTAN enviarán más defensa aérea a Ucrania",
      summary: "Mark Rutte prometió más sistemas de defensa aérea para Ucrania.",
      contentHtml: targets.join("\n"),
      segments: body.map((source, index) => ({
        id: `s${index + 1}`,
        source,
        target: targets[index] ?? "",
        ...(index === 3 && { memory: "human" as const }),
      })),
      qa: [
        {
          code: "number_missing",
          severity: "error",
          message: "Numbers missing from the translation: 12.",
          segments: ["s1"],
        },
      ],
      engine: "apertium",
      glossary: [{ term: "NATO", translation: "OTAN", segments: ["title", "s1"] }],
    },
  });
}

async function newContext(): Promise<BrowserContext> {
  // bypassCSP only so the tests can inject axe-core; the page itself never needs it.
  return browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", bypassCSP: true });
}

async function logIn(page: Page, token: string, origin = base) {
  await page.goto(`${origin}/desk`);
  await page.fill("#token", token);
  await Promise.all([page.waitForURL(`${origin}/desk`), page.click("button[type=submit]")]);
  await page.waitForSelector(".queue, .empty");
}

async function openItem(page: Page, id: string) {
  await page.goto(`${base}/desk#/t/${id}`);
  await page.waitForSelector(`textarea[data-field="s1"]`);
}

async function seriousViolations(page: Page) {
  await page.addScriptTag({ content: axe.source });
  // A string, not a function: this test is compiled without the DOM's types.
  const result = (await page.evaluate("axe.run()")) as {
    violations: Array<{ id: string; impact: string; nodes: unknown[] }>;
  };
  return result.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id} (${violation.impact}) × ${violation.nodes.length}`);
}

/** Waits until an element matching the selector shows the text. */
/**
 * Waits for an element holding the text. A string matches anywhere and in any case (Playwright's
 * hasText), so "Saved" is also found in "Your unsaved text…": a status that must be exact is a RegExp.
 */
async function seen(page: Page, selector: string, text: string | RegExp) {
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout: 20_000 });
}

/** The status after a save, and not the restored-draft or conflict notices, which hold "saved" too. */
const SAVED = /^Saved \(version \d+\)$/;

/** How far the page is wider than the window: more than 0 means a sideways scroll bar. */
const OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth";

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("the desk in Chromium", () => {
  it("logs an editor in, refuses a partner token with a message, and shows a new item without a reload", async () => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${base}/desk`);
    await page.fill("#token", partner);
    await page.click("button[type=submit]");
    await seen(page, "p.error", "partner token");
    expect(await context.cookies()).toEqual([]);

    await logIn(page, editor);
    await seen(page, ".bar .user", "Ana editor");
    const row = await inReview("Zelensky meets Rutte in Kyiv");
    await page.waitForSelector(`.queue [data-id="${row.id}"]`, { timeout: 20_000 });
    await seen(page, `.queue [data-id="${row.id}"] .row-flags`, "number missing");
    await page.screenshot({ path: join(ARTIFACTS, "queue.png"), fullPage: true });
    await context.close();
  });

  it("saves an edited segment with If-Match and approves it; the partner feed then carries the editor's text", async () => {
    const row = await inReview();
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    await openItem(page, row.id);
    await seen(page, '[data-segment="s1"] .chip.error', "12");
    await seen(page, '[data-segment="s1"] mark.term', "NATO");
    await page.locator('[data-segment="s4"] .chip.memory').first().waitFor();
    const edited =
      "El secretario general de la OTAN, Mark Rutte, dijo que los aliados entregarán 12 sistemas más de defensa aérea antes del invierno.";
    await page.fill('textarea[data-field="s1"]', edited);
    await page.click("#diff");
    await page.locator('[data-segment="s1"] .diff ins').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "item.png"), fullPage: false });
    await page.click("#approve");
    await seen(page, "#status", "Approved");
    const stored = await getTranslation(runtime.db, row.id);
    expect(stored?.segments[0]?.target).toBe(`<p>${edited}</p>`);
    const feed = await until(async () => {
      const response = await fetch(`${base}/v1/feeds/es.rss?token=${partner}`);
      const text = await response.text();
      return text.includes("entregarán 12 sistemas") ? text : undefined;
    }, "the edited text in the partner feed");
    expect(feed).toContain("entregarán 12 sistemas más");
    // The edit made through the page is measured: the engine's report shows a real edit rate.
    const quality = await fetch(`${base}/v1/engines/quality?from=en&to=es`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const [apertium] = ((await quality.json()) as { items: Array<{ engine: string; meanEditRate: number }> }).items;
    expect(apertium?.engine).toBe("apertium");
    expect(apertium?.meanEditRate).toBeGreaterThan(0);
    await context.close();
  });

  it("corrects a published translation: partners keep the old text until the correction is approved", async () => {
    const row = await inReview();
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    await openItem(page, row.id);
    await page.click("#approve");
    await seen(page, "#status", "Approved");
    await until(
      async () => ((await getTranslation(runtime.db, row.id))?.status === "published" ? true : undefined),
      "the publication",
    );
    await openItem(page, row.id);
    await seen(page, ".note", "Published");
    const corrected = "Habló en Kyiv tras reunirse con el presidente Volodímir Zelenski (corrección).";
    await page.fill('textarea[data-field="s2"]', corrected);
    await page.click("#save");
    await seen(page, ".note", "Correction of a published translation");
    const partnerFeed = async () => (await fetch(`${base}/v1/feeds/es.rss?token=${partner}`)).text();
    expect(await partnerFeed()).not.toContain("(corrección)");
    await page.click("#approve");
    await seen(page, "#status", "Approved");
    await until(
      async () => ((await partnerFeed()).includes("(corrección)") ? true : undefined),
      "the correction in the partner feed",
    );
    await context.close();
  });

  it("gives the second of two editors a 412 and keeps what they typed, across a reload too", async () => {
    const row = await inReview();
    const first = await newContext();
    const second = await newContext();
    const pageA = await first.newPage();
    const pageB = await second.newPage();
    await logIn(pageA, editor);
    await logIn(pageB, secondEditor);
    await openItem(pageA, row.id);
    await openItem(pageB, row.id);
    const mine = "Habló en Kyiv tras reunirse con el presidente Volodímir Zelenski.";
    await pageA.fill('textarea[data-field="s2"]', mine);
    const theirs = "Habló en Kiev después de reunirse con Zelenski.";
    await pageB.fill('textarea[data-field="s2"]', theirs);
    await pageB.click("#save");
    await seen(pageB, "#status", SAVED);

    const answers: number[] = [];
    pageA.on("response", (response) => {
      if (response.request().method() === "PATCH") answers.push(response.status());
    });
    await pageA.click("#save");
    await seen(pageA, '[data-segment="s2"] .conflict', theirs);
    expect(answers).toContain(412);
    expect(await pageA.locator('textarea[data-field="s2"]').inputValue()).toBe(mine);
    await pageA.screenshot({ path: join(ARTIFACTS, "conflict.png") });

    await pageA.reload();
    await pageA.waitForSelector('textarea[data-field="s2"]');
    expect(await pageA.locator('textarea[data-field="s2"]').inputValue()).toBe(mine);
    await pageA.click('[data-segment="s2"] .conflict button:first-child'); // keep mine
    await pageA.click("#save");
    await seen(pageA, "#status", SAVED);
    expect((await getTranslation(runtime.db, row.id))?.segments[1]?.target).toBe(`<p>${mine}</p>`);
    await first.close();
    await second.close();
  });

  it("rejects with a reason and sends the translation back to the engine", async () => {
    const row = await inReview();
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    await openItem(page, row.id);
    await page.click("#reject-open");
    await page.fill("#reject-reason", "Names transliterated the Russian way");
    expect(await page.locator("#reject-again").isChecked()).toBe(true);
    await page.click("#reject-confirm");
    await seen(page, "#status", "Rejected");
    const stored = await getTranslation(runtime.db, row.id);
    expect(stored?.status).toBe("queued");
    const translate = await runtime.queues.status("translate");
    expect(translate.waiting + translate.delayed).toBeGreaterThan(0);
    await context.close();
  });

  it("adds a glossary entry from a phrase selected in the source", async () => {
    const row = await inReview();
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    await openItem(page, row.id);
    // Select "Volodymyr Zelensky" in segment 2's source, as a mouse drag would.
    await page.evaluate(`(() => {
      const text = document.querySelector('[data-segment="s2"] .src .text').firstChild;
      const start = text.data.indexOf("Volodymyr Zelensky");
      const range = document.createRange();
      range.setStart(text, start);
      range.setEnd(text, start + "Volodymyr Zelensky".length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
    })()`);
    await page.click("#glossary-add");
    expect(await page.locator("#glossary-term").inputValue()).toBe("Volodymyr Zelensky");
    await page.fill("#glossary-translation", "Volodímir Zelenski");
    await page.click('#glossary button[type="submit"]');
    await seen(page, "#status", "Volodímir Zelenski");
    const glossary = await fetch(`${base}/v1/glossary/en/es`, { headers: { authorization: `Bearer ${editor}` } });
    expect(((await glossary.json()) as { items: Array<{ term: string; translation: string }> }).items).toContainEqual(
      expect.objectContaining({ term: "Volodymyr Zelensky", translation: "Volodímir Zelenski" }),
    );
    await context.close();
  });

  it("goes the whole way by keyboard: pick, edit, save, approve, with the key help on ?", async () => {
    const row = await inReview("Keyboard item");
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    await page.waitForSelector(`.queue [data-id="${row.id}"]`);
    const ids = (await page.evaluate(
      '[...document.querySelectorAll(".queue .row")].map((row) => row.dataset.id)',
    )) as string[];
    const position = ids.indexOf(row.id);
    for (let step = 0; step < position; step++) await page.keyboard.press("j");
    await page.keyboard.press("Enter");
    await page.waitForSelector('textarea[data-field="s1"]');
    await page.keyboard.press("?");
    await page.locator("#help").first().waitFor();
    await seen(page, "#help", "Approve");
    await page.keyboard.press("Escape");
    await page.keyboard.press("e"); // the title
    await page.keyboard.press("Escape");
    await page.keyboard.press("e"); // the summary
    await page.keyboard.press("Escape");
    await page.keyboard.press("e"); // the first segment
    await page.keyboard.type(" (teclado)");
    await page.keyboard.press("Escape");
    await page.keyboard.press("s");
    await seen(page, "#status", SAVED);
    await page.keyboard.press("a");
    await seen(page, "#status", "Approved");
    const stored = await getTranslation(runtime.db, row.id);
    expect(["approved", "published"]).toContain(stored?.status);
    expect(stored?.segments[0]?.target).toContain("(teclado)");
    await context.close();
  });

  it("has no serious or critical axe-core violations on the queue and the item view, and fits 360 px", async () => {
    const row = await inReview();
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    expect(await seriousViolations(page)).toEqual([]);
    await openItem(page, row.id);
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(OVERFLOW);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, "item-360.png") });
    await page.goto(`${base}/desk#/`);
    await page.waitForSelector(".queue, .empty");
    expect(await page.evaluate(OVERFLOW)).toBeLessThanOrEqual(0);
    await context.close();
  });

  it("loads light: bytes over the wire for the queue and for one item view, written to artifacts/desk/transfer.json", async () => {
    const row = await inReview();
    const context = await newContext();
    const page = await context.newPage();
    await logIn(page, editor);
    const TRANSFER =
      'performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((sum, entry) => sum + entry.transferSize, 0)';
    // A first visit: the page, its scripts and styles, and the queue's data.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await fresh.addCookies(await context.cookies());
    const first = await fresh.newPage();
    await first.goto(`${base}/desk`);
    await first.waitForSelector(".queue, .empty");
    const queueBytes = (await first.evaluate(TRANSFER)) as number;
    // Then one item, in the same page: only its JSON travels, the files are cached.
    const before = queueBytes;
    await first.evaluate(`location.hash = "#/t/${row.id}"`);
    await first.waitForSelector('textarea[data-field="s1"]');
    const itemBytes = ((await first.evaluate(TRANSFER)) as number) - before;
    // And an item view opened directly, on a first visit.
    const direct = await (await browser.newContext()).newPage();
    await direct.context().addCookies(await context.cookies());
    await direct.goto(`${base}/desk#/t/${row.id}`);
    await direct.waitForSelector('textarea[data-field="s1"]');
    const directBytes = (await direct.evaluate(TRANSFER)) as number;
    const figures = { queueFirstVisit: queueBytes, itemAfterQueue: itemBytes, itemFirstVisit: directBytes };
    writeFileSync(join(ARTIFACTS, "transfer.json"), `${JSON.stringify(figures, null, 2)}\n`);
    // A budget, not a speed claim: the whole first view fits in well under 100 KB.
    expect(queueBytes).toBeGreaterThan(0);
    expect(directBytes).toBeLessThan(100_000);
    await direct.context().close();
    await fresh.close();
    await context.close();
  });

  it("speaks Spanish and Ukrainian: follows the browser's language and switches", async () => {
    const context = await browser.newContext({ locale: "es-ES" });
    const page = await context.newPage();
    await logIn(page, editor);
    await seen(page, "main h1", "Cola de revisión");
    await page.selectOption("#language", "uk");
    await seen(page, "main h1", "Черга перевірки");
    await page.reload();
    await seen(page, "main h1", "Черга перевірки");
    await context.close();
  });
});

/** A TLS proxy in front of the API that says X-Forwarded-Proto: https, as a load balancer would. */
async function httpsProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "desk-tls-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-days",
      "1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  const upstream = new URL(target);
  const server: Server = createHttpsServer(
    { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
    (request, response) => {
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, "x-forwarded-proto": "https" },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      request.pipe(forwarded);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the session cookie's Secure flag in a real browser", () => {
  const pages: Array<[string, string, () => string, string]> = [
    ["/desk", "/desk/login", () => editor, ".queue, .empty"],
    ["/admin/queues", "/admin/queues/login", () => admin, "#root"],
  ];

  it.each(pages)(
    "%s over plain http on a LAN name: no Secure, so the browser keeps the cookie and the page opens",
    async (path, _login, token, ready) => {
      const port = new URL(base).port;
      const origin = `http://desk.lan:${port}`;
      const context = await newContext();
      const page = await context.newPage();
      await page.goto(`${origin}${path}`);
      await page.fill("#token", token());
      await page.click("button[type=submit]");
      await page.waitForSelector(ready);
      const [cookie] = await context.cookies(origin);
      expect(cookie).toMatchObject({ name: "bw_session", httpOnly: true, secure: false, sameSite: "Strict" });
      await context.close();
    },
  );

  it.each(pages)("%s through an https proxy that TRUST_PROXY names: Secure", async (path, _login, token, ready) => {
    const proxy = await httpsProxy(base);
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto(`${proxy.url}${path}`);
    await page.fill("#token", token());
    await page.click("button[type=submit]");
    await page.waitForSelector(ready);
    const [cookie] = await context.cookies(proxy.url);
    expect(cookie).toMatchObject({ name: "bw_session", httpOnly: true, secure: true, sameSite: "Strict" });
    await context.close();
    await proxy.close();
  });
});
