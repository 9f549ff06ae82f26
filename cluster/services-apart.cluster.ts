import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type LocalServer, serveNewsFeed } from "../faults/support/feed-server.ts";
import {
  addNewsSource,
  allPublished,
  expectEachStoryPublishedOnce,
  LANGUAGES,
  translationStatuses,
  workInFlight,
} from "../faults/support/pipeline.ts";
import { createDatabase, type FreshDatabase } from "../faults/support/postgres.ts";
import { readiness } from "../faults/support/readiness.ts";
import { until } from "../faults/support/until.ts";
import { CLUSTER_NODES, masterOfSlot, nodePid, redisCli } from "./support/redis-cluster.ts";
import { buildIfNeeded, type Deployment, deploy } from "./support/services.ts";

const ITEMS = 30;
const TRANSLATIONS = ITEMS * LANGUAGES.length;

let dir: string;
let feed: LocalServer & { feedUrl: string };
let database: FreshDatabase;
let deployment: Deployment;

beforeAll(async () => {
  // The services run as README tells operators: `node services/cli/dist/<name>.js`, built first.
  await buildIfNeeded();
  dir = mkdtempSync(join(tmpdir(), "babelwire-cluster-services-"));
  feed = await serveNewsFeed(ITEMS);
  database = await createDatabase();
  deployment = await deploy({
    dir,
    translators: 2,
    // What an operator sets on every machine: the cluster's nodes and the database; the default
    // QUEUE_PREFIX `{babelwire}` is the hash tag. TARGET_LANGUAGES only names the sources' default.
    env: { REDIS_CLUSTER_NODES: CLUSTER_NODES, DATABASE_URL: database.url, TARGET_LANGUAGES: "es,ca" },
  });
  await deployment.start();
});

afterAll(async () => {
  await deployment?.stop();
  await feed?.close();
  await database?.drop();
  if (dir && process.env.CLUSTER_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
});

/** A partner of both languages and a token of its own: the feed is read as a partner reads it. */
async function partnerToken(): Promise<string> {
  const partner = await deployment.api("/v1/partners", {
    method: "POST",
    body: JSON.stringify({ name: "Cluster partner", languages: [...LANGUAGES] }),
  });
  expect(partner.status, await partner.clone().text()).toBe(201);
  const { id } = (await partner.json()) as { id: string };
  const token = await deployment.api("/v1/tokens", {
    method: "POST",
    body: JSON.stringify({ role: "partner", partnerId: id }),
  });
  expect(token.status, await token.clone().text()).toBe(201);
  return ((await token.json()) as { token: string }).token;
}

describe("the services apart on a Redis Cluster and PostgreSQL", () => {
  it("publishes a 30-item feed once per language through a translator's SIGKILL and a Redis master's failover", async () => {
    const clusterRoot = inject("clusterRoot");
    const token = await partnerToken();
    await addNewsSource(deployment, feed.feedUrl);

    // A translator dies mid-run: its jobs come back to the other one when their locks expire.
    const victim = deployment.service("translator-1");
    await workInFlight(deployment, database, 4);
    const cut = await until(
      "translator-1 to be inside a job",
      () => {
        deployment.assertAlive();
        const jobs = victim.jobsInFlight();
        return jobs.length > 0 ? jobs : undefined;
      },
      { timeoutMs: 120_000, everyMs: 50, last: () => victim.logTail(3) },
    );
    await victim.kill("SIGKILL");
    const atTranslatorKill = await translationStatuses(database);
    expect(cut.length).toBeGreaterThan(0);
    expect(atTranslatorKill.published ?? 0).toBeLessThan(TRANSLATIONS);

    // The master serving `{babelwire}`'s slot (every queue key) dies while work is still queued.
    const slot = Number(await redisCli(7100, "cluster", "keyslot", "{babelwire}"));
    const master = await masterOfSlot(slot);
    const pid = nodePid(clusterRoot, master.port);
    expect(pid).toBeDefined();
    const atMasterKill = await translationStatuses(database);
    process.kill(pid as number, "SIGKILL");
    expect(atMasterKill.published ?? 0).toBeLessThan(TRANSLATIONS);

    // While the replica is not yet promoted, /readyz says Redis fails; once it is, ready again.
    const during = await until(
      "/readyz to report the failover",
      async () => {
        const answer = await readiness(deployment);
        return answer.status === 503 ? answer : undefined;
      },
      { timeoutMs: 30_000, everyMs: 100, last: () => deployment.logTail(3) },
    );
    expect(during.body.checks).toEqual({ redis: "failed", database: "ok" });
    const promoted = await until(
      "a replica to serve the slot",
      async () => {
        const now = await masterOfSlot(slot).catch(() => undefined);
        return now && now.port !== master.port ? now : undefined;
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    expect(promoted.port).not.toBe(master.port);
    await until("/readyz to answer 200 again", async () =>
      (await readiness(deployment)).status === 200 ? true : undefined,
    );

    await allPublished(
      deployment,
      database,
      TRANSLATIONS,
      `at the translator's kill ${JSON.stringify(atTranslatorKill)}, at the master's ${JSON.stringify(atMasterKill)}`,
    );
    await expectEachStoryPublishedOnce(deployment, database, ITEMS);
    // The jobs the kill cut short were finished by the other translator.
    const finishedElsewhere = deployment.service("translator-2").logTail(10_000);
    for (const job of cut) expect(finishedElsewhere).toContain(`"jobId":"${job}"`);

    // The partner reads each story once per language, with its own token.
    for (const lang of LANGUAGES) {
      const response = await fetch(`${deployment.url}/v1/feeds/${lang}.json?limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const items = ((await response.json()) as { items: Array<{ url: string }> }).items;
      expect(new Set(items.map((item) => new URL(item.url).pathname)).size).toBe(ITEMS);
      expect(items).toHaveLength(ITEMS);
    }
  });
});
