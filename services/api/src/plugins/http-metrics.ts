import type { Metrics } from "@babelwire/metrics";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/** Requests that matched no route share one label, so probes of random paths cannot add series. */
const UNMATCHED = "unmatched";

/**
 * Counts every request and its latency by method, route pattern and status. The label is the
 * pattern (`/v1/sources/:id`), never the URL: a URL would put ids and `?token=` secrets into
 * label values and give every request a series of its own.
 */
export const httpMetricsPlugin = fp(
  async (app: FastifyInstance, options: { metrics: Pick<Metrics, "observeHttp"> }) => {
    app.addHook("onResponse", async (request, reply) => {
      options.metrics.observeHttp(
        { method: request.method, route: request.routeOptions.url ?? UNMATCHED, status: reply.statusCode },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: "babelwire-http-metrics" },
);
