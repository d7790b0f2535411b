// POST /slack/events: everything between the socket and Bolt. In order, and nothing parsed until the
// signature has been checked:
//
//   1. the signature and timestamp headers (verify-slack-request.ts): missing, malformed, stale or
//      future → 401 at once, without reading the body (an unsigned `ssl_check` of a few bytes is the
//      one exception, answered 200 as Slack expects);
//   2. the body, read up to Bolt's 4 MB (413 beyond, or at once when Content-Length says so), with
//      the HMAC fed as it streams in, then compared in constant time → 401 when it does not match;
//   3. the body, parsed exactly as Bolt will parse it;
//   4. the replay cache (slack-replay-cache-repository.ts): a signature already accepted → 401. A
//      request that is acknowledged before its work (`inbox.holds`: slash commands and buttons that
//      write, from the installation's own workspace) goes into the durable inbox in the same
//      commit (slack-request-intake.ts), so the acknowledgement path costs one SQLite commit;
//   5. the body's shape: a form field sent twice, a `payload` or JSON body that is not an object, or
//      a body that does not parse → 400 with the reason;
//   6. Bolt's HTTPReceiver, told not to verify again (it would re-read and re-parse the body), with
//      the buffered body attached as Bolt expects (BufferedIncomingMessage.rawBody) and the inbox
//      row's id for Bolt's context (slackInboxProperties).
//
// Bolt's receiver is reachable only through this handler (createSlackApp keeps it private), so no
// request gets to Bolt unverified.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { RouteHandler } from '../../http/http-server.js';
import { readBody } from '../../http/read-body.js';
import { componentLogger, type Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import { acceptSlackRequest } from '../../store/slack-request-intake.js';
import { storageFailure } from '../../store/storage-failures.js';
import { changesNothing } from '../../commands/router.js';
import { failureText } from '../failure-text.js';
import type { InboxContext } from './durable-inbox.js';
import { checkSlackHeaders, MAX_REQUEST_SKEW_SECONDS, startSignatureCheck } from './verify-slack-request.js';

/** Bolt's own limit on a request body (HTTPReceiver's default `bodyLimit`, 4 MB). */
export const MAX_SLACK_BODY_BYTES = 4 * 1024 * 1024;

/** Slack's unsigned SSL check is `ssl_check=1&token=…`: a few dozen bytes. */
const MAX_SSL_CHECK_BYTES = 512;

const FORM = 'application/x-www-form-urlencoded';

export interface SlackEventsRouteDeps {
  signingSecret: string;
  db: Db;
  logger: Logger;
  /** Bolt's request listener (HTTPReceiver with its own verification off). Gets verified requests only. */
  dispatch: (req: IncomingMessage, res: ServerResponse) => void;
  /** Wall-clock milliseconds: Slack's timestamps are real time, whatever clock the app runs on. */
  nowMs?: () => number;
  /** The durable inbox: which requests it must hold before they are acknowledged, and the app's clock. */
  inbox?: {
    /** True for a (verified, parsed) body to store before the acknowledgement. */
    holds(body: Record<string, unknown>): boolean;
    /** Now, as a stored instant: when the request arrived. */
    receivedAt(): string;
    /** How long this instance has to do the request before another instance's sweep may replay it (seconds). */
    leaseSeconds?: number;
  };
}

const INBOX_PROPERTIES = Symbol('slackInboxProperties');

/**
 * The inbox row the route stored for this request, for Bolt's context (HTTPReceiver's
 * customPropertiesExtractor); empty when it stored none.
 */
export function slackInboxProperties(req: IncomingMessage): InboxContext {
  return (req as IncomingMessage & { [INBOX_PROPERTIES]?: InboxContext })[INBOX_PROPERTIES] ?? {};
}

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

export type SlackBody = { body: Record<string, unknown> } | { problem: string };

/**
 * A verified body as Bolt's parseHTTPRequestBody will parse it — a form when the content type is
 * exactly the form type (its `payload` field, when present, as JSON), JSON otherwise — or why Bolt
 * could not use it. A field sent twice would reach listeners as an array, so it is refused.
 */
export function readSlackBody(raw: Buffer, contentType: string | undefined): SlackBody {
  const text = raw.toString('utf8');
  if (contentType === FORM) {
    const form = parseQueryString(text);
    for (const key in form) {
      if (Array.isArray(form[key])) return { problem: `The form field "${key}" was sent more than once; each field may appear only once.` };
    }
    const payload = form.payload;
    if (typeof payload !== 'string') return { body: form };
    try {
      const parsed: unknown = JSON.parse(payload);
      return isPlainObject(parsed) ? { body: parsed as Record<string, unknown> } : { problem: 'The payload field must be a JSON object.' };
    } catch {
      return { problem: 'The payload field is not valid JSON.' };
    }
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? { body: parsed as Record<string, unknown> } : { problem: 'The body must be a JSON object.' };
  } catch {
    return { problem: `The body must be a JSON object or a form (${FORM}).` };
  }
}

/** Why Bolt could not use this (verified) body, or undefined when it can (see readSlackBody). */
export function checkSlackBody(raw: Buffer, contentType: string | undefined): string | undefined {
  const read = readSlackBody(raw, contentType);
  return 'problem' in read ? read.problem : undefined;
}

function answer(res: ServerResponse, status: number, message?: string, headers: Record<string, string> = {}): void {
  if (message === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(message)) }).end(message);
}

/** Answers Slack's unsigned SSL check (`ssl_check=1`) with 200; false, having read nothing big, for anything else. */
async function answeredSslCheck(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.headers['content-type'] !== FORM || Number(req.headers['content-length'] ?? Number.NaN) > MAX_SSL_CHECK_BYTES) return false;
  const raw = await readBody(req, MAX_SSL_CHECK_BYTES);
  if (raw === 'too-large' || new URLSearchParams(raw.toString('utf8')).get('ssl_check') !== '1') return false;
  answer(res, 200);
  return true;
}

/**
 * When the database cannot take the request (full disk, read-only, locked), a slash command is
 * answered with an ephemeral message Slack shows at once, saying it was NOT saved (or, for a question,
 * that it cannot be answered now); anything else
 * gets 503. Returns false for other errors.
 */
function answerStorageFailure(res: ServerResponse, error: unknown, body: unknown): boolean {
  if (!storageFailure(error)) return false;
  const isCommand = typeof body === 'object' && body !== null && typeof (body as { command?: unknown }).command === 'string';
  if (!isCommand) {
    answer(res, 503);
    return true;
  }
  const typed = (body as { text?: unknown }).text;
  const asked = changesNothing(`/send ${typeof typed === 'string' ? typed : ''}`);
  const text = JSON.stringify({ response_type: 'ephemeral', text: failureText(error, '', asked) });
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}

export function createSlackEventsRoute(deps: SlackEventsRouteDeps): RouteHandler {
  const nowMs = deps.nowMs ?? Date.now;
  const log = componentLogger(deps.logger, 'slack-http');
  return async (req, res) => {
    const nowSeconds = Math.floor(nowMs() / 1000);
    const head = checkSlackHeaders(req.headers, nowSeconds);
    if (!head.ok) {
      if (head.reason === 'missing-headers' && (await answeredSslCheck(req, res))) return;
      // Not read: the rest of the body is discarded as it arrives (the server's request timeout
      // bounds how long that may take).
      req.resume();
      log.debug({ reason: head.reason }, 'refused a Slack request before reading it');
      answer(res, 401);
      return;
    }
    const signature = startSignatureCheck(deps.signingSecret, head.timestamp);
    const raw = await readBody(req, MAX_SLACK_BODY_BYTES, (chunk) => signature.update(chunk));
    if (raw === 'too-large') {
      answer(res, 413, undefined, { connection: 'close' });
      return;
    }
    if (!signature.matches(head.signature)) {
      log.warn({ reason: 'bad-signature', bytes: raw.length }, 'refused a Slack request whose signature does not match');
      answer(res, 401);
      return;
    }
    const read = readSlackBody(raw, req.headers['content-type']);
    const inbox = 'body' in read && deps.inbox?.holds(read.body) ? { receivedAt: deps.inbox.receivedAt(), body: JSON.stringify(read.body), ...(deps.inbox.leaseSeconds ? { leaseSeconds: deps.inbox.leaseSeconds } : {}) } : undefined;
    let intake: Awaited<ReturnType<typeof acceptSlackRequest>>;
    try {
      intake = await acceptSlackRequest(deps.db, { signature: head.signature, expiresAt: head.timestamp + MAX_REQUEST_SKEW_SECONDS, nowSeconds, ...(inbox ? { inbox } : {}) });
    } catch (error) {
      if (!answerStorageFailure(res, error, 'body' in read ? read.body : undefined)) throw error;
      log.error({ err: error }, 'a Slack request could not be stored; the person was told it was not saved');
      return;
    }
    if (intake.replayed) {
      log.warn({ reason: 'replayed', timestamp: head.timestamp }, 'refused a Slack request already accepted once (a replay)');
      answer(res, 401);
      return;
    }
    if ('problem' in read) {
      log.warn({ reason: 'unreadable-body', problem: read.problem }, 'refused a signed Slack request Bolt could not use');
      answer(res, 400, read.problem);
      return;
    }
    // Bolt reads a request whose `rawBody` is already a Buffer from there (BufferedIncomingMessage).
    const properties: InboxContext = inbox && intake.inboxId !== undefined ? { inboxId: intake.inboxId, inboxReceivedAt: inbox.receivedAt } : {};
    Object.assign(req, { rawBody: raw, [INBOX_PROPERTIES]: properties });
    deps.dispatch(req, res);
  };
}
