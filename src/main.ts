// Composition root: `npm start`. Reads config, opens the database (migrations run on open), and starts
// whichever platforms are configured. With no Slack or Teams credentials it runs local mode: the demo
// plan on an empty database and a terminal chat.
import { parseArgs } from 'node:util';
import { type Clock, fixedClock, runningClock, systemClock, toStoredInstant } from './clock.js';
import type { DashboardLinkSettings } from './commands/types.js';
import { type Config, ConfigError, databaseLocation, isLocalMode, loadConfig } from './config.js';
import { mountDashboardRoutes } from './http/dashboard-routes.js';
import { createHttpServer, type HttpServer, PortInUseError } from './http/http-server.js';
import type { DeliveryAdapter } from './jobs/delivery-types.js';
import { componentLogger, createLogger, type Logger } from './logger.js';
import { startScheduler } from './jobs/scheduler.js';
import { leadershipFor } from './store/leadership.js';
import { runConsoleChat } from './platforms/console/console-chat.js';
import { createConsoleDelivery } from './platforms/console/console-delivery.js';
import { closeDatabase, DatabaseOpenError, type Db } from './store/database.js';
import { openStoreWhenReachable } from './store/open-store.js';
import { loadDemoIfEmpty } from './store/demo-data.js';
import { startWalCheckpoints } from './store/wal-checkpoints.js';
import { findPersonByEmail, listAdmins, listPeople } from './store/people-repository.js';
import { dashboardSecret } from './store/secrets-repository.js';

interface StartOptions {
  as?: string;
  now?: string;
  /** With --now: the clock starts there and runs on instead of standing still. */
  'clock-runs'?: boolean;
  db?: string;
}

function readOptions(argv: string[]): StartOptions {
  const { values } = parseArgs({
    args: argv,
    options: { as: { type: 'string' }, now: { type: 'string' }, 'clock-runs': { type: 'boolean' }, db: { type: 'string' } },
    strict: true,
  });
  return values;
}

/** The key that signs dashboard links, and how long they work; `baseUrl` is where links point. */
async function dashboardLinks(db: Db, clock: Clock, config: Config, baseUrl: string | null): Promise<DashboardLinkSettings> {
  return { baseUrl, secret: await dashboardSecret(db, config.dashboard.secret, toStoredInstant(clock.now())), linkDays: config.dashboard.linkDays };
}

/**
 * Local mode also serves the dashboard (and /healthz), so `/send dashboard` gives a link that opens.
 * A busy port is not fatal here: the chat works without it. HOST defaults to 127.0.0.1 in local mode
 * (the dashboard shows names and notes, and this is one person's machine).
 */
async function startLocalDashboard(db: Db, clock: Clock, config: Config): Promise<{ http?: HttpServer; links?: DashboardLinkSettings }> {
  const logger = createLogger('silent');
  const http = createHttpServer({ db, logger });
  const links = await dashboardLinks(db, clock, config, null);
  mountDashboardRoutes(http, { db, clock, secret: links.secret, publishedView: config.dashboard.publishedView, logger });
  try {
    const { url } = await http.listen(config.port, config.host);
    process.stderr.write(`Dashboard served at ${url} (type /send dashboard for a link).\n`);
    return { http, links: { ...links, baseUrl: config.dashboard.publicUrl ?? url } };
  } catch (error) {
    if (!(error instanceof PortInUseError)) throw error;
    process.stderr.write(`Port ${config.port} is in use, so the dashboard is not served (set PORT to a free port to serve it). The chat works as usual.\n`);
    return {};
  }
}

async function runLocalMode(db: Db, clock: Clock, config: Config, options: StartOptions): Promise<number> {
  if (config.demoData === 'auto' && (await loadDemoIfEmpty(db, clock.now()))) {
    process.stderr.write('Loaded the demo plan (Southampton 2024, with fictional people, a sample meeting calendar and sample KPI readings).\n');
  }
  const caller = options.as ? await findPersonByEmail(db, options.as) : ((await listAdmins(db))[0] ?? (await listPeople(db))[0]);
  if (!caller) {
    process.stderr.write(
      options.as
        ? `Nobody with email ${options.as} is registered. Try one of: ${(await listPeople(db)).slice(0, 5).map((p) => p.email).join(', ')}\n`
        : 'No people are registered yet: import a plan or people first (npx sendbot import <file>).\n',
    );
    return 1;
  }
  // Nudges and digests print in the terminal as they fall due, but only in an interactive session:
  // piped input (`printf … | npm start`) gets its replies and nothing else.
  const scheduler = process.stdin.isTTY
    ? startScheduler({
        db,
        clock,
        adapters: [createConsoleDelivery(process.stdout)],
        logger: { info: () => {}, error: (detail, message) => process.stderr.write(`${message ?? 'scheduler'}: ${String((detail as { err?: unknown }).err ?? '')}\n`) },
      })
    : undefined;
  const dashboard = await startLocalDashboard(db, clock, config);
  try {
    await runConsoleChat({ db, clock, caller, input: process.stdin, output: process.stdout, policy: config.policy, ...(dashboard.links ? { dashboard: dashboard.links } : {}) });
  } finally {
    await scheduler?.stop();
    await dashboard.http?.close();
  }
  return 0;
}

interface StartedPlatforms {
  /** Outbox adapters, for the scheduler (and `sendbot tick`). */
  adapters: DeliveryAdapter[];
  /** Connects what needs the HTTP server listening first (Slack Socket Mode). */
  connect(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds each configured chat platform, mounting its routes on the shared HTTP server, and returns
 * the outbox adapters. Teams adds itself here (POST /api/messages on the same server).
 */
async function startPlatforms(db: Db, clock: Clock, config: Config, logger: Logger, http: HttpServer): Promise<StartedPlatforms> {
  const adapters: DeliveryAdapter[] = [];
  const dashboard = await dashboardLinks(db, clock, config, config.dashboard.publicUrl ?? null);
  mountDashboardRoutes(http, { db, clock, secret: dashboard.secret, publishedView: config.dashboard.publishedView, logger, trustedProxies: config.trustedProxies });
  if (!config.dashboard.publicUrl) logger.warn('PUBLIC_URL is not set: /send dashboard cannot make links until it is (the dashboard is still served).');
  const connectors: (() => Promise<void>)[] = [];
  const stoppers: (() => Promise<void>)[] = [];
  // Each platform's SDK loads only when it is configured (Bolt and botbuilder take most of a
  // second), so local mode reaches its prompt without either.
  if (config.slack) {
    const [{ createSlackApp }, { createSlackDelivery }] = await Promise.all([import('./platforms/slack/slack-app.js'), import('./platforms/slack/slack-delivery.js')]);
    const slack = await createSlackApp({ db, clock, config: config.slack, logger, dashboard, policy: config.policy });
    adapters.push(createSlackDelivery({ client: slack.app.client, logger }));
    if (slack.mode === 'http') await slack.start(http);
    else connectors.push(() => slack.start());
    stoppers.push(() => slack.stop());
    logger.info({ mode: slack.mode }, slack.mode === 'http' ? 'Slack: HTTP mode on /slack/events' : 'Slack: Socket Mode');
  }
  if (config.teams) {
    const [{ createTeamsBot, mountTeamsMessages, TEAMS_MESSAGES_PATH }, { createTeamsDelivery }] = await Promise.all([
      import('./platforms/teams/teams-app.js'),
      import('./platforms/teams/teams-delivery.js'),
    ]);
    const teams = createTeamsBot({ db, clock, config: config.teams, logger, dashboard, policy: config.policy });
    mountTeamsMessages(http, teams);
    adapters.push(createTeamsDelivery({ adapter: teams.adapter, appId: teams.appId, db, clock, logger }));
    logger.info({ auth: teams.authMode }, `Teams: POST ${TEAMS_MESSAGES_PATH}`);
  }
  return {
    adapters,
    connect: async () => {
      for (const connect of connectors) await connect();
    },
    stop: async () => {
      for (const stop of stoppers) await stop().catch((error: unknown) => logger.error({ err: error }, 'platform failed to stop'));
    },
  };
}

/** A Slack or Teams setting the platform refused at start-up (its module is loaded by now, if it was configured). */
async function isPlatformStartError(error: unknown): Promise<boolean> {
  const [{ SlackStartError }, { TeamsStartError }] = await Promise.all([import('./platforms/slack/slack-app.js'), import('./platforms/teams/teams-app.js')]);
  return error instanceof SlackStartError || error instanceof TeamsStartError;
}

/** `npm start` with chat credentials: HTTP server (or Socket Mode), the scheduler, until SIGINT/SIGTERM. Never loads demo data. */
async function runServiceMode(db: Db, databasePath: string, clock: Clock, config: Config): Promise<number> {
  const logger = createLogger(config.logLevel);
  // Checkpoints (the only fsyncs in WAL mode) run in a worker, not inside a request's commit.
  const checkpoints = await startWalCheckpoints(db, databasePath, { onError: (err) => logger.error({ err }, 'the WAL checkpoint worker failed; checkpointing on commit again') });
  if ((await listPeople(db)).length === 0) {
    logger.warn('No people are registered yet: import a plan or people first (npx sendbot import <file>); until then nobody can use /send.');
  }
  const http = createHttpServer({ db, logger, limits: { trustedProxies: config.trustedProxies } });
  let platforms: StartedPlatforms;
  try {
    platforms = await startPlatforms(db, clock, config, logger, http);
    await http.listen(config.port, config.host);
    await platforms.connect();
  } catch (error) {
    await http.close().catch(() => {});
    await checkpoints.stop();
    if (error instanceof PortInUseError || (await isPlatformStartError(error))) {
      process.stderr.write(`sendbot cannot start: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  const leadership = leadershipFor(db, componentLogger(logger, 'scheduler'));
  const scheduler = startScheduler({ db, clock, adapters: platforms.adapters, cronExpression: config.tickCron, leaseMs: config.deliveryLeaseMs, logger: componentLogger(logger, 'scheduler'), leadership });
  logger.info({ adapters: platforms.adapters.map((a) => a.platform) }, 'sendbot is running');

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal }, 'shutting down');
  await scheduler.stop();
  await leadership.close();
  await platforms.stop();
  await http.close();
  await checkpoints.stop();
  return 0;
}

async function main(): Promise<number> {
  let options: StartOptions;
  let config: Config;
  try {
    options = readOptions(process.argv.slice(2));
    config = loadConfig(process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
    return 1;
  }
  const clock = options.now ? (options['clock-runs'] ? runningClock(options.now) : fixedClock(options.now)) : systemClock;
  // --db names a file or a postgres:// URL; else DATABASE_URL, else DATABASE_PATH.
  const location = options.db ?? databaseLocation(config);
  let db: Db;
  try {
    // A JSON log line, like every other line the service writes, so the host's log search finds it.
    const startLog = createLogger(config.logLevel);
    db = await openStoreWhenReachable(location, config.postgres, (error, attempt) =>
      startLog.warn({ attempt, retryInSeconds: 5 }, `${error.message} Trying again in 5 seconds (attempt ${attempt}).`),
    );
  } catch (error) {
    // A folder, a file that is not sendbot's, a damaged database, a read-only disk, a refused sign-in: one sentence.
    if (!(error instanceof DatabaseOpenError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  try {
    if (isLocalMode(config)) return await runLocalMode(db, clock, config, options);
    // Not local mode: Slack, Teams or both are configured.
    return await runServiceMode(db, location, clock, config);
  } finally {
    await closeDatabase(db);
  }
}

process.exitCode = await main();
