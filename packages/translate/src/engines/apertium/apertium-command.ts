import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CodedError } from "@babelwire/core";
import type { ApertiumTransport } from "./apertium-transport.ts";

export interface CommandTransportOptions {
  command: string;
  timeoutMs: number;
}

/**
 * Runs the `apertium` command once per document. The input goes in as a file: the script
 * reads `/dev/stdin`, which cannot be opened when stdin is one of Node's socket pairs.
 */
export function createCommandTransport(options: CommandTransportOptions): ApertiumTransport {
  return {
    maxDocumentChars: Number.POSITIVE_INFINITY,
    async modes() {
      const listing = await run(options, ["-l"]);
      return listing
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    },
    async translateHtml(mode, html) {
      const dir = await mkdtemp(path.join(tmpdir(), "babelwire-apertium-"));
      try {
        const input = path.join(dir, "in.html");
        await writeFile(input, html, "utf8");
        return await run(options, ["-f", "html", mode, input]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
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
