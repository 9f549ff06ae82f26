import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Db, ensureTranslation, transitionTranslation, upsertArticle } from "@babelwire/db";
import { testArticle } from "@babelwire/db/testing";
import { startWorkers } from "@babelwire/queue";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { publisherService } from "../handlers.ts";

export interface DeliveryTestbed {
  runtime: Runtime;
  /** The receiver's origin, `http://127.0.0.1:<port>`. */
  base: string;
  close(): Promise<void>;
}

/**
 * What a delivery test runs against, webhooks and WebSub alike: the publisher's workers on the
 * real BullMQ schedule on real Redis (the first deliver retry 20 ms away instead of a minute),
 * and a receiver on loopback that reads each request's body whole before `answer` replies.
 */
export async function openDeliveryTestbed(
  name: string,
  answer: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void,
): Promise<DeliveryTestbed> {
  const runtime = await openRuntime(testConfig(), name);
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => answer(request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const workers = startWorkers(publisherService(runtime).handlers, {
    connection: runtime.redis,
    prefix: runtime.config.QUEUE_PREFIX,
    logger: runtime.logger,
    backoffMs: { deliver: 20 },
  });
  return {
    runtime,
    base: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    async close() {
      await workers.close();
      // A receiver told never to answer still holds its connection open.
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
      await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
      await runtime.close();
    },
  };
}

/** An approved Spanish translation of a new article from the source, ready for the publish job. */
export async function approvedTranslation(db: Db, sourceId: string, guid: string, title = "Título") {
  const { id: articleId } = await upsertArticle(db, sourceId, testArticle(guid));
  const row = await ensureTranslation(db, articleId, "es", 1);
  await machineTranslate(db, row.id, title);
  return { articleId, translationId: row.id };
}

/** Takes a queued (or retranslating) translation through the engine and review to approved, as `title`. */
export async function machineTranslate(db: Db, id: string, title: string) {
  const machine = { title, summary: "S", contentHtml: "<p>Cuerpo</p>", segments: [], qa: [], engine: "apertium" };
  await transitionTranslation(db, id, "start", { actor: "system" });
  await transitionTranslation(db, id, "finish", { actor: "system", machine });
  await transitionTranslation(db, id, "approve", { actor: "token:editor" });
}
