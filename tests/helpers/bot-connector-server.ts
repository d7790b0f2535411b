// A local stand-in for the Bot Framework connector service: the `serviceUrl` that Teams puts on
// every activity, where botbuilder's ConnectorClient sends replies and proactive messages.
// Loopback only; records every request; can be scripted to fail (429 with Retry-After, 403, 5xx).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorRoute =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'token'
  | 'unknown';

export interface RecordedRequest {
  /** Position in `requests`, from 0. */
  seq: number;
  method: string;
  /** Path with query, as received (conversation ids still percent-encoded). */
  path: string;
  route: ConnectorRoute;
  /** Decoded from the path, when the route has one. */
  conversationId?: string;
  activityId?: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** The status this server answered with. */
  status: number;
}

export interface ScriptedFailure {
  status: number;
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
  /** Response body; defaults to a Bot Framework style `{ error: { code, message } }`. */
  body?: unknown;
}

/**
 * Which requests a script applies to: a route name ('sendToConversation'), a substring of the
 * path (raw or decoded), a RegExp tested against "METHOD /path" (raw and decoded), or a predicate.
 */
export type RequestMatch = ConnectorRoute | string | RegExp | ((request: Omit<RecordedRequest, 'status'>) => boolean);

export interface ConversationMember {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  [key: string]: unknown;
}

export interface BotConnectorServer {
  /** Base URL to use as the activities' `serviceUrl`, with a trailing slash like Teams sends. */
  url: string;
  requests: RecordedRequest[];
  /** Bodies of activities sent or replied to conversations that were answered with success. */
  sentActivities(): Record<string, unknown>[];
  /** Answers the next matching requests with these failures, in order, then succeeds again. */
  failNext(match: RequestMatch, failures: ScriptedFailure[]): void;
  /** Members returned by the members routes (TeamsInfo.getMember / getMembers). */
  setMembers(members: ConversationMember[]): void;
  /** Resolves once `count` requests matching `match` have been recorded. */
  waitForRequests(match: RequestMatch, count?: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Forgets recorded requests and unused scripts. */
  reset(): void;
  close(): Promise<void>;
}

interface Script {
  match: RequestMatch;
  failures: ScriptedFailure[];
}

const ERROR_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Works out the connector operation, ignoring any prefix before /v3/ (e.g. Teams' /uk/). */
function classify(method: string, path: string): Pick<RecordedRequest, 'route' | 'conversationId' | 'activityId'> {
  const pathname = path.split('?')[0] ?? '';
  if (method === 'POST' && /\/oauth2\/v2\.0\/token$|\/oauth2\/token$/.test(pathname)) return { route: 'token' };
  const v3 = pathname.indexOf('/v3/');
  if (v3 < 0) return { route: 'unknown' };
  const parts = pathname
    .slice(v3 + 4)
    .split('/')
    .filter((p) => p !== '');
  if (parts[0] !== 'conversations') return { route: 'unknown' };
  if (parts.length === 1) return { route: method === 'POST' ? 'createConversation' : 'unknown' };
  const conversationId = decode(parts[1] ?? '');
  const [, , kind, second] = parts;
  if (kind === 'activities' && parts.length === 3 && method === 'POST') return { route: 'sendToConversation', conversationId };
  if (kind === 'activities' && parts.length === 4 && second !== undefined) {
    const activityId = decode(second);
    if (method === 'POST') return { route: 'replyToActivity', conversationId, activityId };
    if (method === 'PUT') return { route: 'updateActivity', conversationId, activityId };
    if (method === 'DELETE') return { route: 'deleteActivity', conversationId, activityId };
  }
  if (kind === 'members' && method === 'GET') {
    if (parts.length === 3) return { route: 'getConversationMembers', conversationId };
    if (parts.length === 4) return { route: 'getConversationMember', conversationId };
  }
  return { route: 'unknown', conversationId };
}

function matches(match: RequestMatch, request: Omit<RecordedRequest, 'status'>): boolean {
  if (typeof match === 'function') return match(request);
  const decoded = decode(request.path);
  if (match instanceof RegExp) return match.test(`${request.method} ${request.path}`) || match.test(`${request.method} ${decoded}`);
  return request.route === match || request.path.includes(match) || decoded.includes(match);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    'content-length': String(Buffer.byteLength(payload)),
    ...headers,
  });
  res.end(payload);
}

export async function startBotConnectorServer(): Promise<BotConnectorServer> {
  const requests: RecordedRequest[] = [];
  let scripts: Script[] = [];
  let members: ConversationMember[] = [];
  let waiters: { check: () => boolean }[] = [];
  let nextActivity = 1;
  let nextConversation = 1;

  const answer = (request: Omit<RecordedRequest, 'status'>): { status: number; body: unknown; headers?: Record<string, string> } => {
    for (const script of scripts) {
      if (script.failures.length === 0 || !matches(script.match, request)) continue;
      const failure = script.failures.shift() as ScriptedFailure;
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {};
      const body = failure.body ?? {
        error: { code: ERROR_CODES[failure.status] ?? 'Error', message: `Scripted failure ${failure.status} for ${request.method} ${request.path}` },
      };
      return { status: failure.status, body, headers };
    }
    switch (request.route) {
      case 'createConversation': {
        const id = `conv-${nextConversation++}`;
        const activity = (request.body as { activity?: unknown } | undefined)?.activity;
        return { status: 201, body: { id, ...(activity ? { activityId: `activity-${nextActivity++}` } : {}) } };
      }
      case 'sendToConversation':
      case 'replyToActivity':
        return { status: 201, body: { id: `activity-${nextActivity++}` } };
      case 'updateActivity':
        return { status: 200, body: { id: request.activityId } };
      case 'deleteActivity':
        return { status: 200, body: undefined };
      case 'getConversationMembers':
        return { status: 200, body: members };
      case 'getConversationMember': {
        const memberId = decode(request.path.split('?')[0]?.split('/').pop() ?? '');
        const member = members.find((m) => m.id === memberId || m.aadObjectId === memberId);
        return member
          ? { status: 200, body: member }
          : { status: 404, body: { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found.' } } };
      }
      case 'token':
        return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'fake-connector-token' } };
      case 'unknown':
        return { status: 404, body: { error: { code: 'NotFound', message: `No such connector route: ${request.method} ${request.path}` } } };
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const body = await readBody(req);
      const partial = { seq: requests.length, method, path, headers: req.headers, body, ...classify(method, path) };
      const reply = answer(partial);
      requests.push({ ...partial, status: reply.status });
      for (const waiter of waiters) waiter.check();
      send(res, reply.status, reply.body, reply.headers);
    })().catch((error: unknown) => {
      send(res, 500, { error: { code: 'InternalServerError', message: String(error) } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    sentActivities: () =>
      requests
        .filter((r) => (r.route === 'sendToConversation' || r.route === 'replyToActivity') && r.status < 300)
        .map((r) => r.body as Record<string, unknown>),
    failNext(match, failures) {
      scripts.push({ match, failures: [...failures] });
    },
    setMembers(list) {
      members = [...list];
    },
    waitForRequests(match, count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const found = () => requests.filter((r) => matches(match, r));
        const waiter = {
          check: () => {
            const hits = found();
            if (hits.length < count) return false;
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== waiter);
            resolve(hits);
            return true;
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${count} request(s); got ${found().length}`));
        }, timeoutMs);
        waiters.push(waiter);
        waiter.check();
      });
    },
    reset() {
      requests.length = 0;
      scripts = [];
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        // Keep-alive connections from fetch/undici would otherwise hold close() open.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
