import { Command } from "commander";
import { registerCommands } from "./command-table.ts";
import { reportAndExit } from "./fail.ts";

const program = new Command("babelwire")
  .description("Babelwire: agency wire in, every language out")
  .showHelpAfterError()
  // Commander's own errors ("error: unknown option '--x'") in the one format every failure has.
  .configureOutput({
    outputError: (text, write) => write(`babelwire: USAGE: ${(text.split("\n")[0] ?? "").replace(/^error: /, "")}\n`),
  });

registerCommands(program, process.argv.slice(2))
  .then(() => program.parseAsync(process.argv))
  .catch(reportAndExit);
