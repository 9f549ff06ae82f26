import { spawn } from "node:child_process";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CodedError } from "@babelwire/core";
import type { ApertiumTransport } from "./apertium-transport.ts";

export interface CommandTransportOptions {
  command: string;
  /** Where Apertium's data may be installed, in order: the first holding a `modes` directory is used. */
  dataDirs: readonly string[];
  timeoutMs: number;
}

const MODE_SUFFIX = ".mode";

/**
 * Runs the `apertium` command once per document. The input goes in as a file: the script
 * reads `/dev/stdin`, which cannot be opened when stdin is one of Node's socket pairs.
 *
 * The modes are the `.mode` files of the data directory, read directly: `apertium -l` lists
 * the same files, but as a shell script that starts some 25 processes (a second of a one-shot
 * command's time). The command is given that directory (`-d`), so it runs exactly the modes
 * listed.
 */
export function createCommandTransport(options: CommandTransportOptions): ApertiumTransport {
  let dataDir: string | undefined;
  const findOnce = async () => {
    dataDir ??= await findDataDir(options.dataDirs);
    return dataDir;
  };
  return {
    maxDocumentChars: Number.POSITIVE_INFINITY,
    async modes() {
      const names = await readdir(path.join(await findOnce(), "modes"));
      return names
        .filter((name) => name.endsWith(MODE_SUFFIX))
        .map((name) => name.slice(0, -MODE_SUFFIX.length))
        .sort();
    },
    async translateHtml(mode, html) {
      const data = await findOnce();
      const dir = await mkdtemp(path.join(tmpdir(), "babelwire-apertium-"));
      try {
        const input = path.join(dir, "in.html");
        await writeFile(input, html, "utf8");
        return await run(options, ["-d", data, "-f", "html", mode, input]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The first of `dirs` holding a `modes` directory; none is Apertium's data not installed (yet). */
async function findDataDir(dirs: readonly string[]): Promise<string> {
  for (const dir of dirs) {
    const modes = await stat(path.join(dir, "modes")).catch(() => undefined);
    if (modes?.isDirectory()) return dir;
  }
  throw new CodedError(
    "ENGINE_UNAVAILABLE",
    `Apertium's data is not installed: no modes directory in ${dirs.join(", ")}.`,
  );
}

function run(options: CommandTransportOptions, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout ends the whole pipeline the script starts, not just bash.
    const child = spawn(options.command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(spawnError(options.command, error));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      if (timedOut) {
        reject(new CodedError("ENGINE_FAILED", `apertium timed out after ${options.timeoutMs} ms`));
      } else if (code !== 0) {
        reject(exitError(code, `${err}\n${out}`));
      } else {
        resolve(out);
      }
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone: nothing left to stop.
  }
}

function spawnError(command: string, error: NodeJS.ErrnoException): CodedError {
  if (error.code === "ENOENT" || error.code === "EACCES") {
    return new CodedError("ENGINE_UNAVAILABLE", `The apertium command "${command}" cannot be run (${error.code}).`, {
      cause: error,
    });
  }
  return new CodedError("ENGINE_FAILED", `apertium could not start: ${error.message}`, { cause: error });
}

function exitError(code: number | null, output: string): CodedError {
  const missingMode = /Mode (\S+) does not exist/.exec(output);
  if (missingMode) {
    return new CodedError("ENGINE_PAIR_UNSUPPORTED", `Apertium has no mode ${missingMode[1]}.`, { permanent: true });
  }
  const detail = output.trim().split("\n")[0] ?? "";
  return new CodedError("ENGINE_FAILED", `apertium exited with code ${code ?? "none"}: ${detail}`);
}
