import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookSignature, webhookSignature } from "./sign-webhook.ts";

describe("webhook signatures", () => {
  const body = '{"event":"published","item":{"headlines":[{"value":"Ñandú — «cita»"}]}}';

  it("is the hex HMAC-SHA256 of the raw UTF-8 body under the partner's secret, prefixed sha256=", () => {
    const hex = createHmac("sha256", "whsec_test").update(Buffer.from(body, "utf8")).digest("hex");
    expect(webhookSignature("whsec_test", body)).toBe(`sha256=${hex}`);
  });

  it("verifies over the bytes as received and refuses another secret, another body or no header", () => {
    const header = webhookSignature("whsec_test", body);
    expect(verifyWebhookSignature("whsec_test", Buffer.from(body, "utf8"), header)).toBe(true);
    expect(verifyWebhookSignature("whsec_other", body, header)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", `${body} `, header)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", body, undefined)).toBe(false);
    expect(verifyWebhookSignature("whsec_test", body, "sha256=00")).toBe(false);
  });
});
