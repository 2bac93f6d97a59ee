// A WebSub hub on loopback that records every publish ping it is sent and answers as the test says
// (taking it, failing on purpose, refusing it).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Ping {
  contentType: string | undefined;
  fields: Record<string, string[]>;
  /** Items the topic had when the hub got the ping (the hub fetches it then). */
  itemsAtPing?: number;
}

export async function startHub(answer: (n: number, req: IncomingMessage, res: ServerResponse, ping: Ping) => void) {
  const pings: Ping[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const fields: Record<string, string[]> = {};
      for (const [k, v] of new URLSearchParams(body)) (fields[k] ??= []).push(v);
      const ping: Ping = { contentType: req.headers['content-type'], fields };
      pings.push(ping);
      answer(++n, req, res, ping);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`;
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => {
        r();
      });
    });
  return { url, pings, close };
}
