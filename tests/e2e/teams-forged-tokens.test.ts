// Forged Bot Framework tokens against POST /api/messages: the real CloudAdapter and botbuilder's
// own token validation, with the token-signing keys served from loopback (tests/helpers/bot-token-keys.ts),
// so genuine and forged tokens are judged exactly as in production without leaving the machine.
// Every forgery gets 401, runs no turn, writes nothing and sends nothing; a genuine token passes the
// same check (the control that shows the forgeries fail for the reason they were built for).
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createTeamsBot, mountTeamsMessages } from '../../src/platforms/teams/teams-app.js';
import { createBotFrameworkAuthentication, type TeamsConfig } from '../../src/platforms/teams/teams-auth.js';
import { closeDatabase, type Db } from '../../src/store/database.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { type BotTokenKeys, CHANNEL_ISSUER, PUBLISHED_KID, startBotTokenKeys } from '../helpers/bot-token-keys.js';
import { dbFingerprint, demoPlanDb } from '../helpers/demo-plan-db.js';
import { cardSubmit, personalMessage, type TeamsActivity, type TeamsUser } from '../helpers/teams-activities.js';

const APP_ID = '00000000-0000-4000-8000-00000000a99d';
const PASSWORD = 'not-a-real-secret';
const CONFIG: TeamsConfig = { appId: APP_ID, appPassword: PASSWORD, appType: 'MultiTenant', allowUnauthenticated: false };
const MORGAN: TeamsUser = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' };
const EMULATOR_ISSUER = 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/';

describe('forged Teams tokens', () => {
  let keys: BotTokenKeys;
  let connector: BotConnectorServer;
  let db: Db;
  let http: HttpServer;
  let url: string;
  const logs: string[] = [];

  beforeAll(async () => {
    // botbuilder prints each key it tried (console.error) when a signature does not verify: noise here.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    keys = await startBotTokenKeys();
    connector = await startBotConnectorServer();
    ({ db } = await demoPlanDb());
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    http = createHttpServer({ db, logger });
    mountTeamsMessages(http, createTeamsBot({ db, clock: fixedClock('2024-11-18T10:00'), config: CONFIG, logger, tokenKeys: { openIdMetadataUrl: keys.openIdMetadataUrl } }));
    ({ url } = await http.listen(0, '127.0.0.1'));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await http.close();
    await closeDatabase(db);
    await connector.close();
    await keys.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const activities: [string, () => TeamsActivity][] = [
    ['a typed update', () => personalMessage({ serviceUrl: connector.url, user: MORGAN, text: 'update ND-1.1 red forged' })],
    ['a card submit', () => cardSubmit({ serviceUrl: connector.url, user: MORGAN, value: { sendbot: 'update_form', action: 'ND-1.1', status: 'red', note: 'forged' } })],
  ];
  /** The claims the channel puts in a genuine token for `activity`. */
  const genuine = (activity: TeamsActivity, extra: Record<string, unknown> = {}) => ({
    iss: CHANNEL_ISSUER,
    aud: APP_ID,
    serviceurl: activity.serviceUrl,
    nbf: now() - 60,
    exp: now() + 3600,
    ...extra,
  });
  const without = (claims: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(claims).filter(([k]) => k !== key));
  const tamper = (token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>) => {
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    return `${h}.${Buffer.from(JSON.stringify(change(claims))).toString('base64url')}.${s}`;
  };
  const unsigned = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
    `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  const ecToken = (claims: Record<string, unknown>) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const input = `${Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: PUBLISHED_KID })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${cryptoSign('SHA256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  };

  /** Authorization header values that must all be refused, for `activity`. */
  const forgeries = (a: TeamsActivity): [string, string | undefined][] => {
    const claims = genuine(a);
    const real = keys.sign(claims);
    const [, , realSignature] = real.split('.') as [string, string, string];
    const bearer = (token: string) => `Bearer ${token}`;
    return [
      // How the token is presented.
      ['no Authorization header', undefined],
      ['an empty header', ''],
      ['Basic credentials', `Basic ${Buffer.from(`${APP_ID}:${PASSWORD}`).toString('base64')}`],
      ['the scheme in lower case', `bearer ${real}`],
      ['two tokens', `Bearer ${real}, Bearer ${real}`],
      ['a token with four parts', bearer(`${real}.extra`)],
      ['a token in standard base64', bearer(real.replace(/-/g, '+').replace(/_/g, '/'))],
      ['the app password as a token', bearer(PASSWORD)],
      // Algorithms.
      ['alg none, no signature', bearer(unsigned({ alg: 'none', typ: 'JWT' }, claims))],
      ['alg none with a published kid', bearer(unsigned({ alg: 'none', typ: 'JWT', kid: PUBLISHED_KID }, claims))],
      ['HS256 keyed with the published public key (algorithm confusion)', bearer(keys.signHs256(claims, keys.publicKeyPem))],
      ['HS256 keyed with the app password', bearer(keys.signHs256(claims, PASSWORD))],
      ['HS256 keyed with the app id', bearer(keys.signHs256(claims, APP_ID))],
      ['ES256 from a key of the forger’s', bearer(ecToken(claims))],
      // Signatures.
      ['signed with the forger’s key, claiming the published kid', bearer(keys.sign(claims, { key: 'unpublished' }))],
      ['signed with the forger’s key and an unknown kid', bearer(keys.sign(claims, { key: 'unpublished', kid: 'forger-key' }))],
      ['no kid', bearer(keys.sign(claims, { kid: null }))],
      ['a kid that looks like a path', bearer(keys.sign(claims, { key: 'unpublished', kid: '../keys' }))],
      ['the forger’s key advertised in jku', bearer(keys.sign(claims, { key: 'unpublished', header: { jku: 'http://127.0.0.1:9/keys.json' } }))],
      ['the forger’s key embedded in x5c', bearer(keys.sign(claims, { key: 'unpublished', header: { x5c: ['MIIBforged'] } }))],
      ['another token’s signature spliced on', bearer(`${keys.sign(genuine(a, { aud: 'other-app' })).split('.').slice(0, 2).join('.')}.${realSignature}`)],
      ['the signature truncated', bearer(real.slice(0, -10))],
      ['the signature with one character changed', bearer(`${real.slice(0, -2)}${real.endsWith('AA') ? 'BB' : 'AA'}`)],
      ['an empty signature', bearer(`${real.split('.').slice(0, 2).join('.')}.`)],
      ['the audience changed after signing', bearer(tamper(real, (c) => ({ ...c, aud: 'other-app' })))],
      ['the service URL changed after signing', bearer(tamper(real, (c) => ({ ...c, serviceurl: 'http://127.0.0.1:9/' })))],
      ['the expiry extended after signing', bearer(tamper(keys.sign(genuine(a, { exp: now() - 3600 })), (c) => ({ ...c, exp: now() + 3600 })))],
      // Claims, correctly signed with the published key.
      ['another issuer', bearer(keys.sign({ ...claims, iss: 'https://attacker.example' }))],
      ['no issuer', bearer(keys.sign(without(claims, 'iss')))],
      ['another bot’s audience', bearer(keys.sign({ ...claims, aud: '11111111-1111-4111-8111-111111111111' }))],
      ['no audience', bearer(keys.sign(without(claims, 'aud')))],
      ['an audience list naming another bot', bearer(keys.sign({ ...claims, aud: ['11111111-1111-4111-8111-111111111111'] }))],
      ['expired an hour ago', bearer(keys.sign({ ...claims, exp: now() - 3600 }))],
      ['expired beyond the five minutes of tolerance', bearer(keys.sign({ ...claims, exp: now() - 420 }))],
      ['not valid for another hour', bearer(keys.sign({ ...claims, nbf: now() + 3600 }))],
      ['no service URL claim', bearer(keys.sign(without(claims, 'serviceurl')))],
      ['another service URL', bearer(keys.sign({ ...claims, serviceurl: 'https://smba.trafficmanager.net/attacker/' }))],
      ['the service URL with a different ending', bearer(keys.sign({ ...claims, serviceurl: `${a.serviceUrl}x` }))],
      ['a key endorsed for another channel only', bearer(keys.sign(claims, { key: 'other-channel' }))],
      // Emulator-style tokens (another validation path inside botbuilder).
      ['an emulator token for another app', bearer(keys.sign({ iss: EMULATOR_ISSUER, aud: APP_ID, ver: '1.0', appid: 'other-app', nbf: now() - 60, exp: now() + 3600 }))],
      ['an emulator token signed by the forger', bearer(keys.sign({ iss: EMULATOR_ISSUER, aud: APP_ID, ver: '1.0', appid: APP_ID, nbf: now() - 60, exp: now() + 3600 }, { key: 'unpublished' }))],
    ];
  };

  it('passes a genuine token (the control): the forgeries below fail on what was forged', async () => {
    const auth = createBotFrameworkAuthentication(CONFIG, undefined, { openIdMetadataUrl: keys.openIdMetadataUrl });
    for (const [, build] of activities) {
      const activity = build();
      await expect(auth.authenticateRequest(activity as never, `Bearer ${keys.sign(genuine(activity))}`)).resolves.toBeTruthy();
    }
  });

  it('refuses every forged token with 401: no turn, nothing written, nothing sent', async () => {
    const before = await dbFingerprint(db);
    const outcomes: [string, number][] = [];
    for (const [kind, build] of activities) {
      const activity = build();
      for (const [name, authorization] of forgeries(activity)) {
        const res = await fetch(`${url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
          body: JSON.stringify(activity),
        });
        outcomes.push([`${kind}: ${name}`, res.status]);
      }
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(60);
    expect(outcomes.filter(([, status]) => status !== 401)).toEqual([]);
    expect(await dbFingerprint(db)).toBe(before);
    expect(connector.requests).toEqual([]);
    // botbuilder fetched the keys from loopback only (never the internet), at least once.
    expect(keys.fetches).toBeGreaterThan(0);
    expect(logs.filter((l) => l.includes('Teams turn failed'))).toEqual([]);
  });
});
