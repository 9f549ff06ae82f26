import { ApiError, assertTokenPartner } from "@babelwire/api";
import { createToken, type Role } from "@babelwire/db";
import type { Command } from "commander";
import { withDatabase } from "../cli-runtime.ts";
import { CommandError } from "../fail.ts";

const ROLES: Role[] = ["admin", "editor", "partner"];

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
        await assertTokenPartner(db, options.role, options.partner).catch((error: unknown) => {
          // The API's check, whose message names its body field; here the option is --partner.
          if (error instanceof ApiError)
            throw new CommandError(`tokens create: ${error.message.replace("partnerId", "--partner")}`);
          throw error;
        });
        const { token } = await createToken(db, {
          role: options.role as Role,
          partnerId: options.partner ?? null,
          label: options.label ?? null,
        });
        process.stdout.write(`${token}\n`);
      });
    });
}
