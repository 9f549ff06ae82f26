import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every command by name, with the description `babelwire --help` lists and the module that
 * registers it in full. main.ts loads only the module of the command being run: the rest of the
 * CLI (the API's routes, BullMQ, the feed parser, …) stays unloaded, so `--help` starts about as
 * fast as node itself. command-table.test.ts holds the descriptions to the modules' own.
 */
export const COMMANDS: Record<string, { description: string; load: () => Promise<Register> }> = {
  start: {
    description: "the whole system in one process: API, every worker and the poll scheduler",
    load: async () => (await import("./commands/start.ts")).registerStart,
  },
  sources: {
    description: "manage feed sources",
    load: async () => (await import("./commands/sources.ts")).registerSources,
  },
  queues: {
    description: "watch and steer the job queues (as GET /v1/queues)",
    load: async () => (await import("./commands/queues.ts")).registerQueues,
  },
  ingest: {
    description: "fetch (or read) one feed and print its normalized articles as JSON Lines",
    load: async () => (await import("./commands/ingest.ts")).registerIngest,
  },
  translate: {
    description: "translate stdin to stdout with the configured engine chain, glossary and translation memory",
    load: async () => (await import("./commands/translate.ts")).registerTranslate,
  },
  summarize: {
    description: "summarize stdin (extractive: the most central sentences)",
    load: async () => (await import("./commands/summarize.ts")).registerSummarize,
  },
  tokens: {
    description: "manage API tokens",
    load: async () => (await import("./commands/tokens.ts")).registerTokens,
  },
  partners: {
    description: "manage partner outlets and what they license",
    load: async () => (await import("./commands/partners.ts")).registerPartners,
  },
  glossary: {
    description: "manage the glossary the engines must follow",
    load: async () => (await import("./commands/glossary.ts")).registerGlossary,
  },
  memory: {
    description: "list and forget translation memory entries",
    load: async () => (await import("./commands/memory.ts")).registerMemory,
  },
  migrate: {
    description: "apply pending database migrations",
    load: async () => (await import("./commands/migrate.ts")).registerMigrate,
  },
};

/** The command an argument list runs (`help <command>` included), if it names one. */
export function commandOf(args: readonly string[]): string | undefined {
  const [first, second] = args;
  const name = first === "help" ? second : first;
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

/**
 * Registers the command `args` runs in full and every other one by name and description only:
 * enough for commander's help listing and its "unknown command" answer.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const running = commandOf(args);
  for (const [name, { description, load }] of Object.entries(COMMANDS)) {
    if (name === running) (await load())(program);
    else program.command(name).description(description);
  }
}
