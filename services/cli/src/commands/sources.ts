import { readFile } from "node:fs/promises";
import { type Config, feedFileRoots } from "@babelwire/config";
import { type Db, deleteSource, getSource, listSources, type SourcePatch } from "@babelwire/db";
import {
  addSource,
  assertPatchReachable,
  changeSource,
  enginePairsOf,
  importOpml,
  prepareNewSource,
  removeSource,
  renderOpml,
  type SourceInput,
  sourceView,
  toSourcePatch,
} from "@babelwire/operations";
import type { Queues } from "@babelwire/queue";
import type { Command } from "commander";
import { tryQueues } from "../cli-queues.ts";
import { withDatabase } from "../cli-runtime.ts";
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
  /** false with --no-check. */
  check?: boolean;
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
      "STATE",
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
      health.state,
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

  settingOptions(
    sources
      .command("add")
      .description("add a feed (URL, web page or file path) and start polling it; it is read first")
      .argument("<url>", "feed URL, a web page that leads to one, or a file path for offline use"),
  )
    .option("--no-check", "store the source without reading its feed first")
    .action(async (url: string, options: AddOptions) => {
      await withDatabase(async (db, config) => {
        // Read once as the poller will (a web page becomes its feed), targets checked against the engines.
        const source = await prepareNewSource(
          { url, ...settingsOf(options) },
          {
            check: options.check !== false,
            pairs: enginePairsOf(config),
            defaultTargets: config.TARGET_LANGUAGES,
            fileRoots: feedFileRoots(config),
          },
        );
        // The schedule's first tick polls at once; a forced poll beside it polled the new source twice.
        const row = await withQueues(config, (queues) => addSource(db, queues, source));
        process.stdout.write(`${JSON.stringify(sourceView(row))}\n`);
      });
    });

  sources
    .command("list")
    .description("list sources with their health")
    .option("--json", "JSON Lines instead of a table")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const rows = (await listSources(db)).map((row) => sourceView(row));
        if (options.json) {
          for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
          return;
        }
        const lines = sourceRows(rows, Date.now());
        process.stdout.write(`${table(lines)}\n`);
      });
    });

  const update = sources
    .command("update")
    .description("change a source's settings (its URL stays: remove and add it again for another)")
    .argument("<id>", "the source's id, as `sources list` shows it");
  settingOptions(update).action(async (id: string, options: AddOptions) => {
    await withSource(id, "sources update", async (db, config, current) => {
      const patch = toSourcePatch(settingsOf(options));
      await assertPatchReachable(enginePairsOf(config), current, patch);
      await printChanged(db, config, id, patch);
    });
  });

  sources
    .command("pause")
    .description("stop polling a source; it keeps its settings and health")
    .argument("<id>", "the source's id")
    .action(async (id: string) => {
      await withSource(id, "sources pause", (db, config) => printChanged(db, config, id, { paused: true }));
    });

  sources
    .command("resume")
    .description("poll a paused source again")
    .argument("<id>", "the source's id")
    .action(async (id: string) => {
      await withSource(id, "sources resume", (db, config) => printChanged(db, config, id, { paused: false }));
    });

  sources
    .command("poll")
    .description("poll a source now, whatever its schedule says")
    .argument("<id>", "the source's id")
    .action(async (id: string) => {
      await withSource(id, "sources poll", async (_db, config, current) => {
        if (current.paused)
          throw new CommandError(`sources poll: ${id} is paused; resume it first`, 1, "SOURCE_PAUSED");
        const redis = await tryQueues(config);
        if (!redis)
          throw new CommandError(
            "sources poll: Redis does not answer, so no poll can be queued",
            1,
            "REDIS_UNAVAILABLE",
          );
        try {
          await redis.queues.enqueuePoll({ sourceId: id, force: true });
        } finally {
          await redis.close();
        }
        process.stdout.write(`poll of ${id} queued\n`);
      });
    });

  sources
    .command("remove")
    .description("remove a source with its articles, its schedule and its failed jobs")
    .argument("<id>", "the source's id")
    .action(async (id: string) => {
      await withSource(id, "sources remove", async (db, config) => {
        await withQueues(config, (queues) => (queues ? removeSource(db, queues, id) : deleteSource(db, id)));
        process.stdout.write(`removed ${id}\n`);
      });
    });

  sources
    .command("import")
    .description("add every feed of an OPML file (from Miniflux, FreshRSS, any feed reader) as a source")
    .argument("<file>", "an .opml file")
    .option("--no-check", "store the sources without reading their feeds first")
    .option("--json", "print the result as JSON")
    .action(async (file: string, options: { check?: boolean; json?: boolean }) => {
      const opml = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new CommandError(
          `sources import: cannot read ${file}: ${error.code ?? error.message}`,
          1,
          "FILE_UNREADABLE",
        );
      });
      await withDatabase(async (db, config) => {
        const result = await withQueues(config, (queues) =>
          importOpml(db, queues, opml, {
            check: options.check !== false,
            pairs: enginePairsOf(config),
            defaultTargets: config.TARGET_LANGUAGES,
            fileRoots: feedFileRoots(config),
          }),
        );
        if (options.json) {
          const added = result.added.map((row) => sourceView(row));
          process.stdout.write(`${JSON.stringify({ ...result, added })}\n`);
        } else {
          for (const row of result.added) process.stdout.write(`added    ${row.id}  ${row.url}\n`);
          for (const url of result.existing) process.stdout.write(`existing ${url}\n`);
          for (const failure of result.failed)
            process.stdout.write(`failed   ${failure.url}  ${failure.code}: ${failure.message}\n`);
        }
        if (result.failed.length > 0 && result.added.length === 0 && result.existing.length === 0) {
          throw new CommandError(
            `sources import: none of the ${result.failed.length} feeds could be added`,
            1,
            "IMPORT_FAILED",
          );
        }
      });
    });

  sources
    .command("export")
    .description("print every source as OPML 2.0")
    .action(async () => {
      await withDatabase(async (db) => {
        process.stdout.write(renderOpml(await listSources(db), new Date()));
      });
    });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The settings options `sources add` and `sources update` share. */
function settingOptions(command: Command): Command {
  return command
    .option("--name <name>", "display name (the agency)")
    .option("--language <lang>", 'language of the feed: "auto" or a BCP 47 tag')
    .option("--targets <langs>", "comma-separated target languages")
    .option("--interval <duration>", "poll interval such as 5m")
    .option("--review <policy>", "auto (errors hold) | strict (any QA flag holds) | required")
    .option("--full-text <mode>", "auto | always | never")
    .option("--rights-url <url>", "the agency's licence or terms page, linked in every item's rights")
    .option(
      "--usage-terms <text>",
      "what partners may do with the items (default: a sentence in each feed's language)",
    );
}

/** The options given, as the API's body names them; enum values checked here, the rest by toNewSource/toSourcePatch. */
function settingsOf(options: AddOptions): Omit<SourceInput, "url"> {
  if (options.review && !["auto", "strict", "required"].includes(options.review)) {
    throw new CommandError("--review must be auto, strict or required");
  }
  if (options.fullText && !["auto", "always", "never"].includes(options.fullText)) {
    throw new CommandError("--full-text must be auto, always or never");
  }
  return {
    ...(options.name && { name: options.name }),
    ...(options.language && { language: options.language }),
    ...(options.targets && { targets: options.targets.split(",").map((t) => t.trim()) }),
    ...(options.interval && { interval: options.interval }),
    ...(options.review && { review: options.review }),
    ...(options.fullText && { fullText: options.fullText }),
    ...(options.rightsUrl && { rightsUrl: options.rightsUrl }),
    ...(options.usageTerms && { usageTerms: options.usageTerms }),
  };
}

/** Runs `work` on an existing source; NOT_FOUND otherwise. */
async function withSource(
  id: string,
  command: string,
  work: (db: Db, config: Config, current: NonNullable<Awaited<ReturnType<typeof getSource>>>) => Promise<void>,
): Promise<void> {
  if (!UUID.test(id)) throw new CommandError(`${command}: <id> must be a source id`);
  await withDatabase(async (db, config) => {
    const current = await getSource(db, id);
    if (!current) throw new CommandError(`${command}: no source ${id}`, 1, "NOT_FOUND");
    await work(db, config, current);
  });
}

/**
 * Queues for a command that changes schedules, or undefined when Redis does not answer: the
 * database change stands, and the ingestor's reconciler brings the schedules in line.
 */
async function withQueues<T>(config: Config, work: (queues: Queues | undefined) => Promise<T>): Promise<T> {
  const redis = await tryQueues(config);
  if (!redis) process.stderr.write("Redis does not answer: schedules follow when the ingestor runs.\n");
  try {
    return await work(redis?.queues);
  } finally {
    await redis?.close();
  }
}

async function printChanged(db: Db, config: Config, id: string, patch: SourcePatch): Promise<void> {
  const row = await withQueues(config, (queues) => changeSource(db, queues, id, patch));
  if (!row) throw new CommandError(`no source ${id}`, 1, "NOT_FOUND");
  process.stdout.write(`${JSON.stringify(sourceView(row))}\n`);
}
