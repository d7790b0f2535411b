// A round-robin loopback HTTP proxy: the load balancer in front of two (or more) sendbot instances
// in the two-instances benchmark (bench/suite/two-instances-part.ts). Each request goes to the next
// target in turn, whatever the one before is still doing, as a plain round-robin balancer does.
//
// The request is passed through byte for byte: method, path, body and every header (Slack's
// signature and timestamp included; the signature covers the body, so a proxy that re-encoded it
// would break every request). Only the connection-level headers are the proxy's own, as for any
// HTTP/1.1 hop: it keeps its own keep-alive connections to each target. The response comes back with
// the target's status, headers and body. A target that cannot be reached gives 502.
import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Requests sent to each target so far, in the order the targets were given. */
  readonly counts: readonly number[];
  /** Requests that failed to reach their target (answered 502). */
  readonly upstreamErrors: number;
  close(): Promise<void>;
}

/** Headers that belong to one connection (RFC 9110 §7.6.1), not to the request: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/**
 * Starts the proxy on 127.0.0.1 (an ephemeral port) in front of `targets` (http://127.0.0.1:<port>).
 * `maxSocketsPerTarget` caps the connections to each target: sendbot caps connections per client
 * address, and every request through the proxy comes from its one address.
 */
export async function startRoundRobinProxy(targets: readonly string[], { maxSocketsPerTarget = 32 } = {}): Promise<RoundRobinProxy> {
  if (targets.length === 0) throw new Error('startRoundRobinProxy needs at least one target, e.g. ["http://127.0.0.1:3001"]');
  const upstreams = targets.map((t) => new URL(t));
  const agent = new Agent({ keepAlive: true, maxSockets: maxSocketsPerTarget, scheduling: 'fifo', timeout: 4000 });
  const counts = targets.map(() => 0);
  let next = 0;
  let upstreamErrors = 0;

  const server: Server = createServer((req, res) => {
    const index = next;
    next = (next + 1) % upstreams.length;
    counts[index] = (counts[index] ?? 0) + 1;
    const target = upstreams[index] as URL;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      upstreamErrors += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`round-robin proxy: ${target.host} failed: ${error.message}`);
    });
    // The client went away: nothing more to forward.
    req.on('aborted', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get counts() {
      return [...counts];
    },
    get upstreamErrors() {
      return upstreamErrors;
    },
    close() {
      agent.destroy();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
