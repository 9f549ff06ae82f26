import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { standardWebhookHeaders, verifyWebhookSignature, webhookSignature } from "./sign-webhook.ts";

/** A receiver in a few lines of Python's hmac, as Standard Webhooks describes it: an independent check. */
const PYTHON_RECEIVER = `
import base64, hashlib, hmac, json, sys
given = json.load(sys.stdin)
secret = given["secret"].removeprefix("whsec_")
key = base64.b64decode(secret.replace("-", "+").replace("_", "/") + "=" * (-len(secret) % 4))
signed = f"{given['id']}.{given['timestamp']}.{given['body']}".encode()
print("v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode())
`;

function pythonSignature(secret: string, id: string, timestamp: string, body: string): string {
  const run = spawnSync("/usr/bin/python3", ["-c", PYTHON_RECEIVER], {
    input: JSON.stringify({ secret, id, timestamp, body }),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return run.stdout.trim();
}

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

describe("Standard Webhooks headers", () => {
  const body = '{"event":"published","item":{"headlines":[{"value":"Ñandú — «cita»"}]}}';
  const at = new Date("2026-12-03T13:00:00.500Z");

  it("signs id.timestamp.body with the key the whsec_ secret's base64 encodes, as Python's hmac computes it", () => {
    // A secret as partners get it now (standard base64) and one made before (base64url, with - and _).
    for (const secret of ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_a-b_c-d_e-f_g-h_i-j_k-l_m-n_o-p_q-r_"]) {
      const headers = standardWebhookHeaders(secret, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", body, at);
      expect(headers["webhook-id"]).toBe("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
      expect(headers["webhook-timestamp"]).toBe("1796302800");
      expect(headers["webhook-signature"]).toBe(pythonSignature(secret, headers["webhook-id"], "1796302800", body));
    }
  });

  it("changes with the id, the time and every byte of the body, so none can be swapped or replayed later", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const signature = standardWebhookHeaders(secret, "a", body, at)["webhook-signature"];
    expect(standardWebhookHeaders(secret, "b", body, at)["webhook-signature"]).not.toBe(signature);
    expect(standardWebhookHeaders(secret, "a", `${body} `, at)["webhook-signature"]).not.toBe(signature);
    expect(standardWebhookHeaders(secret, "a", body, new Date(at.getTime() + 1000))["webhook-signature"]).not.toBe(
      signature,
    );
  });
});
