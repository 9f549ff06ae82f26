import { timingSafeEqual } from "node:crypto";
import { countTranslationsByState, engineQuality, listSources, type SourceRow } from "@babelwire/db";
import type { SourceHealthReading } from "@babelwire/metrics";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ApiDeps } from "../../deps.ts";
import { ApiError } from "../../plugins/errors.ts";
import { errors } from "../../schemas.ts";

const QUEUE_STATES = ["waiting", "active", "delayed", "failed", "completed"] as const;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** With METRICS_TOKEN set, scrapers must present it; it is a scrape credential, not an API token. */
function checkScraper(request: FastifyRequest, token: string | undefined): void {
  if (token === undefined) return;
  const header = request.headers.authorization;
  const given = header?.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : "";
  if (!sameSecret(given, token)) {
    throw new ApiError(401, "unauthorized", "This route needs the metrics token: Authorization: Bearer <token>.");
  }
}

const unixSeconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

function sourceHealth(row: SourceRow): SourceHealthReading {
  return {
    source: row.id,
    name: row.name,
    consecutiveErrors: row.consecutive_errors,
    errorCode: row.error_code,
    lastFetchAt: unixSeconds(row.last_fetched_at),
    lastSuccessAt: unixSeconds(row.last_success_at),
    nextPollAt: unixSeconds(row.next_poll_at),
    quiet: row.quiet,
    itemsSeen: row.items_seen,
  };
}

/** Queue depths, translation states and source health are read at scrape time, so they are never stale. */
async function readGauges(deps: ApiDeps): Promise<void> {
  const [queues, translations, sources, quality] = await Promise.all([
    deps.queues.counts(),
    countTranslationsByState(deps.db),
    listSources(deps.db),
    engineQuality(deps.db, {}),
  ]);
  deps.metrics.setEngineQuality(quality);
  deps.metrics.setQueueJobs(
    queues.flatMap((queue) => QUEUE_STATES.map((state) => ({ queue: queue.name, state, count: queue[state] }))),
  );
  deps.metrics.setQueueStatus(
    queues.map((queue) => ({
      queue: queue.name,
      paused: queue.paused,
      oldestWaitingSeconds: queue.oldestWaitingSeconds,
      jobsPerMinute: queue.jobsPerMinute,
      workers: queue.workers.length,
    })),
  );
  deps.metrics.setTranslations(translations);
  deps.metrics.setSourceHealth(sources.map(sourceHealth));
}

/** Prometheus scrape endpoint: public unless METRICS_TOKEN is set. */
export async function metricsRoutes(app: FastifyInstance, deps: ApiDeps) {
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["operators"],
        summary: "Prometheus metrics (text format 0.0.4)",
        description:
          "HTTP requests by route and status, queue depths, job durations, feed polls by outcome, " +
          "articles ingested, translations by state, engine use and errors, post-editing effort per engine " +
          "and pair (as GET /v1/engines/quality), webhook deliveries. " +
          "Public unless METRICS_TOKEN is set; then `Authorization: Bearer <METRICS_TOKEN>`.",
        ...(deps.config.METRICS_TOKEN !== undefined && { security: [{ bearer: [] }] }),
        response: {
          200: { description: "Prometheus text exposition", content: { "text/plain": { schema: { type: "string" } } } },
          ...errors(401),
        },
      },
    },
    async (request, reply) => {
      checkScraper(request, deps.config.METRICS_TOKEN);
      await readGauges(deps);
      return reply.type(deps.metrics.contentType).send(await deps.metrics.render());
    },
  );
}
