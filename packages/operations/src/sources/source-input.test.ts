import { describe, expect, it } from "vitest";
import { OperationError } from "../operation-error.ts";
import { toNewSource, toSourcePatch } from "./source-input.ts";

function refusal(work: () => unknown): OperationError {
  try {
    work();
  } catch (error) {
    if (error instanceof OperationError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("source input", () => {
  it("refuses bad input with a stable code and the field at fault, never an HTTP status", () => {
    const missing = refusal(() => toNewSource({}, ["es"], ["/feeds"]));
    expect([missing.code, missing.field, missing.message]).toEqual(["invalid_request", "url", "url is required"]);
    expect(missing).not.toHaveProperty("statusCode");
    const interval = refusal(() => toSourcePatch({ interval: "5s" }));
    expect([interval.code, interval.field]).toEqual(["invalid_request", "interval"]);
    const outside = refusal(() => toNewSource({ url: "/etc/feed.xml" }, ["es"], ["/feeds"]));
    expect(outside.field).toBe("url");
  });

  it("defaults the targets and normalizes language tags", () => {
    const source = toNewSource({ url: "https://example.com/feed", language: "EN-gb" }, ["es", "ca"], []);
    expect(source).toMatchObject({ url: "https://example.com/feed", language: "en-GB", targets: ["es", "ca"] });
  });
});
