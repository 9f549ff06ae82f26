import { deletePartner, listPartners, type NewPartner } from "@babelwire/db";
import { addPartner, createdPartnerView, type PartnerInput, partnerView, toNewPartner } from "@babelwire/operations";
import type { Command } from "commander";
import { withDatabase } from "../cli-runtime.ts";
import { asCommandError, CommandError } from "../fail.ts";
import { table } from "../table.ts";

interface AddOptions {
  name?: string;
  languages?: string;
  sources?: string;
  webhook?: string;
  allowPrivateWebhook?: boolean;
}

const list = (text: string) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/** The options as the API's body would give them, so both go through one validation (partner-input). */
function partnerInput(name: string | undefined, options: AddOptions): PartnerInput {
  return {
    ...((name ?? options.name) !== undefined && { name: name ?? options.name }),
    ...(options.languages !== undefined && { languages: list(options.languages) }),
    ...(options.sources !== undefined && { sources: list(options.sources) }),
    ...(options.webhook !== undefined && { webhookUrl: options.webhook }),
    ...(options.allowPrivateWebhook && { allowPrivateWebhook: true }),
  };
}

export function registerPartners(program: Command): void {
  const partners = program.command("partners").description("manage partner outlets and what they license");

  partners
    .command("add")
    .description("add a partner and print it as JSON with its id and webhook secret (shown once)")
    .argument("[name]", "the outlet's name (or --name)")
    .option("--name <name>", "the outlet's name")
    .requiredOption("--languages <langs>", "comma-separated licensed languages, such as es,ca")
    .option("--sources <ids>", "comma-separated licensed source ids (default: every source)")
    .option("--webhook <url>", "http(s) URL that receives signed webhooks")
    .option("--allow-private-webhook", "let webhooks go to a private or loopback address")
    .action(async (name: string | undefined, options: AddOptions) => {
      if (name !== undefined && options.name !== undefined) {
        throw new CommandError("partners add: give the name once, as an argument or with --name");
      }
      let input: NewPartner;
      try {
        input = toNewPartner(partnerInput(name, options));
      } catch (error) {
        asCommandError("partners add")(error);
      }
      await withDatabase(async (db) => {
        const row = await addPartner(db, input).catch(asCommandError("partners add"));
        process.stdout.write(`${JSON.stringify(createdPartnerView(row))}\n`);
      });
    });

  partners
    .command("list")
    .description("list partners with their licences (never their secrets)")
    .option("--json", "JSON Lines instead of a table")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const rows = (await listPartners(db)).map(partnerView);
        if (options.json) {
          for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
          return;
        }
        const lines = [["ID", "NAME", "LANGUAGES", "SOURCES", "WEBHOOK"]];
        for (const row of rows) {
          lines.push([
            row.id,
            row.name,
            row.languages.join(","),
            row.sources?.join(",") ?? "all",
            row.webhookUrl ?? "-",
          ]);
        }
        process.stdout.write(`${table(lines)}\n`);
      });
    });

  partners
    .command("remove")
    .description("remove a partner and revoke its tokens")
    .argument("<id>", "the partner's id")
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CommandError("partners remove: <id> must be a partner id");
      await withDatabase(async (db) => {
        if (!(await deletePartner(db, id))) throw new CommandError(`partners remove: no partner ${id}`, 1, "NOT_FOUND");
        process.stdout.write(`removed ${id}\n`);
      });
    });
}
