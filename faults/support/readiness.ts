import type { Babelwire } from "./babelwire.ts";

/** `/readyz` as a load balancer sees it: the status and the body (the runtime's Readiness, in HTTP). */
export interface ReadyzAnswer {
  status: number;
  body: { status?: string; checks?: { redis?: string; database?: string }; error?: { code: string; message: string } };
}

/** `GET /readyz` as a load balancer asks it. */
export async function readiness(babelwire: Babelwire): Promise<ReadyzAnswer> {
  babelwire.assertAlive();
  const response = await fetch(`${babelwire.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as ReadyzAnswer["body"] };
}
