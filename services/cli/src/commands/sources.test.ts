import type { SourceRow } from "@babelwire/db";
import { sourceView } from "@babelwire/operations";
import { describe, expect, it } from "vitest";
import { sourceRows } from "./sources.ts";

const NOW = Date.parse("2026-03-01T12:00:00Z");

function row(health: Partial<SourceRow>): SourceRow {
  return {
    id: "6f1c1f3e-5c1d-4a8e-9a57-1e8d3a0d2b11",
    url: "https://agency.example/feed.xml",
    name: "Agency",
    language: "en",
    targets: ["es", "ca"],
    interval_seconds: 300,
    review: "auto",
    full_text: "auto",
    created_at: new Date(NOW - 86_400_000),
    updated_at: new Date(NOW),
    etag: null,
    last_modified: null,
    last_fetched_at: null,
    last_success_at: null,
    last_status: null,
    error_code: null,
    error_message: null,
    consecutive_errors: 0,
    next_poll_at: null,
    items_seen: 0,
    poll_interval_seconds: null,
    median_gap_seconds: null,
    quiet: false,
    newest_item_at: null,
    review_languages: {},
    paused: false,
    ...health,
  } as SourceRow;
}

describe("sources list", () => {
  it("shows each source's health: last poll, status, error code and message, errors in a row, quiet, next poll", () => {
    const broken = row({
      last_fetched_at: new Date(NOW - 3 * 60_000),
      last_status: 429,
      error_code: "FEED_HTTP_429",
      error_message: `The agency asked us to slow down (Retry-After 600). ${"x".repeat(80)}`,
      consecutive_errors: 4,
      items_seen: 120,
      next_poll_at: new Date(NOW + 10 * 60_000),
      quiet: true,
    });
    const [header, line] = sourceRows([sourceView(broken), sourceView(row({}))], NOW);
    const cells = Object.fromEntries((header ?? []).map((name, at) => [name, line?.[at]]));
    expect(cells).toMatchObject({
      STATE: "failing",
      "LAST POLL": "3m ago",
      STATUS: "429",
      ERROR: "FEED_HTTP_429",
      ERRORS: "4",
      ITEMS: "120",
      QUIET: "yes",
      "NEXT POLL": "in 10m",
    });
    expect(cells.MESSAGE).toMatch(/^The agency asked us to slow down \(Retry-After 600\)\. x+…$/);
    expect(cells.MESSAGE).toHaveLength(60);
  });

  it("shows a paused source as paused", () => {
    const [header, line] = sourceRows([sourceView(row({ paused: true, consecutive_errors: 3 }))], NOW);
    expect(line?.[header?.indexOf("STATE") ?? -1]).toBe("paused");
  });

  it("shows a dash for a source never polled", () => {
    const [header, , line] = sourceRows([sourceView(row({})), sourceView(row({}))], NOW);
    const cells = Object.fromEntries((header ?? []).map((name, at) => [name, line?.[at]]));
    expect(cells).toMatchObject({
      STATE: "active",
      "LAST POLL": "-",
      STATUS: "-",
      ERROR: "-",
      QUIET: "no",
      "NEXT POLL": "-",
    });
  });
});
