import { listTokens, type Role, revokeToken } from "@babelwire/db";
import { issueToken, tokenSummary } from "@babelwire/operations";
import type { Command } from "commander";
import { withDatabase } from "../cli-runtime.ts";
import { asCommandError, CommandError } from "../fail.ts";
import { printList } from "../table.ts";

const ROLES: Role[] = ["admin", "editor", "partner"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerTokens(program: Command): void {
  const tokens = program.command("tokens").description("manage API tokens");
  tokens
    .command("create")
    .description("create a token and print it once (only its hash is stored)")
    .requiredOption("--role <role>", "admin | editor | partner")
    .option("--partner <id>", "the partner a partner token belongs to (required for --role partner)")
    .option("--label <text>", "a note on who holds it")
    .action(async (options: { role: string; partner?: string; label?: string }) => {
      if (!ROLES.includes(options.role as Role))
        throw new CommandError("tokens create: --role must be admin, editor or partner");
      if (options.partner && !/^[0-9a-f-]{36}$/i.test(options.partner))
        throw new CommandError("tokens create: --partner must be a partner id");
      await withDatabase(async (db) => {
        const { token } = await issueToken(db, {
          role: options.role as Role,
          partnerId: options.partner,
          label: options.label,
        }).catch(asCommandError("tokens create", { partnerId: "--partner" }));
        process.stdout.write(`${token}\n`);
      });
    });
  tokens
    .command("list")
    .description("list tokens: role, partner, label and life (never the secrets, which are not stored)")
    .option("--json", "JSON Lines instead of a table")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const views = (await listTokens(db)).map(tokenSummary);
        printList(views, options, ["ID", "ROLE", "PARTNER", "LABEL", "CREATED", "EXPIRES", "REVOKED"], (view) => [
          view.id,
          view.role,
          view.partnerId ?? "-",
          view.label ?? "-",
          view.createdAt,
          view.expiresAt ?? "-",
          view.revokedAt ?? "-",
        ]);
      });
    });
  tokens
    .command("revoke")
    .description("revoke a token: 401 from then on (within 10 s on API processes that cached it)")
    .argument("<id>", "the token's id, as `tokens list` shows it")
    .action(async (id: string) => {
      if (!UUID.test(id)) throw new CommandError("tokens revoke: <id> must be a token id");
      await withDatabase(async (db) => {
        if (!(await revokeToken(db, id))) throw new CommandError(`tokens revoke: no live token ${id}`, 1, "NOT_FOUND");
        process.stdout.write(`revoked ${id}\n`);
      });
    });
}
