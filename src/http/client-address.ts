// Who a request comes from, for per-client limits. The socket's peer address, unless that peer is a
// reverse proxy named in TRUSTED_PROXIES: then the address the proxy appended to X-Forwarded-For.
// The header is never believed from anyone else (a client can write anything in it).
import type { IncomingMessage } from 'node:http';

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) as `127.0.0.1`; other addresses lower-cased. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice('::ffff:'.length) : trimmed;
}

/**
 * The client's address. Behind trusted proxies, X-Forwarded-For is read from the right (each proxy
 * appends the address it received from), skipping trusted proxies; the first other address is the
 * client. Without a trusted peer the header is ignored.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const peer = normaliseAddress(req.socket.remoteAddress ?? '');
  if (!trustedProxies.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map(normaliseAddress)
    .filter((h) => h !== '');
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] as string;
    if (!trustedProxies.has(hop)) return hop;
  }
  return peer;
}
