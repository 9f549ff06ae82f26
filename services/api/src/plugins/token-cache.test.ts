import { createPartner, createToken, deletePartner, migrate, openDatabase, updatePartner } from "@babelwire/db";
import { expect, it } from "vitest";
import { createTokenCache } from "./token-cache.ts";

it("answers from memory for a while, honours expiry on every use, and forgets a revoked token at once", async () => {
  const db = await openDatabase({ url: "memory://", dataDir: "." });
  await migrate(db);
  let clock = Date.now();
  const cache = createTokenCache(db, () => clock);
  const { token, row } = await createToken(db, { role: "partner", expiresAt: new Date(clock + 5_000) });
  expect((await cache.find(token))?.id).toBe(row.id);
  // Revoked behind the cache's back (another process): still trusted until the entry ages out.
  await db.updateTable("tokens").set({ revoked_at: new Date() }).where("id", "=", row.id).execute();
  expect((await cache.find(token))?.id).toBe(row.id);
  clock += 6_000;
  expect(await cache.find(token)).toBeUndefined();
  const other = await createToken(db, { role: "editor" });
  expect((await cache.find(other.token))?.id).toBe(other.row.id);
  await db.updateTable("tokens").set({ revoked_at: new Date() }).where("id", "=", other.row.id).execute();
  cache.forget(other.row.id);
  expect(await cache.find(other.token)).toBeUndefined();
  expect(await cache.find("bw_unknown")).toBeUndefined();
  await db.destroy();
});

it("carries a partner token's partner, and reloads it at once when told the partner changed", async () => {
  const db = await openDatabase({ url: "memory://", dataDir: "." });
  await migrate(db);
  const cache = createTokenCache(db);
  const partner = await createPartner(db, { name: "Diario", languages: ["es"] });
  const { token } = await createToken(db, { role: "partner", partnerId: partner.id });
  expect((await cache.lookup(token))?.partner?.languages).toEqual(["es"]);
  await updatePartner(db, partner.id, { languages: ["es", "ca"] });
  expect((await cache.lookup(token))?.partner?.languages).toEqual(["es"]);
  cache.forgetPartner(partner.id);
  expect((await cache.lookup(token))?.partner?.languages).toEqual(["es", "ca"]);
  await deletePartner(db, partner.id);
  cache.forgetPartner(partner.id);
  expect(await cache.lookup(token)).toBeUndefined();
  await db.destroy();
});

it("keeps secrets longer than any it issues by their hash, and says what it knows of either without the database", async () => {
  const db = await openDatabase({ url: "memory://", dataDir: "." });
  await migrate(db);
  const cache = createTokenCache(db);
  const { token, row } = await createToken(db, { role: "editor" });
  const long = `bw_${"x".repeat(200)}`;
  // Not looked up yet: the database must be asked.
  expect(cache.peek(token)).toBeNull();
  expect(cache.peek(long)).toBeNull();
  expect((await cache.lookup(token))?.row.id).toBe(row.id);
  expect(await cache.lookup(long)).toBeUndefined();
  expect(cache.peek(token)?.row.id).toBe(row.id);
  // Known to be no token at all: answered from memory as such, not as "ask the database".
  expect(cache.peek(long)).toBeUndefined();
  expect(cache.peek(long.slice(0, -1))).toBeNull();
  cache.forget(row.id);
  expect(cache.peek(token)).toBeNull();
  await db.destroy();
});
