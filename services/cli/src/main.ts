import { Command } from "commander";
import { registerCommands } from "./command-table.ts";
import { reportAndExit } from "./fail.ts";

const program = new Command("babelwire")
  .description("Babelwire: agency wire in, every language out")
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] ? `${text.split("\n")[0]}\n` : text) });

registerCommands(program, process.argv.slice(2))
  .then(() => program.parseAsync(process.argv))
  .catch(reportAndExit);
