// Builds the Bolt app. Two modes:
//
// - Socket Mode when an app-level token (SLACK_APP_TOKEN, xapp-…) is set: Bolt opens a WebSocket to
//   Slack, so no public URL is needed (councils behind firewalls). `start()` connects.
// - HTTP otherwise: Bolt's HTTPReceiver handles POST /slack/events (commands, interactivity and events
//   on one path), but it does not listen itself: `mountSlackEvents` puts its request listener on the
//   process's one HTTP server (src/http/http-server.ts), shared with /healthz and Teams.
//
// Either way Bolt verifies requests itself (HTTP: the signing secret, HMAC-SHA256 over
// `v0:{timestamp}:{body}`, five-minute window) and its WebClient makes one attempt per call
// (see slack-client-options.ts).
import {
  App,
  AuthorizationError,
  defaultBodyLimit,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type ReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Clock } from '../../clock.js';
import type { HttpServer } from '../../http/http-server.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import { toBoltLogger } from './bolt-logger.js';
import { registerListeners } from './listeners/index.js';
import { type SlackConfig, slackClientOptions } from './slack-client-options.js';
import { readBody } from '../../http/read-body.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** How far a request's timestamp may be from now, either way (Bolt itself refuses only old ones). */
export const MAX_REQUEST_SKEW_SECONDS = 5 * 60;

export interface SlackAppDeps {
  db: Db;
  clock: Clock;
  config: SlackConfig;
  logger: Logger;
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** HTTP mode only: Bolt's receiver, whose request listener serves /slack/events. */
  receiver?: HTTPReceiver;
  /** HTTP mode: mounts /slack/events on `http`. Socket Mode: connects to Slack. */
  start(http?: HttpServer): Promise<void>;
  /** Socket Mode: disconnects. HTTP mode: nothing to do (the shared server is closed by its owner). */
  stop(): Promise<void>;
}

export class SlackStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackStartError';
  }
}

/**
 * Creates the Bolt app with every listener registered and checks the bot token with auth.test
 * (Bolt would otherwise do that in its constructor, where a rejected token surfaces as an
 * unhandled promise rejection instead of a message naming the setting to fix).
 */
export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { config } = deps;
  const boltLogger = toBoltLogger(deps.logger);
  const clientOptions = slackClientOptions(config);
  const common = {
    token: config.botToken,
    logger: boltLogger,
    clientOptions,
    // The conversation store keeps per-conversation state in memory; sendbot keeps its state in SQLite.
    convoStore: false as const,
    deferInitialization: true,
  };

  let app: App;
  let receiver: HTTPReceiver | undefined;
  if (config.appToken) {
    app = new App({ ...common, appToken: config.appToken, socketMode: true });
  } else {
    if (!config.signingSecret) throw new SlackStartError('SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode).');
    const receiverOptions: HTTPReceiverOptions = {
      signingSecret: config.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      logger: boltLogger,
      // Ack first, then work: listeners call ack() before anything slow, and the HTTP response goes
      // out at that moment rather than when the listener finishes.
      processBeforeResponse: false,
      processEventErrorHandler: answerUnreadableRequests(deps.logger),
    };
    receiver = new HTTPReceiver(receiverOptions);
    app = new App({ ...common, receiver });
  }

  registerListeners(app, { db: deps.db, clock: deps.clock, logger: deps.logger.child({ component: 'slack' }) });

  try {
    await app.init();
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new SlackStartError(`Slack did not accept SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.`, {
      cause: error,
    });
  }

  const mode = config.appToken ? 'socket' : 'http';
  return {
    app,
    mode,
    ...(receiver ? { receiver } : {}),
    async start(http) {
      if (receiver) {
        if (!http) throw new SlackStartError('HTTP mode needs the HTTP server to mount /slack/events on.');
        mountSlackEvents(http, receiver);
        return;
      }
      await app.start();
    },
    async stop() {
      if (!receiver) await app.stop();
    },
  };
}

/**
 * Bolt answers 500 when it fails on a correctly signed request before anything acknowledged it,
 * which happens when the body is not shaped as Slack shapes it (a view_submission without a view, an
 * event_callback whose event is not an object…). Our listeners acknowledge first, or catch their own
 * failures and acknowledge with an error, so such an error is the request's fault: 400, logged.
 * After an acknowledgement, and for authorization errors, Bolt's default handling stands.
 */
export function answerUnreadableRequests(logger: Logger): (args: ReceiverProcessEventErrorHandlerArgs) => Promise<boolean> {
  return async (args) => {
    if (args.response.headersSent || args.error instanceof AuthorizationError) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
    logger.warn({ err: args.error, component: 'slack' }, 'Slack request could not be read; answered 400');
    args.response.writeHead(400);
    args.response.end();
    return false;
  };
}

/** Bolt's own limit on a request body (HTTPReceiver's default `bodyLimit`). */
export const MAX_SLACK_BODY_BYTES = defaultBodyLimit;

/**
 * False when Bolt would parse the body (as it does: a form, its `payload` field as JSON, else JSON)
 * into something that is not an object: a correctly signed body of `null` makes Bolt's request
 * handler throw outside any try/catch, an unhandled rejection that stops the process. Bodies that do
 * not parse at all are left to Bolt, which answers 401 or 400.
 */
export function isUsableSlackBody(raw: Buffer, contentType: string | undefined): boolean {
  let parsed: unknown;
  try {
    if (contentType === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(raw.toString());
      const payload = form.get('payload');
      if (payload === null) return true;
      parsed = JSON.parse(payload);
    } else {
      parsed = JSON.parse(raw.toString());
    }
  } catch {
    return true;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
}

/**
 * Routes POST /slack/events to Bolt. A request stamped five minutes or more in the future is refused
 * first: Bolt only checks that a timestamp is not too old (more than five minutes), but a signed
 * request from the future could be replayed for longer than that. Timestamps are whole seconds, so
 * "five minutes or more" (rather than "more than") keeps a request stamped 301 s ahead refused even
 * when the second ticks over while it is in flight. The body is read here (with Bolt's 4 MB limit)
 * so that a body Bolt cannot handle is refused with 400 instead of crashing it (see
 * isUsableSlackBody); Bolt then uses the buffered body. Everything else — the signature, staleness,
 * body parsing, acks — is Bolt's own handling.
 */
export function mountSlackEvents(http: HttpServer, receiver: HTTPReceiver, nowMs: () => number = Date.now): void {
  http.addRoute('POST', SLACK_EVENTS_PATH, async (req, res) => {
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = Number(Array.isArray(header) ? header[0] : header);
    if (Number.isFinite(timestamp) && timestamp - Math.floor(nowMs() / 1000) >= MAX_REQUEST_SKEW_SECONDS) {
      req.resume();
      res.writeHead(401).end();
      return;
    }
    const raw = await readBody(req, MAX_SLACK_BODY_BYTES);
    if (raw === 'too-large') {
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    if (!isUsableSlackBody(raw, req.headers['content-type'])) {
      res.writeHead(400).end();
      return;
    }
    // Bolt reads a request whose `rawBody` is already a Buffer from there (BufferedIncomingMessage).
    Object.assign(req, { rawBody: raw });
    receiver.requestListener(req, res);
  });
}
