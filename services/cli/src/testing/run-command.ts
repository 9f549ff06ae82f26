import type { Command } from "commander";
import { Command as Program } from "commander";
import { vi } from "vitest";
import { errorLine } from "../fail.ts";

export interface CommandRun {
  stdout: string;
  /** What the command threw, as `babelwire` reports it on stderr; undefined on success. */
  error?: string;
}

/**
 * A command run in this process, for speed (each spawned `babelwire` starts tsx and every
 * service's imports): stdout is captured, the environment stubbed for the run, and a failure
 * comes back as the one line the real process would print.
 */
export async function runCommand(
  register: (program: Command) => void,
  args: string[],
  env: Record<string, string>,
): Promise<CommandRun> {
  const program = new Program("babelwire").exitOverride();
  register(program);
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  try {
    await program.parseAsync(args, { from: "user" });
    return { stdout };
  } catch (error) {
    return { stdout, error: errorLine(error) };
  } finally {
    write.mockRestore();
    vi.unstubAllEnvs();
  }
}
