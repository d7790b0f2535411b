// Preloaded into child processes the reliability suite starts (`node --import tsx --import
// ./tests/reliability/support/loopback-only.ts src/main.ts`): a server that would listen on every
// interface (no host, or 0.0.0.0 / ::, as src/main.ts's HOST defaults to in HTTP mode) listens on
// 127.0.0.1 instead, so the suite never opens a port beyond loopback (startSlackService also sets
// HOST=127.0.0.1). Nothing else about the process changes.
import net from 'node:net';

const LOOPBACK = '127.0.0.1';
const originalListen = net.Server.prototype.listen;

/** Hosts that mean "every interface". */
const EVERYWHERE = new Set(['0.0.0.0', '::', '']);

function pinned(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    // listen(port), listen(port, cb), listen(port, backlog?, cb?) without a host
    if (second === undefined || typeof second === 'function' || typeof second === 'number') return [first, LOOPBACK, ...args.slice(1)];
    // listen(port, '0.0.0.0' | '::', …): src/main.ts passes HOST, which defaults to every interface in HTTP mode
    if (typeof second === 'string' && EVERYWHERE.has(second)) return [first, LOOPBACK, ...args.slice(2)];
    return args;
  }
  if (typeof first === 'object' && first !== null && !('path' in first) && !('fd' in first) && !('handle' in first) && !('_handle' in first)) {
    const options = first as { host?: string };
    if (options.host === undefined || EVERYWHERE.has(options.host)) return [{ ...options, host: LOOPBACK }, ...args.slice(1)];
  }
  return args;
}

net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
  return (originalListen as (...a: unknown[]) => net.Server).apply(this, pinned(args));
} as typeof net.Server.prototype.listen;
