import { type SourceInput, sourceView, toNewSource } from "@babelwire/api";
import { createSource, findSourceByUrl, listSources } from "@babelwire/db";
import type { Command } from "commander";
import { tryQueues, withDatabase } from "../cli-runtime.ts";
import { CommandError } from "../fail.ts";
import { table } from "../table.ts";

interface AddOptions {
  name?: string;
  language?: string;
  targets?: string;
  interval?: string;
  review?: "auto" | "strict" | "required";
  fullText?: "auto" | "always" | "never";
  rightsUrl?: string;
  usageTerms?: string;
}

type SourceView = ReturnType<typeof sourceView>;

/** "3m ago" or "in 2m": how an operator reads poll times at a glance. */
function relative(iso: string | null, now: number): string {
  if (!iso) return "-";
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const size = Math.abs(seconds);
  const amount =
    size < 60
      ? `${size}s`
      : size < 3600
        ? `${Math.floor(size / 60)}m`
        : size < 86400
          ? `${Math.floor(size / 3600)}h`
          : `${Math.floor(size / 86400)}d`;
  return seconds < 0 ? `${amount} ago` : `in ${amount}`;
}

const MESSAGE_WIDTH = 60;

/** The `sources list` table: settings first, then health, the error message last since it is long. */
export function sourceRows(views: SourceView[], now: number): string[][] {
  const rows = [
    [
      "ID",
      "NAME",
      "TARGETS",
      "REVIEW",
      "LAST POLL",
      "STATUS",
      "ERROR",
      "ERRORS",
      "ITEMS",
      "QUIET",
      "NEXT POLL",
      "MESSAGE",
    ],
  ];
  for (const view of views) {
    const { health } = view;
    const message = health.errorMessage ?? "";
    rows.push([
      view.id,
      view.name,
      view.targets.join(","),
      view.review,
      relative(health.lastFetchAt, now),
      String(health.lastStatus ?? "-"),
      health.errorCode ?? "-",
      String(health.consecutiveErrors),
      String(health.itemsSeen),
      health.quiet ? "yes" : "no",
      relative(health.nextPollAt, now),
      message.length > MESSAGE_WIDTH ? `${message.slice(0, MESSAGE_WIDTH - 1)}…` : message,
    ]);
  }
  return rows;
}

export function registerSources(program: Command): void {
  const sources = program.command("sources").description("manage feed sources");

  sources
    .command("add")
    .description("add a feed (URL or file path) and start polling it")
    .argument("<url>", "feed URL, or a file path for offline use")
    .option("--name <name>", "display name (the agency); default: the feed's own title, from its first fetch")
    .option("--language <lang>", 'language of the feed: "auto" or a BCP 47 tag')
    .option("--targets <langs>", "comma-separated target languages (default TARGET_LANGUAGES)")
    .option("--interval <duration>", "poll interval such as 5m")
    .option("--review <policy>", "auto (errors hold) | strict (any QA flag holds) | required")
    .option("--full-text <mode>", "auto | always | never")
    .option("--rights-url <url>", "the agency's licence or terms page, linked in every item's rights")
    .option("--usage-terms <text>", "what partners may do with the items (default: a sentence in each feed's language)")
    .action(async (url: string, options: AddOptions) => {
      if (options.review && !["auto", "strict", "required"].includes(options.review)) {
        throw new CommandError("sources add: --review must be auto, strict or required");
      }
      if (options.fullText && !["auto", "always", "never"].includes(options.fullText)) {
        throw new CommandError("sources add: --full-text must be auto, always or never");
      }
      await withDatabase(async (db, config) => {
        const input: SourceInput = {
          url,
          ...(options.name && { name: options.name }),
          ...(options.language && { language: options.language }),
          ...(options.targets && { targets: options.targets.split(",").map((t) => t.trim()) }),
          ...(options.interval && { interval: options.interval }),
          ...(options.review && { review: options.review }),
          ...(options.fullText && { fullText: options.fullText }),
          ...(options.rightsUrl && { rightsUrl: options.rightsUrl }),
          ...(options.usageTerms && { usageTerms: options.usageTerms }),
        };
        const source = toNewSource(input, config.TARGET_LANGUAGES);
        if (await findSourceByUrl(db, source.url))
          throw new CommandError(`sources add: ${source.url} is already a source`);
        const row = await createSource(db, source);
        const redis = await tryQueues(config);
        if (redis) {
          await redis.queues.schedulePoll(row.id);
          await redis.queues.enqueuePoll({ sourceId: row.id, force: true });
          await redis.close();
        } else {
          process.stderr.write("Redis does not answer: polling starts when the ingestor runs.\n");
        }
        process.stdout.write(`${JSON.stringify(sourceView(row))}\n`);
      });
    });

  sources
    .command("list")
    .description("list sources with their health")
    .option("--json", "JSON Lines instead of a table")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const rows = (await listSources(db)).map(sourceView);
        if (options.json) {
          for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
          return;
        }
        const lines = sourceRows(rows, Date.now());
        process.stdout.write(`${table(lines)}\n`);
      });
    });
}
