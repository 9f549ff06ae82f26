import { normalizeLanguageTag } from "@babelwire/core";
import type { NewPartner, PartnerPatch, PartnerRow } from "@babelwire/db";
import { OperationError } from "../operation-error.ts";

/** A partner as the API's body and the CLI's options give it. */
export interface PartnerInput {
  name?: string;
  languages?: string[];
  /** Licensed source ids; null (or, on creation, absent) means every source. */
  sources?: string[] | null;
  /** Where webhooks go; null removes it. */
  webhookUrl?: string | null;
  allowPrivateWebhook?: boolean;
}

const MAX_NAME = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(field: string, message: string): OperationError {
  return new OperationError("invalid_request", message, field);
}

function name(value: string): string {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > MAX_NAME) throw invalid("name", `name must be 1 to ${MAX_NAME} characters`);
  return trimmed;
}

/** BCP 47 tags normalized (`ES-mx` → `es-MX`), each once. */
function languages(values: string[]): string[] {
  if (values.length === 0) throw invalid("languages", "languages must name at least one language");
  const tags = values.map((value) => {
    const tag = normalizeLanguageTag(value.trim());
    if (!tag) throw invalid("languages", `language '${value}' is not a BCP 47 tag`);
    return tag;
  });
  return [...new Set(tags)];
}

/** Source ids, each once, lower case; whether they exist is asked of the database (manage-partners). */
function sources(values: string[] | null): string[] | null {
  if (values === null) return null;
  if (values.length === 0) {
    throw invalid("sources", "sources must name at least one source id, or be null for every source");
  }
  for (const value of values) if (!UUID.test(value)) throw invalid("sources", `source '${value}' is not a source id`);
  return [...new Set(values.map((value) => value.toLowerCase()))];
}

/** An absolute http(s) URL with a host; anything else (file:, javascript:, relative) is refused. */
function webhookUrl(value: string | null): string | null {
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid("webhookUrl", "webhookUrl is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid("webhookUrl", "webhookUrl must be an http(s) URL");
  }
  if (url.username || url.password) throw invalid("webhookUrl", "webhookUrl must not carry credentials");
  return url.toString();
}

/** Validates a new partner as the API and the CLI take it. */
export function toNewPartner(input: PartnerInput): NewPartner {
  if (input.name === undefined) throw invalid("name", "name is required");
  if (input.languages === undefined) throw invalid("languages", "languages is required");
  return {
    name: name(input.name),
    languages: languages(input.languages),
    sources: input.sources === undefined ? null : sources(input.sources),
    webhookUrl: input.webhookUrl === undefined ? null : webhookUrl(input.webhookUrl),
    allowPrivateWebhook: input.allowPrivateWebhook ?? false,
  };
}

/** Validates a change: only the fields given change. */
export function toPartnerPatch(input: PartnerInput): PartnerPatch {
  return {
    name: input.name === undefined ? undefined : name(input.name),
    languages: input.languages === undefined ? undefined : languages(input.languages),
    sources: input.sources === undefined ? undefined : sources(input.sources),
    webhookUrl: input.webhookUrl === undefined ? undefined : webhookUrl(input.webhookUrl),
    allowPrivateWebhook: input.allowPrivateWebhook,
  };
}

/** A partner as the API and the CLI show it. The webhook secret is shown only when it is created. */
export function partnerView(row: PartnerRow) {
  return {
    id: row.id,
    name: row.name,
    languages: row.languages,
    sources: row.sources,
    webhookUrl: row.webhook_url,
    allowPrivateWebhook: row.allow_private_webhook,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The view of a partner just created: the only time its webhook secret is shown. */
export function createdPartnerView(row: PartnerRow) {
  return { ...partnerView(row), secret: row.webhook_secret };
}
