import type { Babelwire } from "./babelwire.ts";

export interface Readiness {
  status: number;
  body: { status?: string; checks?: { redis?: string; database?: string }; error?: { code: string; message: string } };
}

/** `GET /readyz` as a load balancer asks it. */
export async function readiness(babelwire: Babelwire): Promise<Readiness> {
  babelwire.assertAlive();
  const response = await fetch(`${babelwire.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Readiness["body"] };
}
