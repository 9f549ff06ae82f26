import { createMetrics } from "@babelwire/metrics";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { httpMetricsPlugin } from "./http-metrics.ts";

describe("httpMetricsPlugin", () => {
  it("labels requests with the route pattern and the status actually sent, errors included", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const app = Fastify();
    await app.register(httpMetricsPlugin, { metrics });
    app.get("/v1/things/:id", async (request) => {
      if ((request.params as { id: string }).id === "broken") throw new Error("boom");
      return { ok: true };
    });
    await app.inject({ method: "GET", url: "/v1/things/a1?token=hunter2" });
    await app.inject({ method: "GET", url: "/v1/things/b2" });
    await app.inject({ method: "GET", url: "/v1/things/broken" });
    await app.inject({ method: "DELETE", url: "/v1/things/a1" });
    await app.close();
    const text = await metrics.render();
    expect(text).toContain('babelwire_http_requests_total{method="GET",route="/v1/things/:id",status="200"} 2');
    expect(text).toContain('babelwire_http_requests_total{method="GET",route="/v1/things/:id",status="500"} 1');
    expect(text).toContain('babelwire_http_requests_total{method="DELETE",route="unmatched",status="404"} 1');
    expect(text).not.toMatch(/a1|b2|hunter2/);
  });
});
