// Builds the Bolt app. Two modes:
//
// - Socket Mode when an app-level token (SLACK_APP_TOKEN, xapp-…) is set: Bolt opens a WebSocket to
//   Slack, so no public URL is needed (councils behind firewalls). `start()` connects.
// - HTTP otherwise: POST /slack/events (commands, interactivity and events on one path) on the
//   process's one HTTP server (src/http/http-server.ts), shared with /healthz and Teams. Our route
//   (slack-events-route.ts) verifies the signature before anything parses the body, refuses
//   replays, then hands the request to Bolt's HTTPReceiver with Bolt's own verification off. The
//   receiver stays inside this module, so nothing reaches it any other way.
//
// Either way: auth.test at start names the installation (team, enterprise), and a global middleware
// refuses requests from any other workspace or organisation (workspace-guard.ts); slash commands and
// writing buttons are in the durable inbox before they are acknowledged (durable-inbox.ts: stored
// by our route in HTTP mode, with the replay-cache entry, and by a second middleware in Socket
// Mode), and what a crash left there is replayed on start. The WebClient makes one
// attempt per call (see slack-client-options.ts).
import { App, AuthorizationError, HTTPModuleFunctions, HTTPReceiver, type HTTPReceiverOptions, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { IncomingMessage } from 'node:http';
import { type Clock, toStoredInstant } from '../../clock.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { HttpServer, RouteHandler } from '../../http/http-server.js';
import { componentLogger, type Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import { markInboxItemFailed } from '../../store/slack-inbox-repository.js';
import { isPassingStorageFailure } from '../../store/storage-failures.js';
import { toBoltLogger } from './bolt-logger.js';
import { DEFAULT_INBOX_LEASE, durableInbox, type InboxLease, needsInbox, replayInbox } from './durable-inbox.js';
import { registerListeners } from './listeners/index.js';
import { type SlackConfig, slackClientOptions } from './slack-client-options.js';
import { createSlackEventsRoute, slackInboxProperties } from './slack-events-route.js';
import { KeptCommands } from './kept-commands.js';
import { WorkGate } from './work-gate.js';
import { isOwnWorkspace, readRequestWorkspace, type SlackInstallation, workspaceGuard } from './workspace-guard.js';

export const SLACK_EVENTS_PATH = '/slack/events';
export { MAX_SLACK_BODY_BYTES } from './slack-events-route.js';
export { MAX_REQUEST_SKEW_SECONDS } from './verify-slack-request.js';

export interface SlackAppDeps {
  db: Db;
  clock: Clock;
  config: SlackConfig;
  logger: Logger;
  /** Wall-clock milliseconds for signature timestamps (tests move it). */
  nowMs?: () => number;
  /** For `/send dashboard` links. */
  dashboard?: DashboardLinkSettings;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** The workspace or organisation this app serves, from auth.test. */
  installation: SlackInstallation;
  /** HTTP mode only: the POST /slack/events handler (verification, then Bolt). */
  route?: RouteHandler;
  /**
   * HTTP mode: mounts /slack/events on `http`. Socket Mode: connects to Slack. Both then sweep the
   * durable inbox, in the background, at once and every 5 s: what a crashed instance (this
   * one before a restart, or another) acknowledged and did not finish (`replayed` resolves when the
   * first sweep is done).
   */
  start(http?: HttpServer): Promise<void>;
  /** Resolves with how many inbox rows were replayed, once the replay that `start` began is over. */
  readonly replayed: Promise<number>;
  /**
   * Stops the sweep and starts no more acknowledged work (it is left in the inbox for a replay),
   * waits for work already running, then, in Socket Mode, disconnects. HTTP mode leaves the shared
   * server to its owner. Call it before closing the database.
   */
  stop(): Promise<void>;
}

/** How often every instance sweeps the inbox for requests to replay (at most; half the lease if that is shorter). */
const SWEEP_EVERY_MS = 5000;

export class SlackStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackStartError';
  }
}

/**
 * Checks the bot token with auth.test (which also names the installation), then creates the Bolt app
 * with the guards and every listener registered. Bolt is given the bot's ids so it does not call
 * auth.test again, nor in its constructor, where a rejected token would surface as an unhandled
 * promise rejection instead of a message naming the setting to fix.
 */
export async function createSlackApp(deps: SlackAppDeps): Promise<SlackApp> {
  const { config } = deps;
  const boltLogger = toBoltLogger(deps.logger);
  const clientOptions = slackClientOptions(config);
  const log = componentLogger(deps.logger, 'slack');

  let auth: Awaited<ReturnType<WebClient['auth']['test']>>;
  try {
    auth = await new WebClient(config.botToken, { ...clientOptions, logger: boltLogger }).auth.test();
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    throw new SlackStartError(`Slack did not accept SLACK_BOT_TOKEN (${code}). Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.`, {
      cause: error,
    });
  }
  const installation: SlackInstallation = {
    ...(auth.team_id ? { teamId: auth.team_id } : {}),
    ...(auth.team ? { teamName: auth.team } : {}),
    ...(auth.enterprise_id ? { enterpriseId: auth.enterprise_id } : {}),
    isEnterpriseInstall: auth.is_enterprise_install === true,
  };
  if (!installation.teamId && !(installation.isEnterpriseInstall && installation.enterpriseId)) {
    throw new SlackStartError('Slack\'s auth.test did not name the workspace this token belongs to, so requests from other workspaces could not be refused.');
  }

  const common = {
    token: config.botToken,
    ...(auth.bot_id ? { botId: auth.bot_id } : {}),
    ...(auth.user_id ? { botUserId: auth.user_id } : {}),
    tokenVerificationEnabled: false,
    logger: boltLogger,
    clientOptions,
    // The conversation store keeps per-conversation state in memory; sendbot keeps its state in SQLite.
    convoStore: false as const,
    deferInitialization: true,
  };

  let app: App;
  let route: RouteHandler | undefined;
  const inboxLease: InboxLease = { seconds: config.inboxLeaseSeconds ?? DEFAULT_INBOX_LEASE.seconds, nowMs: deps.nowMs ?? Date.now };
  if (config.appToken) {
    app = new App({ ...common, appToken: config.appToken, socketMode: true });
  } else {
    if (!config.signingSecret) throw new SlackStartError('SLACK_SIGNING_SECRET is required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode).');
    const receiverOptions: HTTPReceiverOptions = {
      signingSecret: config.signingSecret,
      // Verified by our route before the body is parsed; Bolt would re-read and re-check it.
      signatureVerification: false,
      endpoints: SLACK_EVENTS_PATH,
      logger: boltLogger,
      // Ack first, then work: listeners call ack() before anything slow, and the HTTP response goes
      // out at that moment rather than when the listener finishes.
      processBeforeResponse: false,
      // A request refused here was never acknowledged, so its inbox row (if our route stored one) is
      // kept as failed rather than replayed on the next start.
      processEventErrorHandler: answerUnreadableRequests(deps.logger, async (req) => {
        const { inboxId } = slackInboxProperties(req);
        if (inboxId !== undefined) await markInboxItemFailed(deps.db, inboxId, toStoredInstant(deps.clock.now()));
      }),
      // The inbox row our route stored with the request (see slack-events-route.ts), for the middleware.
      customPropertiesExtractor: (req) => ({ ...slackInboxProperties(req) }),
    };
    const receiver = new HTTPReceiver(receiverOptions);
    app = new App({ ...common, receiver });
    route = createSlackEventsRoute({
      signingSecret: config.signingSecret,
      db: deps.db,
      logger: deps.logger,
      dispatch: receiver.requestListener,
      // Stored in the same commit as the replay-cache entry. Requests from other workspaces are not
      // stored: the workspace guard refuses them before any listener runs.
      inbox: {
        holds: (body) => needsInbox(body) && isOwnWorkspace(installation, readRequestWorkspace(body)),
        receivedAt: () => toStoredInstant(deps.clock.now()),
        leaseSeconds: inboxLease.seconds,
      },
      ...(deps.nowMs ? { nowMs: deps.nowMs } : {}),
    });
  }

  app.use(workspaceGuard(installation, log));
  const work = new WorkGate();
  const kept = new KeptCommands(deps.db, log);
  app.use(durableInbox(deps.db, deps.clock, work, kept, inboxLease));
  registerListeners(app, { db: deps.db, clock: deps.clock, logger: log, work, ...(deps.dashboard ? { dashboard: deps.dashboard } : {}), ...(deps.policy ? { policy: deps.policy } : {}) });
  await app.init();

  const mode = config.appToken ? 'socket' : 'http';
  let replayed: Promise<number> = Promise.resolve(0);
  let sweepTimer: NodeJS.Timeout | undefined;
  let lastSweep: () => Promise<number> = () => replayed;
  return {
    app,
    mode,
    installation,
    ...(route ? { route } : {}),
    get replayed() {
      return replayed;
    },
    async start(http) {
      if (route) {
        if (!http) throw new SlackStartError('HTTP mode needs the HTTP server to mount /slack/events on.');
        mountSlackEvents(http, route);
      } else {
        await app.start();
      }
      // The sweep: now, then every 5 s (or half the lease, if shorter), on every instance: one query
      // when there is nothing to do. What another instance acknowledged and is still working on
      // keeps its lease and is left alone; what a stopping instance left is taken at once.
      const sweep = (): Promise<number> =>
        replayInbox(app, deps.db, deps.clock, log, inboxLease).catch((error: unknown) => {
          // The database not answering is already in /healthz and the request logs; every 5 s at
          // error level would page someone over an outage that loses nothing.
          if (isPassingStorageFailure(error)) log.warn({ reason: (error as Error).message }, 'could not sweep the Slack inbox: the database did not answer; trying again in 5 s');
          else log.error({ err: error }, 'could not replay the Slack inbox');
          return 0;
        });
      replayed = sweep();
      let sweeping: Promise<number> = replayed;
      const sweepAgain = (): void => {
        sweeping = sweeping.then(sweep);
      };
      sweepTimer = setInterval(sweepAgain, Math.max(500, Math.min(SWEEP_EVERY_MS, (inboxLease.seconds * 1000) / 2)));
      sweepTimer.unref();
      kept.sweepNow = sweepAgain;
      lastSweep = () => sweeping;
    },
    async stop() {
      if (sweepTimer) clearInterval(sweepTimer);
      kept.stop();
      // Work acknowledged and not started is left for a replay; what has started finishes before
      // the caller closes the database (work-gate.ts).
      const stopping = work.stop();
      await lastSweep();
      const { unfinished } = await stopping;
      if (unfinished > 0) log.warn({ unfinished }, 'stopping with Slack work still running; its inbox rows are replayed by the next sweep');
      if (!route) await app.stop();
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
export function answerUnreadableRequests(logger: Logger, onRefused?: (request: IncomingMessage) => void): (args: ReceiverProcessEventErrorHandlerArgs) => Promise<boolean> {
  return async (args) => {
    if (args.response.headersSent || args.error instanceof AuthorizationError) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
    logger.warn({ err: args.error, component: 'slack' }, 'Slack request could not be read; answered 400');
    onRefused?.(args.request);
    args.response.writeHead(400);
    args.response.end();
    return false;
  };
}

/** Routes POST /slack/events to the verifying handler (see slack-events-route.ts). */
export function mountSlackEvents(http: HttpServer, route: RouteHandler): void {
  http.addRoute('POST', SLACK_EVENTS_PATH, route);
}
