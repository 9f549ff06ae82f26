import { measureGrowth, repeatTo } from "@babelwire/core/linear-time";
import { describe, expect, it } from "vitest";
import { sanitizeTarget } from "./sanitize-target.ts";

// An engine's or an editor's HTML is as hostile as a feed's (issue 20 found the same curve here).
describe("sanitizeTarget on hostile nesting", () => {
  it.each([
    ["unclosed <b><i>", "<b><i>"],
    ["unclosed table cells", "<table><tr><td>"],
  ])("sanitizes 1 MB of %s in linear time", async (_name, unit) => {
    const growth = await measureGrowth(sanitizeTarget, (chars) => repeatTo(unit, chars));
    expect(growth.largeMs).toBeLessThan(growth.boundMs);
  });

  it("keeps what an engine wrote past the depth cap as text, inert", () => {
    const html = sanitizeTarget(
      `${"<i>".repeat(2_000)}el texto<script>alert(1)</script><a href="javascript:x">enlace</a>`,
    );
    expect(html).toContain("el texto");
    expect(html).toContain("enlace");
    expect(html).not.toMatch(/script|javascript|alert/);
  });
});
