import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The PostgreSQL server the suite makes its databases on; `.ci/run` exports TEST_DATABASE_URL. */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface FreshDatabase {
  name: string;
  /** The database's URL on the real server. */
  url: string;
  /** Rows of one query as JSON objects (asked through psql, so the suite needs no driver). */
  rows<T>(query: string): Promise<T[]>;
  drop(): Promise<void>;
}

async function psql(url: string, command: string): Promise<string> {
  const { stdout } = await run("psql", [url, "-AtXq", "-v", "ON_ERROR_STOP=1", "-c", command], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.trim();
}

/** The database URL with another host and port, such as a proxy in front of the server. */
export function throughPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(port);
  return parsed.toString();
}

/** A new, empty database for one scenario; Babelwire migrates it when it starts. */
export async function createDatabase(): Promise<FreshDatabase> {
  const name = `bw_faults_${randomBytes(6).toString("hex")}`;
  await psql(SERVER_URL, `create database ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async rows<T>(query: string) {
      const json = await psql(url.toString(), `select coalesce(json_agg(q), '[]') from (${query}) q`);
      return JSON.parse(json) as T[];
    },
    async drop() {
      await psql(SERVER_URL, `drop database if exists ${name} with (force)`);
    },
  };
}
