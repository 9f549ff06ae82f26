import { findLiveToken } from "@babelwire/db";
import { openRuntime, type Runtime } from "@babelwire/runtime";
import { clearQueuePrefix, testConfig } from "@babelwire/runtime/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAdminToken } from "./admin-token.ts";

const ADMIN_TOKEN = "bw_bootstrap_admin_token_for_the_test_0001";
let runtime: Runtime;

beforeAll(async () => {
  runtime = await openRuntime(testConfig({ ADMIN_TOKEN }), "admin-token-test");
});

afterAll(async () => {
  await clearQueuePrefix(runtime.redis, runtime.config.QUEUE_PREFIX);
  await runtime?.close();
});

describe("the ADMIN_TOKEN bootstrap token", () => {
  it("registers it once, and a revoked one stays revoked on the next start, said in one line", async () => {
    const said: string[] = [];
    const warn = (message: string) => said.push(message);
    await ensureAdminToken(runtime.db, runtime.config, warn);
    const row = await findLiveToken(runtime.db, ADMIN_TOKEN);
    expect(row?.role).toBe("admin");
    await runtime.db
      .updateTable("tokens")
      .set({ revoked_at: new Date() })
      .where("id", "=", row?.id ?? "")
      .execute();

    expect(await ensureAdminToken(runtime.db, runtime.config, warn)).toBeUndefined();
    expect(await findLiveToken(runtime.db, ADMIN_TOKEN)).toBeUndefined();
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/ADMIN_TOKEN.*revoked/);
    const admins = await runtime.db.selectFrom("tokens").select("id").where("role", "=", "admin").execute();
    expect(admins).toHaveLength(1);
  });
});
