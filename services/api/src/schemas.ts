/** JSON Schemas shared by routes; they validate input and document the OpenAPI output. */
export const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, field: { type: "string" } },
      required: ["code", "message"],
    },
  },
  required: ["error"],
} as const;

export const languageTagPattern = "^[a-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?$";

export const idParams = {
  type: "object",
  properties: { id: { type: "string", format: "uuid" } },
  required: ["id"],
} as const;

export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorSchema]));
}

export const bearer = [{ bearer: [] }];

/** How a ninjs item names its original and its other language versions: ninjs 2.2 has no field for it. */
export const ninjsTranslationLinks = [
  "**Language versions.** ninjs has no field linking a translation to its original or to its other language versions, and ninjs 2.2 admits no extension properties, so Babelwire gives standard ones documented roles:",
  '- `associations[]` with `name: "original"`: the agency\'s story, `uri` its URL and `language` its language;',
  "- `associations[]` with `name: \"translation:<lang>\"`: each other published language version, `uri` that item's own `uri` (`urn:babelwire:<translation id>`) and a `renditions[]` entry named `ninjs` whose `href` is this API's URL for it;",
  '- `altids[]` with `role: "babelwire:article"`: the article id, the same on every language version of one story (the `{id}` of `/v1/articles/{id}`), and `role: "babelwire:original-url"`: the original URL;',
  '- `infosources[]`: the agency with `role: "originator"`, Babelwire with `role: "translator:machine"` or `"translator:reviewed"` (an editor checked it);',
  '- `descriptions[]` with `role: "attribution"`: the attribution sentence in the item\'s language, also closing the HTML body.',
].join("\n");

const ninjsText = {
  type: "object",
  properties: { role: { type: "string" }, contenttype: { type: "string" }, value: { type: "string" } },
  required: ["value"],
} as const;

const ninjsRendition = {
  type: "object",
  properties: {
    name: { type: "string", description: "`ninjs` (this API), `web` (a web page) or `original` (an image)" },
    href: { type: "string", format: "uri" },
    contenttype: { type: "string" },
  },
  required: ["name"],
} as const;

/** The IPTC ninjs 2.2 properties a Babelwire item carries (the API's article reads and webhooks). */
export const ninjsItemSchema = {
  type: "object",
  description: "An IPTC ninjs 2.2 news item (https://www.iptc.org/std/ninjs/): one language version of an article.",
  properties: {
    uri: { type: "string", format: "uri", description: "urn:babelwire:<translation id>, stable across updates" },
    type: { type: "string", enum: ["text"] },
    representationtype: {
      type: "string",
      enum: ["full", "partial"],
      description: "`partial` for a withdrawn item, which comes without its text",
    },
    version: { type: "string", description: "Grows with every change to this language version" },
    firstcreated: { type: "string", format: "date-time", description: "When this translation was first published" },
    versioncreated: { type: "string", format: "date-time", description: "When this version was made" },
    contentcreated: { type: "string", format: "date-time", description: "When the agency published the original" },
    pubstatus: { type: "string", enum: ["usable", "canceled"], description: "`canceled`: withdrawn, take it down" },
    language: { type: "string", description: "BCP 47" },
    headlines: { type: "array", items: ninjsText },
    descriptions: {
      type: "array",
      items: ninjsText,
      description: "`summary` (plain text) and `attribution` (the credit line in the item's language)",
    },
    bodies: { type: "array", items: ninjsText, description: "`main`: sanitized HTML ending with the attribution" },
    subjects: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
    by: { type: "string", description: "The original's authors" },
    copyrightholder: { type: "string", description: "The agency" },
    copyrightnotice: { type: "string", description: "`© <year of the original> <agency>`" },
    usageterms: {
      type: "string",
      description:
        "What the partner may do with the item: the source's terms, or a default sentence in the item's language",
    },
    rightsinfo: {
      type: "object",
      properties: { linkedrights: { type: "string", format: "uri" } },
      description: "`linkedrights`: the agency's licence or terms page, when the operator gave one for the source",
    },
    infosources: {
      type: "array",
      items: { type: "object", properties: { name: { type: "string" }, role: { type: "string" } } },
      description: "`originator` (the agency) and `translator:machine` or `translator:reviewed` (Babelwire)",
    },
    associations: {
      type: "array",
      description: "`original`, `translation:<lang>` per other published language, and `featureimage`",
      items: {
        type: "object",
        properties: {
          name: { type: "string" },
          uri: { type: "string", format: "uri" },
          type: { type: "string", enum: ["text", "picture"] },
          language: { type: "string" },
          representationtype: { type: "string", enum: ["partial"] },
          descriptions: { type: "array", items: ninjsText },
          renditions: { type: "array", items: ninjsRendition },
        },
        required: ["name", "uri"],
      },
    },
    altids: {
      type: "array",
      description: "`babelwire:article` (the article id) and `babelwire:original-url`",
      items: { type: "object", properties: { role: { type: "string" }, value: { type: "string" } } },
    },
  },
  required: ["uri", "version", "versioncreated", "pubstatus", "language", "headlines", "altids"],
} as const;
