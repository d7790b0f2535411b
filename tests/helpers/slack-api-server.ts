// A loopback stand-in for the Slack Web API. Point a real WebClient at it:
//
//   const slack = await startSlackApiServer({ users: [{ id: 'U1', email: 'sam@council.gov.uk' }] });
//   const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
//
// It records every call (method, parsed body, token), answers the methods sendbot uses with
// realistic responses, rejects messages that break Block Kit limits the way Slack does, and can be
// scripted per method to fail: `slack.failNext('chat.postMessage', [{ status: 429, retryAfter: 2 }])`.
// It also accepts `response_url` posts at `slack.responseUrl()`, recorded as method 'response_url'.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBlockKitLimits, checkViewLimits, MESSAGE_TEXT_LIMIT, totalBlockText } from './block-kit-limits.js';

export interface FakeSlackUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  tz?: string;
  deleted?: boolean;
  isBot?: boolean;
}

/** One scripted answer: an HTTP status, an optional Retry-After (seconds) and an optional body. */
export interface ScriptedResponse {
  status?: number;
  retryAfter?: number;
  /** JSON body (objects) or raw text (strings). Defaults depend on the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow Slack). */
  delayMs?: number;
}

export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or 'response_url' for posts to `responseUrl()`. */
  method: string;
  /** Parsed body: form fields, with JSON-encoded values (`blocks`, `view`…) decoded. */
  body: Record<string, unknown>;
  /** Bearer token from the Authorization header, or the `token` form field. */
  token: string | undefined;
  contentType: string;
  headers: IncomingHttpHeaders;
  /** For 'response_url' calls: the id in the URL. */
  responseUrlId?: string;
  response: { status: number; body: unknown };
}

export interface CallInfo {
  method: string;
  body: Record<string, unknown>;
  token: string | undefined;
}

/** Custom answer for a method, e.g. `() => ({ body: { ok: true, channel: { id: 'C1' } } })`. */
export type MethodHandler = (call: CallInfo) => ScriptedResponse;

export interface SlackApiServerOptions {
  users?: FakeSlackUser[];
  teamId?: string;
  /** Enterprise Grid: the organisation's id, returned by auth.test (and on users). */
  enterpriseId?: string;
  /** auth.test's is_enterprise_install: an org-wide install on Enterprise Grid. */
  isEnterpriseInstall?: boolean;
  botUserId?: string;
  botId?: string;
  /** When set, any other token gets `invalid_auth`. */
  token?: string;
  /** Reject chat messages and views that break Block Kit limits, as Slack does. Default true. */
  validateBlocks?: boolean;
}

export interface SlackApiServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `url + '/api/'`: the WebClient's `slackApiUrl`. */
  readonly apiUrl: string;
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  lastCall(method: string): RecordedCall | undefined;
  /** The next calls to `method` get these answers, in order; later calls are answered normally. */
  failNext(method: string, responses: ScriptedResponse[]): void;
  /** Replaces the built-in answer for `method` (until `reset`). */
  respond(method: string, handler: MethodHandler): void;
  addUser(user: FakeSlackUser): void;
  /** A response_url that posts back to this server. */
  responseUrl(id?: string): string;
  /** Resolves once at least `count` calls to `method` were recorded. */
  waitForCalls(method: string, count?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Forgets calls, scripts and custom handlers (users stay). */
  reset(): void;
  close(): Promise<void>;
}

/** Nested values WebClient JSON-encodes into form fields. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'user_auth_blocks', 'unfurls', 'options']);

function parseForm(raw: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = value;
    if (JSON_FIELDS.has(key) || (key !== 'text' && /^\s*[[{]/.test(value))) {
      try {
        body[key] = JSON.parse(value);
      } catch {
        // Not JSON after all (a text starting with "["): keep the string.
      }
    }
  }
  return body;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

class FakeSlackApi implements SlackApiServer {
  readonly calls: RecordedCall[] = [];
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly users = new Map<string, FakeSlackUser>();
  private tsCounter = 0;
  private viewCounter = 0;
  private responseCounter = 0;
  url = '';

  constructor(
    private readonly server: Server,
    private readonly options: SlackApiServerOptions,
  ) {
    for (const user of options.users ?? []) this.addUser(user);
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  lastCall(method: string): RecordedCall | undefined {
    return this.callsTo(method).at(-1);
  }

  failNext(method: string, responses: ScriptedResponse[]): void {
    this.scripts.set(method, [...(this.scripts.get(method) ?? []), ...responses]);
  }

  respond(method: string, handler: MethodHandler): void {
    this.handlers.set(method, handler);
  }

  addUser(user: FakeSlackUser): void {
    this.users.set(user.id, user);
  }

  responseUrl(id?: string): string {
    this.responseCounter += 1;
    return `${this.url}/response/${encodeURIComponent(id ?? `r${this.responseCounter}`)}`;
  }

  async waitForCalls(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.callsTo(method);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    const seen = this.calls.map((c) => c.method).join(', ') || 'nothing';
    throw new Error(`Timed out waiting for ${count} call(s) to ${method}; saw: ${seen}`);
  }

  reset(): void {
    this.calls.length = 0;
    this.scripts.clear();
    this.handlers.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => (err ? reject(err) : resolve()));
      // WebClient keeps connections alive; close them so the server stops at once.
      this.server.closeAllConnections();
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    let body: Record<string, unknown> = {};
    if (contentType.includes('application/json')) {
      try {
        const parsed: unknown = raw ? JSON.parse(raw) : {};
        body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
      } catch {
        body = { raw };
      }
    } else {
      body = parseForm(raw);
    }
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : str(body.token);

    let method: string;
    let responseUrlId: string | undefined;
    if (path.startsWith('/api/')) method = decodeURIComponent(path.slice('/api/'.length));
    else if (path.startsWith('/response/')) {
      method = 'response_url';
      responseUrlId = decodeURIComponent(path.slice('/response/'.length));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }

    const call: RecordedCall = {
      method,
      body,
      token,
      contentType,
      headers: req.headers,
      ...(responseUrlId !== undefined ? { responseUrlId } : {}),
      response: { status: 0, body: undefined },
    };
    this.calls.push(call);

    const answer = this.answer({ method, body, token });
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    const status = answer.status ?? 200;
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter);
    let payload = answer.body;
    if (payload === undefined) {
      if (status === 429) payload = { ok: false, error: 'ratelimited' };
      else if (status >= 500) payload = 'Internal Server Error';
      else payload = { ok: true };
    }
    call.response = { status, body: payload };
    if (typeof payload === 'string') {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(payload);
    } else {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(payload));
    }
  }

  private answer(call: CallInfo): ScriptedResponse {
    const queued = this.scripts.get(call.method);
    const scripted = queued?.shift();
    if (scripted) return scripted;
    const custom = this.handlers.get(call.method);
    if (custom) return custom(call);
    if (call.method === 'response_url') return { body: { ok: true } };
    if (!call.token) return { body: { ok: false, error: 'not_authed' } };
    if (this.options.token && call.token !== this.options.token) return { body: { ok: false, error: 'invalid_auth' } };
    return { body: this.builtIn(call) };
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${1_700_000_000 + this.tsCounter}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private userJson(user: FakeSlackUser): Record<string, unknown> {
    const name = user.name ?? user.id.toLowerCase();
    const realName = user.realName ?? name;
    return {
      id: user.id,
      team_id: this.teamId,
      name,
      real_name: realName,
      deleted: user.deleted ?? false,
      is_bot: user.isBot ?? false,
      tz: user.tz ?? 'Europe/London',
      profile: { real_name: realName, display_name: name, ...(user.email ? { email: user.email } : {}) },
    };
  }

  private get teamId(): string {
    return this.options.teamId ?? 'T0SEND';
  }

  private checkMessage(body: Record<string, unknown>): Record<string, unknown> | undefined {
    if (!str(body.channel)) return { ok: false, error: 'channel_not_found' };
    if (body.blocks === undefined && !str(body.text) && body.attachments === undefined) return { ok: false, error: 'no_text' };
    if (this.options.validateBlocks !== false && body.blocks !== undefined) {
      if (!Array.isArray(body.blocks)) return { ok: false, error: 'invalid_blocks_format' };
      if (totalBlockText(body.blocks) > MESSAGE_TEXT_LIMIT) return { ok: false, error: 'msg_blocks_too_long' };
      const problems = checkBlockKitLimits({ text: body.text ?? 'x', blocks: body.blocks });
      if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
    }
    return undefined;
  }

  private checkView(view: unknown): Record<string, unknown> | undefined {
    if (typeof view !== 'object' || view === null) return { ok: false, error: 'invalid_arguments' };
    if (this.options.validateBlocks === false) return undefined;
    const problems = checkViewLimits(view as Record<string, unknown>);
    return problems.length > 0 ? { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } } : undefined;
  }

  private viewJson(view: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
    this.viewCounter += 1;
    return {
      id: `V${String(this.viewCounter).padStart(8, '0')}`,
      team_id: this.teamId,
      ...view,
      state: { values: {} },
      hash: `hash-${this.viewCounter}`,
      ...extra,
    };
  }

  private builtIn({ method, body }: CallInfo): Record<string, unknown> {
    const botUserId = this.options.botUserId ?? 'U0BOT';
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://sendbot-test.slack.com/',
          team: 'SEND test',
          user: 'sendbot',
          team_id: this.teamId,
          user_id: botUserId,
          bot_id: this.options.botId ?? 'B0BOT',
          ...(this.options.enterpriseId ? { enterprise_id: this.options.enterpriseId } : {}),
          is_enterprise_install: this.options.isEnterpriseInstall ?? false,
        };
      case 'conversations.open': {
        const users = (str(body.users) ?? '').split(',').map((u) => u.trim()).filter(Boolean);
        if (users.length === 0 && !str(body.channel)) return { ok: false, error: 'users_list_not_supplied' };
        const id = users.length === 1 ? `D${users[0]}` : str(body.channel) ?? `G${users.join('')}`;
        return { ok: true, channel: { id } };
      }
      case 'chat.postMessage': {
        const problem = this.checkMessage(body);
        if (problem) return problem;
        const ts = this.nextTs();
        // As Slack does: a post to a user id goes to the app's DM with them, and names that DM.
        const channel = typeof body.channel === 'string' && /^[UW][A-Z0-9]+$/.test(body.channel) ? `D${body.channel}` : body.channel;
        return {
          ok: true,
          channel,
          ts,
          message: { type: 'message', user: botUserId, bot_id: this.options.botId ?? 'B0BOT', text: body.text, blocks: body.blocks, ts },
        };
      }
      case 'chat.update': {
        const problem = this.checkMessage(body);
        if (problem) return problem;
        if (!str(body.ts)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      }
      case 'chat.postEphemeral': {
        if (!str(body.user)) return { ok: false, error: 'user_not_in_channel' };
        const problem = this.checkMessage(body);
        if (problem) return problem;
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'views.open':
      case 'views.push': {
        if (!str(body.trigger_id) && !str(body.interactivity_pointer)) return { ok: false, error: 'invalid_arguments' };
        const problem = this.checkView(body.view);
        if (problem) return problem;
        return { ok: true, view: this.viewJson(body.view as Record<string, unknown>) };
      }
      case 'views.update': {
        if (!str(body.view_id) && !str(body.external_id)) return { ok: false, error: 'invalid_arguments' };
        const problem = this.checkView(body.view);
        if (problem) return problem;
        return { ok: true, view: this.viewJson(body.view as Record<string, unknown>, str(body.view_id) ? { id: body.view_id } : {}) };
      }
      case 'views.publish': {
        if (!str(body.user_id)) return { ok: false, error: 'invalid_arguments' };
        const problem = this.checkView(body.view);
        if (problem) return problem;
        return { ok: true, view: this.viewJson(body.view as Record<string, unknown>) };
      }
      case 'users.info': {
        const user = this.users.get(str(body.user) ?? '');
        return user ? { ok: true, user: this.userJson(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const email = (str(body.email) ?? '').toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email && !u.deleted);
        return user ? { ok: true, user: this.userJson(user) } : { ok: false, error: 'users_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Starts the fake Slack Web API on 127.0.0.1 and a free port. Remember to `close()` it. */
export async function startSlackApiServer(options: SlackApiServerOptions = {}): Promise<SlackApiServer> {
  let api: FakeSlackApi | undefined;
  const server = createServer((req, res) => {
    api?.handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake Slack API failed: ${String(error)}`);
    });
  });
  api = new FakeSlackApi(server, options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  api.url = `http://127.0.0.1:${port}`;
  return api;
}
