import type { NormalizedArticle } from "@babelwire/core";
import { expect, it } from "vitest";
import { distinctGuids } from "./distinct-guids.ts";

const base: NormalizedArticle = {
  guid: "same",
  url: null,
  title: "A",
  summary: "",
  contentHtml: "<p>A</p>",
  contentText: "A",
  language: "en",
  publishedAt: "2026-11-01T00:00:00.000Z",
  updatedAt: "2026-11-01T00:00:00.000Z",
  authors: [],
  categories: [],
  media: [],
  contentHash: "aaaaaaaaaaaaaaaaaaaa",
};

it("tells apart items sharing a GUID, drops exact repeats, and keys them the same way on every poll", () => {
  const items = [
    base,
    { ...base },
    { ...base, title: "B", contentHash: "bbbbbbbbbbbbbbbbbbbb" },
    { ...base, guid: "other" },
  ];
  const once = distinctGuids(items).map((item) => item.guid);
  expect(once).toEqual(["same", "same#bbbbbbbbbbbb", "other"]);
  expect(distinctGuids(items).map((item) => item.guid)).toEqual(once);
});
