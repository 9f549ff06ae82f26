/**
 * How a feed URL appears in error messages: host and path only. User info and the query are
 * left out because admins paste URLs with credentials or API keys in them, and messages end
 * up in logs, the source's health and the CLI.
 */
export function describeUrl(url: URL): string {
  if (url.protocol === "file:") return url.pathname;
  return `${url.host}${url.pathname}`;
}
