// The one HTTP server per process. Every platform that needs inbound HTTP mounts its routes here:
// Slack's /slack/events (Bolt's HTTPReceiver request listener), and later Teams' POST /api/messages
// (botbuilder's CloudAdapter). It also answers GET /healthz for load balancers and uptime checks.
//
// Why our own node:http server rather than Bolt's `app.start()` with `customRoutes`: Bolt's
// HTTPReceiver would own the listening socket, and Teams would then have to be a "custom route" of
// the Slack app — and there would be no server at all when only Teams (or Slack in Socket Mode) is
// configured. Owning the server keeps the two platforms independent. Slack's route verifies each
// request before Bolt parses it (src/platforms/slack/slack-events-route.ts).
//
// Slow and silent clients are cut off (HttpLimits: 2 s to the first byte, 5 s for headers, 10 s for
// the whole request, 5 s idle keep-alive; at most 4000 connections, 64 per client address, silent
// ones evicted first at either cap: src/http/connection-guard.ts), and `listen` takes the HOST setting.
// HTTP mode belongs behind a TLS reverse proxy (README, "Running behind a reverse proxy").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { componentLogger, type Logger } from '../logger.js';
import type { Db } from '../store/database.js';
import { probeDatabaseWrite, type WriteProbe } from '../store/write-probe.js';
import { type ConnectionCounts, guardConnections } from './connection-guard.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  /** Adds a handler for `method` (GET, POST…) on an exact `path` (no query string). Later calls replace earlier ones. */
  addRoute(method: string, path: string, handler: RouteHandler): void;
  /** Adds a handler for every path under `prefix` (e.g. `/board/`); exact routes win, then the longest prefix. */
  addPrefixRoute(method: string, prefix: string, handler: RouteHandler): void;
  /** Starts listening; rejects with PortInUseError when another process holds the port. */
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops accepting connections and closes idle ones; resolves when the server has closed. */
  close(): Promise<void>;
  readonly server: Server;
  /** Connections open now, waiting for a request, refused for their address, evicted. */
  connections(): ConnectionCounts;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`Port ${port} is already in use. Stop the other process using it, or set PORT to a free port.`);
    this.name = 'PortInUseError';
  }
}

/**
 * Limits that keep slow or greedy clients from holding the server. A client that takes longer than
 * `headersTimeoutMs` to send its headers, or `requestTimeoutMs` to send its whole request (headers
 * and body: Slack's 4 MB at 400 kB/s), gets 408 and is disconnected; an idle keep-alive connection is
 * closed after `keepAliveTimeoutMs`; connections beyond `maxConnections` are refused at once.
 */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** A new connection must send its first byte within this (then its headers within headersTimeoutMs). */
  firstByteMs: number;
  /** Connections one client address may hold at once (reverse proxies in trustedProxies are exempt). */
  maxConnectionsPerClient: number;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES). */
  trustedProxies: readonly string[];
  /** How often node checks those timeouts (its default, 30 s, would let a slow client stay 40 s). */
  checkIntervalMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  // File descriptors are plentiful (node raises its soft limit to the hard one); silent connections
  // are evicted first when this is reached.
  maxConnections: 4_000,
  firstByteMs: 2_000,
  maxConnectionsPerClient: 64,
  trustedProxies: [],
  checkIntervalMs: 1_000,
};

export interface HttpServerOptions {
  db: Db;
  logger: Logger;
  limits?: Partial<HttpLimits>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** How long one write probe's answer is reused: a flood of /healthz must not become a flood of commits. */
const HEALTH_PROBE_REUSE_MS = 1_000;

export function createHttpServer({ db, logger, limits: given }: HttpServerOptions): HttpServer {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...given };
  const routes = new Map<string, Map<string, RouteHandler>>();
  const prefixRoutes = new Map<string, Map<string, RouteHandler>>();
  const log = componentLogger(logger, 'http');

  const addRoute = (method: string, path: string, handler: RouteHandler): void => {
    const byMethod = routes.get(path) ?? new Map<string, RouteHandler>();
    byMethod.set(method.toUpperCase(), handler);
    routes.set(path, byMethod);
  };

  const addPrefixRoute = (method: string, prefix: string, handler: RouteHandler): void => {
    const byMethod = prefixRoutes.get(prefix) ?? new Map<string, RouteHandler>();
    byMethod.set(method.toUpperCase(), handler);
    prefixRoutes.set(prefix, byMethod);
  };

  /** Handlers for a path: its exact route, else the longest prefix route that contains it. */
  const routesFor = (path: string): Map<string, RouteHandler> | undefined => {
    const exact = routes.get(path);
    if (exact) return exact;
    let best: string | undefined;
    for (const prefix of prefixRoutes.keys()) if (path.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
    return best === undefined ? undefined : prefixRoutes.get(best);
  };

  // Healthy means the database can be written (a committed no-op write), not only read.
  let lastProbe: { at: number; result: WriteProbe } | undefined;
  addRoute('GET', '/healthz', async (_req, res) => {
    const now = performance.now();
    if (!lastProbe || now - lastProbe.at >= HEALTH_PROBE_REUSE_MS) {
      const result = await probeDatabaseWrite(db);
      if (!result.ok && lastProbe?.result.ok !== false) log.error({ failure: result.failure, reason: result.reason }, 'the database cannot be written');
      lastProbe = { at: now, result };
    }
    const probe = lastProbe.result;
    sendJson(res, probe.ok ? 200 : 503, probe.ok ? { ok: true, db: 'ok' } : { ok: false, db: 'error', reason: probe.reason });
  });

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const byMethod = routesFor(path);
    const handler = byMethod?.get(method) ?? (method === 'HEAD' ? byMethod?.get('GET') : undefined);
    if (!handler) {
      req.resume();
      if (byMethod) {
        res.setHeader('allow', [...byMethod.keys()].join(', '));
        sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
      } else {
        sendJson(res, 404, { ok: false, error: 'not_found' });
      }
      return;
    }
    const fail = (error: unknown): void => {
      log.error({ err: error, method, path }, 'HTTP handler failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
      else res.end();
    };
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    handle,
  );
  // Not server.maxConnections: that refuses newcomers, where the guard evicts silent connections first.
  const connections = guardConnections(
    server,
    { firstByteMs: limits.firstByteMs, total: limits.maxConnections, perClient: limits.maxConnectionsPerClient, trustedProxies: limits.trustedProxies },
    log,
  );

  return {
    server,
    connections,
    addRoute,
    addPrefixRoute,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException): void => {
          server.off('listening', onListening);
          reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
        };
        const onListening = (): void => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          log.info({ port: address.port, host: address.address }, 'HTTP server listening');
          resolve({ port: address.port, url: `http://${shownHost === '[::]' || shownHost === '0.0.0.0' ? 'localhost' : shownHost}:${address.port}` });
        };
        server.once('error', onError);
        server.once('listening', onListening);
        if (host) server.listen(port, host);
        else server.listen(port);
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open for up to the keep-alive timeout.
        server.closeIdleConnections();
      });
    },
  };
}
