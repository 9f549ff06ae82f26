import { Writable } from "node:stream";

const LEVELS: Record<number, { name: string; color: string }> = {
  10: { name: "TRACE", color: "\u001b[90m" },
  20: { name: "DEBUG", color: "\u001b[36m" },
  30: { name: "INFO ", color: "\u001b[32m" },
  40: { name: "WARN ", color: "\u001b[33m" },
  50: { name: "ERROR", color: "\u001b[31m" },
  60: { name: "FATAL", color: "\u001b[35m" },
};
const RESET = "\u001b[0m";
const DIM = "\u001b[2m";

/** What every line already says, or what a person does not need to read. */
const OMITTED = new Set(["level", "time", "msg", "service", "pid", "hostname", "v"]);
const LONGEST_VALUE = 120;

/**
 * pino's JSON lines as a person reads them on a terminal: `14:02:03 INFO  api  message  key=value`,
 * the time local, the level coloured, then the fields that say what the line is about (sourceId,
 * queue, status, …). Not for machines: JSON stays the format anywhere logs are collected.
 */
export function prettyLine(json: string, colors: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(typeof entry.time === "number" ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level).padEnd(5), color: "" };
  const fields = Object.entries(entry)
    .filter(([key, value]) => !OMITTED.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${shown(value)}`);
  const paint = (code: string, text: string) => (colors ? `${code}${text}${RESET}` : text);
  const service = typeof entry.service === "string" ? entry.service : "";
  const message = typeof entry.msg === "string" ? entry.msg : "";
  return [paint(DIM, time), paint(level.color, level.name), service, message, ...fields].filter(Boolean).join("  ");
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > LONGEST_VALUE ? `${oneLine.slice(0, LONGEST_VALUE - 1)}…` : oneLine;
}

/** A destination for pino that writes each JSON line as a pretty one to a file descriptor's stream. */
export function prettyDestination(out: NodeJS.WritableStream, colors: boolean): Writable {
  let pending = "";
  return new Writable({
    write(chunk, _encoding, done) {
      pending += String(chunk);
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) if (line) out.write(`${prettyLine(line, colors)}\n`);
      done();
    },
  });
}
