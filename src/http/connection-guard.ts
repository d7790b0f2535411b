// Keeps connections that send nothing from taking the HTTP server offline.
//
// Node's own limits (headersTimeout, maxConnections) are not enough on their own: an idle socket is
// only noticed after the headers timeout, and `maxConnections` refuses *new* connections once it is
// reached — so a few hundred silent sockets, reopened as they close, kept /healthz and Slack's
// acknowledgements out entirely. Here:
//   - a connection must send something within `firstByteMs` (then its headers within the server's
//     headersTimeout), or it is closed;
//   - one client address may hold at most `perClient` connections at once (a reverse proxy named in
//     TRUSTED_PROXIES is exempt: it speaks for many clients, and caps them itself). At the cap, that
//     address's oldest connection that has not yet sent a request is closed to make room; only when
//     all of them are mid-request is the newcomer refused. Refusing the newcomer instead let silent
//     sockets from one address (a NAT, or 127.0.0.1 itself) keep that address's /healthz probes out;
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
  /** Silent connections closed to make room under the total cap. */
  evicted: number;
  /** Silent connections closed to make room under one address's cap. */
  evictedPerClient: number;
}

/** Applies the limits to `server`'s connections; returns live counts (for logs and tests). */
export function guardConnections(server: Server, limits: ConnectionLimits, log: Logger): () => ConnectionCounts {
  const trusted = new Set(limits.trustedProxies.map(normaliseAddress));
  const perAddress = new Map<string, number>();
  /** Connections that have not yet sent a complete request, oldest first (a Set keeps insertion order). */
  const waiting = new Set<Socket>();
  /** The same, per client address (oldest first), to evict within one address at its cap. */
  const waitingByAddress = new Map<string, Set<Socket>>();
  const release = new WeakMap<Socket, () => void>();
  let open = 0;
  let refusedPerClient = 0;
  let evicted = 0;
  let evictedPerClient = 0;
  let lastWarning = Number.NEGATIVE_INFINITY;

  // One line a minute at most: a flood must not become a flood of log lines.
  const warn = (message: string): void => {
    const now = performance.now();
    if (now - lastWarning < 60_000) return;
    lastWarning = now;
    log.warn({ open, waiting: waiting.size, refusedPerClient, evicted, evictedPerClient, limits: { total: limits.total, perClient: limits.perClient } }, message);
  };

  const forgetWaiting = (address: string, socket: Socket): void => {
    const set = waitingByAddress.get(address);
    if (!set) return;
    set.delete(socket);
    if (set.size === 0) waitingByAddress.delete(address);
  };
  const addressOf = new WeakMap<Socket, string>();

  server.on('connection', (socket: Socket) => {
    const address = normaliseAddress(socket.remoteAddress ?? '');
    addressOf.set(socket, address);
    if (!trusted.has(address) && (perAddress.get(address) ?? 0) >= limits.perClient) {
      const oldestOfAddress = waitingByAddress.get(address)?.values().next().value;
      if (!oldestOfAddress) {
        refusedPerClient += 1;
        warn('refusing connections: one client address holds too many, all busy with requests');
        socket.destroy();
        return;
      }
      evictedPerClient += 1;
      warn('closing connections from one client address that have sent no request, to make room');
      release.get(oldestOfAddress)?.();
      oldestOfAddress.destroy();
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
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    waiting.add(socket);
    let waitingHere = waitingByAddress.get(address);
    if (!waitingHere) {
      waitingHere = new Set();
      waitingByAddress.set(address, waitingHere);
    }
    waitingHere.add(socket);
    let released = false;
    const releaseThis = (): void => {
      if (released) return;
      released = true;
      open -= 1;
      waiting.delete(socket);
      forgetWaiting(address, socket);
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
    if (waiting.delete(socket)) {
      socket.setTimeout(0);
      forgetWaiting(addressOf.get(socket) ?? '', socket);
    }
  });

  return () => ({ open, waiting: waiting.size, refusedPerClient, evicted, evictedPerClient });
}
