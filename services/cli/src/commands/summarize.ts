import { summarizeExtractive } from "@babelwire/summarize";
import { type Command, InvalidArgumentError } from "commander";
import { readStdin } from "../read-stdin.ts";

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError("must be a positive integer");
  return number;
}

export function registerSummarize(program: Command): void {
  program
    .command("summarize")
    .description("summarize stdin (extractive: the most central sentences)")
    .requiredOption("--lang <lang>", "language of the text (BCP 47)")
    .option("--sentences <n>", "sentences to keep", positiveInteger, 3)
    .action(async (options: { lang: string; sentences: number }) => {
      const summary = summarizeExtractive(await readStdin(), { lang: options.lang, sentences: options.sentences });
      process.stdout.write(`${summary}\n`);
    });
}
