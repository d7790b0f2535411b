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
// Slow clients are cut off (HttpLimits: 10 s for headers and for the whole request, 5 s idle
// keep-alive, at most 512 connections), and `listen` takes the HOST setting (src/config.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { Db } from '../store/database.js';

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
  /** How often node checks those timeouts (its default, 30 s, would let a slow client stay 40 s). */
  checkIntervalMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 512,
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

/** Checks the database answers a trivial query. */
function databaseHealth(db: Db): 'ok' | 'error' {
  try {
    db.$client.prepare('select 1 as ok').get();
    return 'ok';
  } catch {
    return 'error';
  }
}

export function createHttpServer({ db, logger, limits: given }: HttpServerOptions): HttpServer {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...given };
  const routes = new Map<string, Map<string, RouteHandler>>();
  const prefixRoutes = new Map<string, Map<string, RouteHandler>>();
  const log = logger.child({ component: 'http' });

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

  addRoute('GET', '/healthz', (_req, res) => {
    const dbState = databaseHealth(db);
    sendJson(res, dbState === 'ok' ? 200 : 503, { ok: dbState === 'ok', db: dbState });
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
  server.maxConnections = limits.maxConnections;
  // Refused connections are worth knowing about, but not once per connection in a flood.
  let dropped = 0;
  let lastDropLog = Number.NEGATIVE_INFINITY;
  server.on('drop', () => {
    dropped += 1;
    const now = performance.now();
    if (now - lastDropLog < 60_000) return;
    lastDropLog = now;
    log.warn({ dropped, maxConnections: limits.maxConnections }, 'refusing connections: too many open at once');
  });

  return {
    server,
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
