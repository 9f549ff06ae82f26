import { connect, createServer, type Server, type Socket } from "node:net";
import { freePort } from "./free-port.ts";

export interface TcpProxy {
  port: number;
  /** Destroys every open connection and stops listening, so new ones are refused. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Connections refused or cut while the proxy was down would have reached the server otherwise. */
  close(): Promise<void>;
}

/** A TCP proxy in front of `target`, to take a server away from a client without touching either. */
export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(target);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        server = next;
        resolve();
      });
    });

  const cut = async () => {
    const listening = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (listening) await new Promise((done) => listening.close(done));
  };

  await listen();
  return { port, cut, restore: listen, close: cut };
}
