// Keeps connections that send nothing from taking the HTTP server offline.
//
// Node's own limits (headersTimeout, maxConnections) are not enough on their own: an idle socket is
// only noticed after the headers timeout, and `maxConnections` refuses *new* connections once it is
// reached — so a few hundred silent sockets, reopened as they close, kept /healthz and Slack's
// acknowledgements out entirely. Here:
//   - a connection must send something within `firstByteMs` (then its headers within the server's
//     headersTimeout), or it is closed;
//   - one client address may hold at most `perClient` connections at once (a reverse proxy named in
//     TRUSTED_PROXIES is exempt: it speaks for many clients, and caps them itself);
//   - when `total` connections are open, the oldest connection that has not yet sent a complete
//     request is closed to make room, so a flood of silent sockets from many addresses evicts itself
//     rather than the people (and Slack) who send a request at once.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logger.js';
import { normaliseAddress } from './client-address.js';

export interface ConnectionLimits {
  /** A new connection must send its first byte within this, or it is closed. */
  firstByteMs: number;
  /** Connections open at once, in all. */
  total: number;
  /** Connections open at once from one client address. */
  perClient: number;
  /** Addresses of reverse proxies in front of sendbot: not capped per address. */
  trustedProxies: readonly string[];
}

export interface ConnectionCounts {
  open: number;
  waiting: number;
  refusedPerClient: number;
  evicted: number;
}

/** Applies the limits to `server`'s connections; returns live counts (for logs and tests). */
export function guardConnections(server: Server, limits: ConnectionLimits, log: Logger): () => ConnectionCounts {
  const trusted = new Set(limits.trustedProxies.map(normaliseAddress));
  const perAddress = new Map<string, number>();
  /** Connections that have not yet sent a complete request, oldest first (a Set keeps insertion order). */
  const waiting = new Set<Socket>();
  const release = new WeakMap<Socket, () => void>();
  let open = 0;
  let refusedPerClient = 0;
  let evicted = 0;
  let lastWarning = Number.NEGATIVE_INFINITY;

  // One line a minute at most: a flood must not become a flood of log lines.
  const warn = (message: string): void => {
    const now = performance.now();
    if (now - lastWarning < 60_000) return;
    lastWarning = now;
    log.warn({ open, waiting: waiting.size, refusedPerClient, evicted, limits: { total: limits.total, perClient: limits.perClient } }, message);
  };

  server.on('connection', (socket: Socket) => {
    const address = normaliseAddress(socket.remoteAddress ?? '');
    const held = perAddress.get(address) ?? 0;
    if (!trusted.has(address) && held >= limits.perClient) {
      refusedPerClient += 1;
      warn('refusing connections: one client address holds too many');
      socket.destroy();
      return;
    }
    if (open >= limits.total) {
      const oldest = waiting.values().next().value;
      if (!oldest) {
        warn('refusing connections: too many open at once, all busy with requests');
        socket.destroy();
        return;
      }
      evicted += 1;
      warn('closing connections that have sent no request, to make room');
      // Counted out now, not at its 'close' event, so a burst evicts one socket per newcomer.
      release.get(oldest)?.();
      oldest.destroy();
    }
    open += 1;
    perAddress.set(address, held + 1);
    waiting.add(socket);
    let released = false;
    const releaseThis = (): void => {
      if (released) return;
      released = true;
      open -= 1;
      waiting.delete(socket);
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    };
    release.set(socket, releaseThis);
    // Node's HTTP server closes a socket whose timeout fires (no 'timeout' listener on the server),
    // and every chunk it parses restarts the timer; the first request clears it (below).
    socket.setTimeout(limits.firstByteMs);
    socket.once('close', releaseThis);
  });

  server.on('request', (req: IncomingMessage) => {
    const socket = req.socket;
    if (waiting.delete(socket)) socket.setTimeout(0);
  });

  return () => ({ open, waiting: waiting.size, refusedPerClient, evicted });
}
