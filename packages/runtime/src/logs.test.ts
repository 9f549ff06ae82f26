import { Writable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { createActivity } from "./activity.ts";
import { createLogger, logFormat } from "./logger.ts";
import { prettyLine } from "./pretty-lines.ts";

function sink() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe("log format", () => {
  it("is pretty on a terminal and JSON elsewhere, unless LOG_FORMAT says", () => {
    expect(logFormat(undefined, true)).toBe("pretty");
    expect(logFormat(undefined, false)).toBe("json");
    expect(logFormat("json", true)).toBe("json");
    expect(logFormat("pretty", false)).toBe("pretty");
  });

  it("writes a pretty line as time, level, service, message and the fields that matter", () => {
    const json = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 0, 1, 12, 0, 0),
      pid: 42,
      hostname: "box",
      service: "ingestor",
      sourceId: "s-1",
      new: 2,
      msg: "feed polled",
    });
    const line = prettyLine(json, false);
    expect(line).toMatch(/^\d\d:\d\d:\d\d {2}INFO {3}ingestor {2}feed polled {2}sourceId=s-1 {2}new=2$/);
    expect(line).not.toContain("pid");
    expect(prettyLine(json, true)).toContain("\u001b[32mINFO ");
  });

  it("writes pretty lines to stdout with LOG_FORMAT=pretty", () => {
    let out = "";
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      createLogger("info", "api", 1, "pretty").info({ status: 200 }, "hello");
    } finally {
      write.mockRestore();
    }
    expect(out).toMatch(/^\d\d:\d\d:\d\d {2}INFO {3}api {2}hello {2}status=200\n$/);
  });
});

describe("the minute's activity line", () => {
  it("sums requests and jobs into one info line, and logs nothing for a quiet minute", () => {
    const { lines, stream } = sink();
    const activity = createActivity(createLogger("info", "babelwire", stream));
    activity.flush();
    expect(lines).toEqual([]);
    for (const status of [200, 200, 304, 404]) activity.request(status);
    activity.job("poll", "completed");
    activity.job("poll", "completed");
    activity.job("translate", "failed");
    activity.flush();
    activity.flush();
    activity.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "activity in the last minute",
      requests: { total: 4, "2xx": 2, "3xx": 1, "4xx": 1 },
      jobs: { poll: { completed: 2 }, translate: { failed: 1 } },
    });
  });
});
