// A loopback proxy in front of the fake Slack Web API that forwards each request at once (so the
// fake records the call and "Slack" has accepted it) but holds the response back for a while. A
// process killed during that pause has had its message posted without learning so: exactly the
// in-flight case of a crash during delivery.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  /** `http://127.0.0.1:<port>/api/`: the WebClient's slackApiUrl. */
  readonly apiUrl: string;
  /** Requests received and not yet answered (forwarded, or held back). */
  readonly held: number;
  /** Responses never delivered because the client went away (the process was killed). */
  readonly abandoned: number;
  setDelay(delay: (method: string) => number): void;
  close(): Promise<void>;
}

export async function startSlowProxy(targetUrl: string, initialDelay: (method: string) => number = () => 0): Promise<SlowProxy> {
  const target = new URL(targetUrl);
  let delayFor = initialDelay;
  let held = 0;
  let abandoned = 0;
  const server: Server = createServer((req, res) => {
    const method = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, ''));
    const chunks: Buffer[] = [];
    held += 1;
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const wait = delayFor(method);
            setTimeout(() => {
              held -= 1;
              if (res.destroyed || req.socket.destroyed) {
                abandoned += 1;
                return;
              }
              res.writeHead(up.statusCode ?? 502, up.headers);
              res.end(Buffer.concat(body));
            }, wait);
          });
        },
      );
      upstream.on('error', (e) => {
        held -= 1;
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    get held() {
      return held;
    },
    get abandoned() {
      return abandoned;
    },
    setDelay(delay) {
      delayFor = delay;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
