import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on a loopback address (`127.0.0.x` gives each its own host, as a poller counts hosts). */
export async function serve(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  host = "127.0.0.1",
): Promise<LocalServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const SUBJECTS = ["The city council", "The regional government", "The national library", "The harbour authority"];
const VERBS = ["opened", "announced", "approved", "presented"];
const OBJECTS = ["a new park", "a cultural programme", "a public transport plan", "a reading festival"];

/** `count` distinct English items, each with a few plain sentences Apertium translates cleanly. */
export function newsFeed(count: number, base: string): string {
  const items: string[] = [];
  const start = Date.UTC(2025, 0, 6, 8, 0, 0);
  for (let index = 0; index < count; index++) {
    const subject = SUBJECTS[index % SUBJECTS.length];
    const verb = VERBS[Math.floor(index / SUBJECTS.length) % VERBS.length];
    const object = OBJECTS[Math.floor(index / 16) % OBJECTS.length];
    const title = `Story ${index + 1}: ${subject} ${verb} ${object}`;
    const body = [
      `${subject} ${verb} ${object} in the city centre on Monday.`,
      "The project will help families, students and older people who live in the area.",
      "Local residents welcomed the news and said that the work was important for the future.",
      `Officials said that story number ${index + 1} would be followed by more announcements next week.`,
    ]
      .map((sentence) => `<p>${sentence}</p>`)
      .join("");
    items.push(`<item>
  <guid isPermaLink="false">faults-story-${index + 1}</guid>
  <title>${title}</title>
  <link>${base}/stories/${index + 1}</link>
  <pubDate>${new Date(start + index * 600_000).toUTCString()}</pubDate>
  <description><![CDATA[${body}]]></description>
</item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Faults wire</title><link>${base}/</link><description>Thirty stories</description><language>en</language>
${items.join("\n")}
</channel></rss>`;
}

/** A server answering `/feed.xml` with `newsFeed(count)`; every request is counted. */
export async function serveNewsFeed(count: number, host = "127.0.0.1") {
  let requests = 0;
  let base = "";
  const server = await serve((request, response) => {
    requests++;
    if (request.url === "/feed.xml") {
      response.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(newsFeed(count, base));
    } else response.writeHead(404).end();
  }, host);
  base = server.url;
  return { ...server, feedUrl: `${server.url}/feed.xml`, requests: () => requests };
}
