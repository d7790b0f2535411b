// POST /api/messages on the process's one HTTP server (src/http/http-server.ts), handed to
// botbuilder's CloudAdapter.
//
// CloudAdapter.process wants Express/Restify-shaped objects (botbuilder's `Request`: a parsed
// `body`, `headers`, `method`; `Response`: status/header/send/end), so this reads the raw body,
// parses it, and adapts node:http's ServerResponse.
//
// Before the body is read: with an app id set, a request without a bearer JWT is a 401 at once.
// Before it is parsed: at most 1 MB, nested at most 64 levels (JSON.parse of 1 MB of `[[[…` takes
// seconds). Duplicate JSON keys are left to JSON.parse (the last one wins): the body is only acted on
// once the token checks out, and unlike a form field a key cannot become an array.
//
// The token is checked here first, with the same BotFrameworkAuthentication the adapter uses, and
// any failure is a 401 with nothing run: botbuilder itself answers 401 only for its own
// AuthenticationError, and turns other failures while checking a token (a forged JWT whose
// signature does not verify, the OpenID metadata being unreachable) into a 500. The adapter checks
// the token again in process(); that costs one signature check against cached keys.
import type { ServerResponse } from 'node:http';
import type { Activity, CloudAdapter, Response as BotResponse, TurnContext } from 'botbuilder';
import type { RouteHandler } from '../../http/http-server.js';
import type { Logger } from '../../logger.js';
import { jsonDepthExceeds } from '../../http/json-depth.js';
import { readBody } from '../../http/read-body.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

/** Teams activities are a few kilobytes; anything far larger is not from Teams. */
export const MAX_ACTIVITY_BYTES = 1024 * 1024;

/**
 * Activities (and the Adaptive Card data they carry) nest a dozen levels at most; a body nested far
 * deeper is an attack on JSON.parse, refused before parsing.
 */
export const MAX_ACTIVITY_DEPTH = 64;

/** `Bearer` and a JWT's three base64url parts (the signature may be empty; botbuilder refuses that). */
const BEARER_JWT = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

function answer(res: ServerResponse, status: number, body?: string): void {
  if (res.writableEnded) return;
  res.writeHead(status, body ? { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) } : {});
  res.end(body);
}

/** node:http's ServerResponse in the shape botbuilder's `Response` describes. */
export function toBotResponse(res: ServerResponse): BotResponse {
  let status = 200;
  let body: unknown;
  const headers: Record<string, string> = {};
  const shim: BotResponse = {
    socket: res.socket,
    status(code: unknown) {
      if (typeof code === 'number') status = code;
      return shim;
    },
    header(name: unknown, value: unknown) {
      if (typeof name === 'string') headers[name.toLowerCase()] = String(value);
      return shim;
    },
    send(value: unknown) {
      body = value;
      return shim;
    },
    end() {
      if (res.writableEnded) return shim;
      let payload = '';
      if (typeof body === 'string') {
        payload = body;
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else if (Buffer.isBuffer(body)) {
        payload = body.toString('utf8');
      } else if (body !== undefined && body !== null) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
      res.end(payload);
      return shim;
    },
  };
  return shim;
}

export interface MessagesHandlerDeps {
  adapter: CloudAdapter;
  /**
   * True when activities must carry a token (an app id is set): a request whose Authorization header
   * is not a bearer JWT is refused before its body is read.
   */
  requireToken: boolean;
  /** When set (MicrosoftAppTenantId), activities from any other Microsoft 365 tenant are refused (403). */
  allowedTenantId?: string;
  /** Checks the Authorization header for an activity; throws when it does not authenticate. */
  authenticate(activity: Activity, authHeader: string): Promise<unknown>;
  run(context: TurnContext): Promise<void>;
  logger: Logger;
}

/** The Microsoft 365 tenant an activity comes from (Teams puts it in channelData and the conversation). */
export function tenantOf(body: unknown): string | undefined {
  const a = body as { channelData?: { tenant?: { id?: unknown } }; conversation?: { tenantId?: unknown } };
  const id = a.channelData?.tenant?.id ?? a.conversation?.tenantId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * True when channelData.tenant.id and conversation.tenantId are both given and differ. Teams sets
 * both to the same tenant; an activity that names two cannot be trusted to say which it is from
 * (the tenant check below reads one, botbuilder and people matching may read the other).
 */
export function tenantsDisagree(body: unknown): boolean {
  const a = body as { channelData?: { tenant?: { id?: unknown } }; conversation?: { tenantId?: unknown } };
  const fromChannelData = a.channelData?.tenant?.id;
  const fromConversation = a.conversation?.tenantId;
  const given = (v: unknown): v is string => typeof v === 'string' && v !== '';
  if ((fromChannelData !== undefined && !given(fromChannelData)) || (fromConversation !== undefined && !given(fromConversation))) return true;
  return given(fromChannelData) && given(fromConversation) && fromChannelData.toLowerCase() !== fromConversation.toLowerCase();
}

function isAnswerable(activity: Activity): boolean {
  if (activity.type !== 'message' && activity.type !== 'invoke') return true;
  const a = activity as unknown as { from?: { id?: unknown }; conversation?: { id?: unknown }; serviceUrl?: unknown };
  return typeof a.from?.id === 'string' && typeof a.conversation?.id === 'string' && typeof a.serviceUrl === 'string' && a.serviceUrl !== '';
}

export function createMessagesHandler(deps: MessagesHandlerDeps): RouteHandler {
  const log = deps.logger;
  return async (req, res) => {
    const header = req.headers.authorization;
    const authHeader = (Array.isArray(header) ? header[0] : header) ?? '';
    if (deps.requireToken && !BEARER_JWT.test(authHeader)) {
      // Not read: discarded as it arrives (the server's request timeout bounds that).
      req.resume();
      log.warn({ reason: 'no bearer token', hasToken: authHeader !== '' }, 'refused a Teams request that did not authenticate');
      answer(res, 401);
      return;
    }
    const raw = await readBody(req, MAX_ACTIVITY_BYTES);
    if (raw === 'too-large') {
      res.setHeader('connection', 'close');
      answer(res, 413, 'Activity too large.');
      return;
    }
    const text = raw.toString('utf8');
    if (jsonDepthExceeds(text, MAX_ACTIVITY_DEPTH)) {
      answer(res, 400, `The activity nests more than ${MAX_ACTIVITY_DEPTH} levels deep.`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      answer(res, 400, 'The body must be a Bot Framework activity (JSON).');
      return;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body) || typeof (body as { type?: unknown }).type !== 'string') {
      answer(res, 400, 'The body must be a Bot Framework activity (JSON).');
      return;
    }
    // A message or invoke that names no sender, conversation or service URL could not be answered:
    // refuse it before anything runs, so no update is stored for a reply that can never arrive.
    if (!isAnswerable(body as Activity)) {
      answer(res, 400, 'The activity needs from.id, conversation.id and serviceUrl.');
      return;
    }
    try {
      await deps.authenticate(body as Activity, authHeader);
    } catch (error) {
      log.warn({ reason: (error as Error).message, hasToken: authHeader !== '', activityType: (body as Activity).type }, 'refused a Teams request that did not authenticate');
      answer(res, 401);
      return;
    }
    // People are matched by email the first time; another organisation controls its own users'
    // email addresses, so only the partnership's tenant may be matched at all (when it is known).
    if (tenantsDisagree(body)) {
      log.warn({ activityType: (body as Activity).type }, 'refused a Teams activity naming two different tenants');
      answer(res, 403, 'The activity names two different tenants (channelData.tenant.id and conversation.tenantId).');
      return;
    }
    const tenant = tenantOf(body);
    if (deps.allowedTenantId && tenant !== deps.allowedTenantId) {
      log.warn({ tenantId: tenant ?? null, activityType: (body as Activity).type }, 'refused a Teams activity from another tenant');
      answer(res, 403, 'This bot serves one organisation only.');
      return;
    }
    await deps.adapter.process(
      { body: body as Record<string, unknown>, headers: req.headers, method: req.method ?? 'POST' },
      toBotResponse(res),
      (context) => deps.run(context),
    );
  };
}
