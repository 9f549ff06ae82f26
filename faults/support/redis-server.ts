import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { freePort } from "./free-port.ts";
import { until } from "./until.ts";

export interface RedisServer {
  port: number;
  url: string;
  /** SIGTERM (Redis writes its AOF and exits), then the same command again on the same port and dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Whether a Redis at `port` answers PING, asked over a bare socket. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

/**
 * A redis-server of the suite's own, on a free port with its AOF in `dir`, so a fault never
 * touches the Redis other tests share (6379).
 */
export async function startRedis(dir: string): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--appendonly", "yes", "--dir", dir, "--save", ""];

  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn("redis-server", args, { stdio: "ignore" });
      await until(`redis-server on port ${port}`, async () => ((await redisAnswers(port)) ? true : undefined), {
        timeoutMs: 10_000,
        everyMs: 50,
      });
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((done) => running.once("exit", done));
      running.kill("SIGTERM");
      const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async restart() {
      await server.stop();
      await server.start();
    },
  };
  await server.start();
  return server;
}
