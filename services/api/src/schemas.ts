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
