// The only place that reads the environment. Everything else receives a Config.
import { isIP } from 'node:net';
import { z } from 'zod';
import { postgresUrlProblem } from './store/postgres-database.js';

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return false;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    ctx.addIssue({ code: 'custom', message: 'must be true or false' });
    return z.NEVER;
  });

/** A whole number in a range, with a message that says so (not zod's "expected number, received NaN"). */
function wholeNumber(min: number, max: number, unit: string) {
  const message = `must be a whole number of ${unit} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

const envSchema = z.object({
  DATABASE_PATH: z.string().trim().min(1).default('data/sendbot.db'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a PostgreSQL URL, e.g. postgres://sendbot:password@db.example.org:5432/sendbot?sslmode=require')
    .superRefine((v, ctx) => {
      // Said without the value: it holds the password.
      const problem = /^postgres(ql)?:\/\//i.test(v) ? postgresUrlProblem(v) : undefined;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  DATABASE_POOL_SIZE: wholeNumber(2, 100, 'connections').default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: wholeNumber(0, 600_000, 'milliseconds (0: no limit)').default(30_000),
  DATABASE_CA_FILE: optionalText,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z.:-]+$/, 'must be an interface address such as 127.0.0.1, 0.0.0.0 or ::, or a host name')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TICK_CRON: z.string().trim().default('*/5 * * * *'),
  // How long a delivering instance holds the messages it claimed; another takes them over after that
  // when it died mid-batch (the lease is renewed while the batch is being sent).
  DELIVERY_LEASE_SECONDS: z.coerce.number().int().min(3).max(3600).default(60),
  DEMO_DATA: z.enum(['auto', 'never']).default('auto'),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z.url().optional(),
  // Seconds the instance that acknowledged a Slack command has to do it before the inbox sweep (any
  // instance) replays it. 60 unless a test or an unusually slow deployment needs otherwise.
  SLACK_INBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalText,
  TEAMS_ALLOW_UNAUTHENTICATED: flag,
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) address, e.g. https://sendbot.example.org' })
    .optional()
    .transform((v) => v?.replace(/\/+$/, '')),
  DASHBOARD_SECRET: z.string().trim().min(32, 'must be at least 32 characters (e.g. the output of: openssl rand -hex 32)').optional(),
  DASHBOARD_LINK_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  PUBLISHED_VIEW: flag,
  ALLOW_SELF_APPROVAL: flag,
  TRUSTED_PROXIES: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      const list = (v ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
      const bad = list.filter((a) => !isIP(a));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of IP addresses of your reverse proxies, e.g. 127.0.0.1 (not: ${bad.join(', ')})` });
        return z.NEVER;
      }
      return list;
    }),
});

export interface Config {
  /** The SQLite file (DATABASE_PATH), used when DATABASE_URL is not set. */
  databasePath: string;
  /** PostgreSQL (DATABASE_URL): when set, sendbot runs on it instead of the SQLite file. */
  databaseUrl?: string;
  /** Connection settings for PostgreSQL. */
  postgres: { poolSize: number; statementTimeoutMs: number; caFile?: string };
  port: number;
  /** Interface the HTTP server listens on (see defaultHost). */
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  tickCron: string;
  /** DELIVERY_LEASE_SECONDS, in ms. */
  deliveryLeaseMs: number;
  demoData: 'auto' | 'never';
  slack?: { botToken: string; signingSecret?: string; appToken?: string; apiUrl?: string; inboxLeaseSeconds?: number };
  teams?: { appId?: string; appPassword?: string; appType: string; tenantId?: string; allowUnauthenticated: boolean };
  dashboard: DashboardConfig;
  /** Rules every command follows (ALLOW_SELF_APPROVAL). */
  policy: { allowSelfApproval: boolean };
  /** Reverse proxies whose X-Forwarded-For is believed for per-client limits (none unless TRUSTED_PROXIES). */
  trustedProxies: string[];
}

export interface DashboardConfig {
  /** Base URL people reach sendbot at, for links in chat; in local mode the listening address is used. */
  publicUrl?: string;
  /** Signs dashboard links; when unset, a key generated and kept in the database is used. */
  secret?: string;
  /** How long a dashboard link works. */
  linkDays: number;
  /** Serve the public view of the plan (no names, no notes) at /published. */
  publishedView: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`sendbot cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads configuration from `env` (normally process.env). Lists every problem at once. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // A variable set to an empty string (as in .env.example) means "not set".
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let slack: Config['slack'];
  if (e.SLACK_BOT_TOKEN || e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET) {
    if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required when any SLACK_ setting is given (xoxb-…)');
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      problems.push('SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    if (e.SLACK_BOT_TOKEN) {
      slack = { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, inboxLeaseSeconds: e.SLACK_INBOX_LEASE_SECONDS };
    }
  }

  let teams: Config['teams'];
  // Without an app id botbuilder turns authentication off, so a half-configured Teams bot must not
  // quietly become an open one (or be ignored): name the missing setting instead.
  if (!e.MicrosoftAppId && (e.MicrosoftAppPassword || e.MicrosoftAppTenantId)) {
    problems.push(
      'MicrosoftAppId: required when MicrosoftAppPassword or MicrosoftAppTenantId is set (the bot registration’s application id); for local testing without authentication set TEAMS_ALLOW_UNAUTHENTICATED=true and leave the Microsoft settings empty',
    );
  }
  if (e.MicrosoftAppId || e.TEAMS_ALLOW_UNAUTHENTICATED) {
    if (e.MicrosoftAppId && !e.MicrosoftAppPassword && e.MicrosoftAppType !== 'UserAssignedMSI') {
      problems.push('MicrosoftAppPassword: required with MicrosoftAppId (the bot registration client secret)');
    }
    if (e.MicrosoftAppType === 'SingleTenant' && !e.MicrosoftAppTenantId) {
      problems.push('MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant');
    }
    teams = {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType ?? 'MultiTenant',
      tenantId: e.MicrosoftAppTenantId,
      allowUnauthenticated: e.TEAMS_ALLOW_UNAUTHENTICATED,
    };
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL,
    postgres: { poolSize: e.DATABASE_POOL_SIZE, statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS, caFile: e.DATABASE_CA_FILE },
    port: e.PORT,
    host: e.HOST ?? defaultHost(slack, teams),
    logLevel: e.LOG_LEVEL,
    tickCron: e.TICK_CRON,
    deliveryLeaseMs: e.DELIVERY_LEASE_SECONDS * 1000,
    demoData: e.DEMO_DATA,
    slack,
    teams,
    dashboard: { publicUrl: e.PUBLIC_URL, secret: e.DASHBOARD_SECRET, linkDays: e.DASHBOARD_LINK_DAYS, publishedView: e.PUBLISHED_VIEW },
    policy: { allowSelfApproval: e.ALLOW_SELF_APPROVAL },
    trustedProxies: e.TRUSTED_PROXIES,
  };
}

/**
 * Where the HTTP server listens unless HOST says otherwise. All interfaces (0.0.0.0) only when a
 * platform must reach sendbot from outside: Slack in HTTP mode, or Teams with authentication on.
 * Everything else stays on this machine (127.0.0.1): local mode, Slack in Socket Mode (it connects
 * out; only /healthz is served), and Teams with TEAMS_ALLOW_UNAUTHENTICATED — an endpoint that
 * accepts anyone's activities must not be reachable from the network by default.
 */
export function defaultHost(slack: Config['slack'], teams: Config['teams']): string {
  const slackInbound = slack !== undefined && !slack.appToken;
  const teamsInbound = teams !== undefined && teams.appId !== undefined;
  return slackInbound || teamsInbound ? '0.0.0.0' : '127.0.0.1';
}

/** Where the store is: DATABASE_URL when set, else the SQLite file. */
export function databaseLocation(config: Pick<Config, 'databasePath' | 'databaseUrl'>): string {
  return config.databaseUrl ?? config.databasePath;
}

/** True when no chat platform is configured: `npm start` then runs the local console with demo data. */
export function isLocalMode(config: Config): boolean {
  return !config.slack && !config.teams;
}

