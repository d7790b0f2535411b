import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, databaseLocation, isLocalMode, loadConfig } from '../../src/config.js';

const root = join(import.meta.dirname, '..', '..');

/** Reads .env.example as a service manager would: KEY=value lines, comments ignored. */
function envExample(): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(root, '.env.example'), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Za-z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('loadConfig', () => {
  it('treats .env.example as local mode with defaults', () => {
    const config = loadConfig(envExample());
    expect(isLocalMode(config)).toBe(true);
    expect(config).toMatchObject({ databasePath: 'data/sendbot.db', port: 3000, tickCron: '*/5 * * * *', demoData: 'auto' });
  });

  it('every variable in .env.example is documented in the README configuration table', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const key of Object.keys(envExample())) expect(readme).toContain(`| \`${key}\` |`);
  });

  it('lists every problem at once, naming the variable to fix', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', SLACK_APP_TOKEN: 'xapp-1', MicrosoftAppId: 'abc', MicrosoftAppType: 'SingleTenant' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(loadConfigProblems({ SLACK_APP_TOKEN: 'xapp-1', MicrosoftAppId: 'abc', MicrosoftAppType: 'SingleTenant' })).toEqual([
      'SLACK_BOT_TOKEN: required when any SLACK_ setting is given (xoxb-…)',
      'MicrosoftAppPassword: required with MicrosoftAppId (the bot registration client secret)',
      'MicrosoftAppTenantId: required when MicrosoftAppType is SingleTenant',
    ]);
  });

  it('listens on this machine only unless a platform must reach in, or HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).host).toBe('127.0.0.1');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).host).toBe('0.0.0.0');
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'p' }).host).toBe('0.0.0.0');
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfigProblems({ HOST: 'localhost; rm -rf /' })).toEqual([
      'HOST: must be an interface address such as 127.0.0.1, 0.0.0.0 or ::, or a host name',
    ]);
  });

  it('turns Slack on with a bot token and signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(config.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 's', appToken: undefined, apiUrl: undefined, inboxLeaseSeconds: 60 });
    expect(isLocalMode(config)).toBe(false);
  });

  it('takes the inbox and delivery leases (seconds) and refuses ones that are not whole seconds in range', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_INBOX_LEASE_SECONDS: '5', DELIVERY_LEASE_SECONDS: '20' });
    expect(config.slack?.inboxLeaseSeconds).toBe(5);
    expect(config.deliveryLeaseMs).toBe(20_000);
    expect(loadConfig({}).deliveryLeaseMs).toBe(60_000);
    expect(() => loadConfig({ DELIVERY_LEASE_SECONDS: '0' })).toThrow(/DELIVERY_LEASE_SECONDS/);
    expect(() => loadConfig({ SLACK_INBOX_LEASE_SECONDS: 'a minute' })).toThrow(/SLACK_INBOX_LEASE_SECONDS/);
  });
});

describe('dashboard settings', () => {
  it('defaults: no public URL, no configured secret, 7-day links, no public view', () => {
    expect(loadConfig({}).dashboard).toEqual({ publicUrl: undefined, secret: undefined, linkDays: 7, publishedView: false });
  });

  it('reads PUBLIC_URL (trailing slash dropped), DASHBOARD_SECRET, DASHBOARD_LINK_DAYS and PUBLISHED_VIEW', () => {
    const secret = 'a'.repeat(64);
    expect(loadConfig({ PUBLIC_URL: 'https://sendbot.example.org/', DASHBOARD_SECRET: secret, DASHBOARD_LINK_DAYS: '14', PUBLISHED_VIEW: 'yes' }).dashboard).toEqual({
      publicUrl: 'https://sendbot.example.org',
      secret,
      linkDays: 14,
      publishedView: true,
    });
  });

  it('names each bad dashboard setting and what it should be', () => {
    const problems = loadConfigProblems({ PUBLIC_URL: 'ftp://x.example.org', DASHBOARD_SECRET: 'short', DASHBOARD_LINK_DAYS: '365', PUBLISHED_VIEW: 'maybe' });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toBe('PUBLIC_URL: must be an http(s) address, e.g. https://sendbot.example.org');
    expect(problems[1]).toBe('DASHBOARD_SECRET: must be at least 32 characters (e.g. the output of: openssl rand -hex 32)');
    expect(problems[2]).toMatch(/^DASHBOARD_LINK_DAYS: /);
    expect(problems[3]).toBe('PUBLISHED_VIEW: must be true or false');
  });
});

describe('TRUSTED_PROXIES', () => {
  it('is none by default, a list of addresses when set, and names an entry that is not an IP address', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: '127.0.0.1, ::1' }).trustedProxies).toEqual(['127.0.0.1', '::1']);
    expect(loadConfigProblems({ TRUSTED_PROXIES: '127.0.0.1, proxy.example.org' })).toEqual([
      'TRUSTED_PROXIES: must be a comma-separated list of IP addresses of your reverse proxies, e.g. 127.0.0.1 (not: proxy.example.org)',
    ]);
  });
});

function loadConfigProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
}

describe('database settings', () => {
  it('uses the SQLite file unless DATABASE_URL names PostgreSQL, with pool, timeout and CA settings', () => {
    const sqlite = loadConfig({});
    expect(databaseLocation(sqlite)).toBe('data/sendbot.db');
    expect(sqlite.postgres).toEqual({ poolSize: 10, statementTimeoutMs: 30_000, caFile: undefined });
    const pg = loadConfig({
      DATABASE_URL: 'postgres://sendbot:pw@db.example.org:5432/sendbot?sslmode=require',
      DATABASE_POOL_SIZE: '20',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      DATABASE_CA_FILE: '/etc/ssl/azure-ca.pem',
    });
    expect(databaseLocation(pg)).toBe('postgres://sendbot:pw@db.example.org:5432/sendbot?sslmode=require');
    expect(pg.postgres).toEqual({ poolSize: 20, statementTimeoutMs: 5000, caFile: '/etc/ssl/azure-ca.pem' });
  });

  it('refuses a DATABASE_URL that is not PostgreSQL, and a pool too small, naming each', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/sendbot', DATABASE_POOL_SIZE: '1' })).toThrow(/DATABASE_URL: must be a PostgreSQL URL[\s\S]*DATABASE_POOL_SIZE/);
  });
});

describe('database settings that cannot be used', () => {
  it('says what is wrong with a malformed DATABASE_URL without quoting the password, and asks for whole numbers plainly', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'postgres://sendbot:s3cret@127.0.0.1:3332x/wm1', DATABASE_POOL_SIZE: 'abc' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL: is not a valid address');
    expect(message).toContain('DATABASE_POOL_SIZE: must be a whole number of connections from 2 to 100');
    expect(message).not.toContain('s3cret');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://sendbot:pw@db.example.org:5432' })).toThrow(/DATABASE_URL: names no database/);
  });
});
