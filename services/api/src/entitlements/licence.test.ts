import { describe, expect, it } from "vitest";
import { assertEntitledTo, NOTHING, readScope } from "./licence.ts";

const [wire, daily, other] = ["a-wire", "b-daily", "c-other"];
const spanishWire = { languages: ["es"], sources: [wire, daily] };
const everything = { languages: ["es", "ca"], sources: null };

const code = (work: () => unknown) => {
  try {
    work();
    return "ok";
  } catch (error) {
    return `${(error as { statusCode: number }).statusCode} ${(error as { code: string }).code}`;
  }
};

describe("readScope", () => {
  it("does not narrow reads by admins and editors, who have no licence", () => {
    expect(readScope(null, "uk")).toBeUndefined();
    expect(readScope(undefined, "uk", other)).toBeUndefined();
  });

  it("refuses a language outside the licence with 403 not_entitled, and admits its regional variants", () => {
    expect(code(() => readScope(spanishWire, "ca"))).toBe("403 not_entitled");
    expect(code(() => readScope(spanishWire, "es-MX"))).toBe("ok");
    expect(code(() => readScope(NOTHING, "es"))).toBe("403 not_entitled");
  });

  it("narrows to the licensed sources, or not at all for a licence of every source", () => {
    expect(readScope(spanishWire, "es")).toEqual([wire, daily]);
    expect(readScope(everything, "ca")).toBeUndefined();
  });

  it("leaves a licensed source filter alone and refuses an unlicensed one", () => {
    expect(readScope(spanishWire, "es", wire)).toBeUndefined();
    expect(code(() => readScope(spanishWire, "es", other))).toBe("403 not_entitled");
    expect(readScope(everything, "es", other)).toBeUndefined();
  });
});

describe("assertEntitledTo", () => {
  it("admits an item only in a licensed language from a licensed source", () => {
    expect(code(() => assertEntitledTo(spanishWire, { lang: "es", sourceId: daily }))).toBe("ok");
    expect(code(() => assertEntitledTo(spanishWire, { lang: "es", sourceId: other }))).toBe("403 not_entitled");
    expect(code(() => assertEntitledTo(spanishWire, { lang: "ca", sourceId: wire }))).toBe("403 not_entitled");
    expect(code(() => assertEntitledTo(everything, { lang: "ca", sourceId: other }))).toBe("ok");
    expect(code(() => assertEntitledTo(null, { lang: "uk", sourceId: other }))).toBe("ok");
  });
});
