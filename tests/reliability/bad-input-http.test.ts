// Bad input over HTTP against the real app: `src/main.ts` in a child process with Slack (HTTP mode)
// and Teams (POST /api/messages, authentication off as for local testing) on one server, the demo
// plan, the fake Slack Web API and the fake Bot Framework connector. Forged, replayed and expired
// Slack signatures; unsigned floods of nested brackets; oversize and malformed bodies; malformed Teams activities; and property tests
// of the Slack request path. After each case the plan data must be unchanged (unless the case is
// documented to write), and at the end the process must still be running and /healthz answer 200.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORRY_TEXT } from '../../src/platforms/slack/listener-deps.js';
import { closeDatabase } from '../../src/store/database.js';
import { type BotConnectorServer, startBotConnectorServer } from '../helpers/bot-connector-server.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { slashCommandBody } from '../helpers/slack-requests.js';
import { personalMessage, type TeamsActivity } from '../helpers/teams-activities.js';
import { type Outcome, send, signedRequest, slashRequest } from './support/http-client.js';
import { killAllChildren, type RunningService, startSlackService } from './support/processes.js';
import { integrityCheck, removeDatabaseCopy, report, withReadOnly } from './support/sqlite.js';

const SECRET = 'bad-input-signing-secret';
const TOKEN = 'xoxb-bad-input';
const NOW = '2024-11-18T10:00';
const MORGAN = 'U0DEMO03'; // owns ND-1.1
const MORGAN_TEAMS = { id: '29:demo-03', aadObjectId: 'aad-demo-03', name: 'Morgan Demo' };

/** Everything a command could write (as tests/helpers/demo-plan-db.ts dbFingerprint), read from outside. */
function fingerprint(path: string): string {
  return withReadOnly(path, (db) => {
    const q = (sql: string) => JSON.stringify(db.prepare(sql).all());
    return [
      q('select * from updates order by id'),
      q('select * from due_date_changes order by id'),
      q('select id, status, percent, due, baseline_due, owner_role_id, owner_person_id from actions order by id'),
      q('select * from role_assignments order by id'),
      q('select id, away_until, delegate_id, slack_user_id, teams_user_id from people order by id'),
      q('select count(*) from audit_log'),
      // Nothing left acknowledged but not done, to be replayed on the next start.
      q("select count(*) from slack_inbox where state = 'pending'"),
    ].join('\n');
  });
}

const settle = () => new Promise((r) => setTimeout(r, 400));

describe('bad input over HTTP (src/main.ts in a child process, Slack and Teams)', () => {
  let api: SlackApiServer;
  let connector: BotConnectorServer;
  let service: RunningService;
  let dbPath: string;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    api = await startSlackApiServer({ token: TOKEN });
    connector = await startBotConnectorServer();
    const { db, path } = await demoPlanDb();
    await closeDatabase(db);
    dbPath = path;
    service = await startSlackService({
      databasePath: dbPath,
      slackApiUrl: api.apiUrl,
      signingSecret: SECRET,
      botToken: TOKEN,
      now: NOW,
      extraEnv: { TEAMS_ALLOW_UNAUTHENTICATED: 'true' },
    });
  });
  afterAll(async () => {
    if (service?.child.running) await service.child.stop();
    await killAllChildren();
    await connector?.close();
    await api?.close();
    removeDatabaseCopy(dbPath);
    report('bad input over HTTP', figures);
  });

  const post = (req: Parameters<typeof send>[1]): Promise<Outcome> => send(service.url, req);
  const slash = (text: string, sign: { secret?: string; timestamp?: number } = {}, responseId = `r${Math.random().toString(36).slice(2)}`) =>
    slashRequest({ text, user_id: MORGAN, response_url: api.responseUrl(responseId) }, { secret: sign.secret ?? SECRET, ...(sign.timestamp !== undefined ? { timestamp: sign.timestamp } : {}) });
  const replies = (id: string) => api.callsTo('response_url').filter((c) => c.responseUrlId === id);

  describe('Slack signatures', () => {
    it('refuses a request signed with the wrong secret (forged): 401, nothing run, nothing written', async () => {
      const before = fingerprint(dbPath);
      const res = await post(slash('update ND-1.1 red forged', { secret: 'not-the-secret' }, 'forged'));
      expect(res.status).toBe(401);
      await settle();
      expect(replies('forged')).toEqual([]);
      expect(fingerprint(dbPath)).toBe(before);
    });

    it.each([
      ['expired (301 s old)', -301],
      ['expired (an hour old)', -3600],
      ['from the future (301 s ahead)', 301],
    ])('refuses a correctly signed request %s: 401, nothing written', async (_name, shift) => {
      const before = fingerprint(dbPath);
      const id = `expired${shift}`;
      const res = await post(slash('update ND-1.1 red too late', { timestamp: Math.floor(Date.now() / 1000) + shift }, id));
      expect(res.status).toBe(401);
      await settle();
      expect(replies(id)).toEqual([]);
      expect(fingerprint(dbPath)).toBe(before);
    });

    it('replayed: the same signed request sent again within five minutes is refused (401) and runs once', async () => {
      const token = `replay${Date.now().toString(36)}`;
      const req = slash(`update ND-1.1 amber replay check ${token}`, {}, 'replayed');
      const first = await post(req);
      const second = await post(req);
      expect([first.status, second.status]).toEqual([200, 401]);
      await api.waitForCalls('response_url', 1, 5000);
      await settle();
      const stored = withReadOnly(dbPath, (db) => db.prepare('select id, raw_text from updates where note like ?').all(`%${token}%`));
      figures.replayStoredRows = stored.length;
      expect(replies('replayed')).toHaveLength(1);
      expect(stored).toHaveLength(1);
    });

    it.each([
      ['an unsigned 4 MB body of nested brackets', {}],
      ['the same with a wrong signature', { 'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-slack-signature': `v0=${'0'.repeat(64)}` }],
    ])('refuses %s with 401, and stays healthy', async (_name, headers) => {
      const depth = Math.floor((4 * 1024 * 1024 - 8) / 2);
      const res = await post({ path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: `payload=${'['.repeat(depth)}${']'.repeat(depth)}`, timeoutMs: 30_000 });
      expect(res.status).toBe(401);
      (figures.nestedBracketsMs as number[] | undefined) ?? (figures.nestedBracketsMs = []);
      (figures.nestedBracketsMs as number[]).push(Math.round(res.latencyMs));
      expect((await post({ method: 'GET', path: '/healthz' })).status).toBe(200);
    });
  });

  describe('oversize and malformed Slack bodies', () => {
    it('answers a signed 10 MB body with 413 (at most 4 MB is read), an unsigned one with 401, and stays healthy', async () => {
      const before = fingerprint(dbPath);
      const huge = `${new URLSearchParams(slashCommandBody({ text: 'update ND-1.1 red big', user_id: MORGAN })).toString()}&pad=${'a'.repeat(10 * 1024 * 1024)}`;
      const signed = await post({ ...signedRequest(huge, { secret: SECRET }), timeoutMs: 30_000 });
      const unsigned = await post({ path: '/slack/events', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: huge, timeoutMs: 30_000 });
      figures.oversize = { signed: signed.status || signed.error, unsigned: unsigned.status || unsigned.error };
      // 413, or the connection closed while the client was still sending the rest of the 10 MB.
      expect(signed.status === 413 || (signed.status === 0 && /ECONNRESET|EPIPE/.test(signed.error ?? '')), JSON.stringify(signed)).toBe(true);
      // Unsigned: refused before its size matters.
      expect(unsigned.status, JSON.stringify(unsigned)).toBe(401);
      expect((await post({ method: 'GET', path: '/healthz' })).status).toBe(200);
      expect(fingerprint(dbPath)).toBe(before);
    });

    const command = new URLSearchParams(slashCommandBody({ text: 'update ND-1.1 red malformed', user_id: MORGAN, response_url: 'http://127.0.0.1:9/x' })).toString();
    const malformed: [string, string, string][] = [
      ['bad JSON in payload', 'payload=%7B%22type%22%3A%22block_actions%22%2C', 'application/x-www-form-urlencoded'],
      ['payload that is JSON but not an object', `payload=${encodeURIComponent('"just a string"')}`, 'application/x-www-form-urlencoded'],
      ['block_actions with no actions, user or team', `payload=${encodeURIComponent('{"type":"block_actions"}')}`, 'application/x-www-form-urlencoded'],
      ['view_submission with no view', `payload=${encodeURIComponent('{"type":"view_submission","user":{"id":"U0DEMO03"}}')}`, 'application/x-www-form-urlencoded'],
      ['block_actions with a null action', `payload=${encodeURIComponent('{"type":"block_actions","actions":[null],"user":{"id":"U0DEMO03"},"team":{"id":"T0SEND"}}')}`, 'application/x-www-form-urlencoded'],
      ['a form body sent as text/plain', command, 'text/plain'],
      ['a form body sent as application/json', command, 'application/json'],
      ['JSON sent as a form', '{"type":"event_callback"}', 'application/x-www-form-urlencoded'],
      ['an event_callback with no event', '{"type":"event_callback","team_id":"T0SEND","api_app_id":"A0SENDBOT"}', 'application/json'],
      ['a JSON array', '[1,2,3]', 'application/json'],
      ['JSON null', 'null', 'application/json'],
      ['truncated form data (cut mid-field)', command.slice(0, Math.floor(command.length / 2)), 'application/x-www-form-urlencoded'],
      ['form data cut inside a percent escape', `${command.slice(0, command.indexOf('text=') + 5)}update%20ND-1.1%2`, 'application/x-www-form-urlencoded'],
      ['a slash command without user_id', command.replace(/user_id=[^&]*&?/, ''), 'application/x-www-form-urlencoded'],
      ['a slash command for another command name', command.replace('command=%2Fsend', 'command=%2Fother'), 'application/x-www-form-urlencoded'],
      ['an empty body', '', 'application/x-www-form-urlencoded'],
      ['binary junk', '\u0000\u0001\u00ff\u00fe{{{', 'application/octet-stream'],
    ];
    it.each(malformed)('answers %s (correctly signed) with a 4xx or 2xx, never 5xx, and writes nothing', async (_name, body, contentType) => {
      const before = fingerprint(dbPath);
      const res = await post({ ...signedRequest(body, { secret: SECRET, contentType }), timeoutMs: 10_000 });
      (figures.malformed as Record<string, number> | undefined) ?? (figures.malformed = {});
      (figures.malformed as Record<string, number>)[_name] = res.status;
      expect(res.status, res.error).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(500);
      await settle();
      expect(fingerprint(dbPath)).toBe(before);
      expect(service.child.running).toBe(true);
    });
  });

  describe('malformed Teams activities (POST /api/messages)', () => {
    const valid = () => personalMessage({ serviceUrl: connector.url, user: MORGAN_TEAMS, text: 'update ND-1.1 red from a malformed activity' });
    const cases: [string, () => unknown][] = [
      ['missing from', () => ({ ...valid(), from: undefined })],
      ['missing conversation', () => ({ ...valid(), conversation: undefined })],
      ['missing serviceUrl', () => ({ ...valid(), serviceUrl: undefined })],
      ['from as a string', () => ({ ...valid(), from: '29:demo-03' })],
      ['conversation as a number', () => ({ ...valid(), conversation: 42 })],
      ['text as a number', () => ({ ...valid(), text: 12345 })],
      ['text as an object', () => ({ ...valid(), text: { update: 'ND-1.1' } })],
      ['value that is not a card submit', () => ({ ...valid(), text: undefined, value: { sendbot: 'nonsense', ref: 42 } })],
      ['entities that are not an array', () => ({ ...valid(), entities: 'mention' })],
      ['huge text (900 kB, under the 1 MB limit)', () => ({ ...valid(), text: `update ND-1.1 red ${'x'.repeat(900_000)}` })],
      ['unknown activity type', () => ({ ...valid(), type: 'somethingNew' })],
      ['type that is not a string', () => ({ ...valid(), type: 7 })],
      ['an empty object', () => ({})],
      ['a JSON array', () => [valid()]],
    ];
    // A message or invoke with no usable conversation or serviceUrl is refused (400) before it runs:
    // no update is stored for a reply that could never reach the sender.
    for (const [name, build] of cases) {
      it(`answers an activity with ${name} with 2xx/4xx, never 5xx, and writes nothing`, async () => {
        const before = fingerprint(dbPath);
        const res = await post({ path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify(build() as TeamsActivity), timeoutMs: 15_000 });
        (figures.teams as Record<string, number> | undefined) ?? (figures.teams = {});
        (figures.teams as Record<string, number>)[name] = res.status;
        expect(res.status, `${res.error ?? ''} ${res.body}`).toBeGreaterThanOrEqual(200);
        expect(res.status, res.body).toBeLessThan(500);
        await settle();
        expect(fingerprint(dbPath)).toBe(before);
        expect(service.child.running).toBe(true);
      });
    }

    it('answers bad JSON and a 2 MB activity with 400 and 413', async () => {
      const bad = await post({ path: '/api/messages', headers: { 'content-type': 'application/json' }, body: '{"type":"message",' });
      expect(bad.status).toBe(400);
      const huge = await post({ path: '/api/messages', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...valid(), text: 'x'.repeat(2 * 1024 * 1024) }), timeoutMs: 30_000 });
      expect(huge.status === 413 || (huge.status === 0 && /ECONNRESET|EPIPE/.test(huge.error ?? '')), JSON.stringify({ ...huge, body: huge.body.slice(0, 100) })).toBe(true);
    });
  });

  describe('properties of the Slack request path', () => {
    const commandWords = ['update', 'u', 'who', 'mine', 'due', 'away', 'back', 'digest', 'help', 'status', 'boards', 'admin', ''];
    const anyText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.tuple(fc.constantFrom(...commandWords), fc.array(fc.oneof(fc.constantFrom('ND-1.1', 'TR-2.1', 'ND-99.9', 'green', 'amber', 'red', 'blue', '150%', '-5%', 'due:', 'due:yesterday', 'due:31/02/2025', 'evidence:javascript:alert(1)', '<!channel>', '<@U123>', '*bold*', '`code`', '"', '%', '\u0000', '\u202e'), fc.string({ maxLength: 30 })), { maxLength: 8 })).map(([w, rest]) => [w, ...rest].join(' ')),
    );

    it('random text after /send always gets an HTTP 200 and a reply that is not an internal error', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(anyText, async (text) => {
          runs += 1;
          const id = `prop${runs}`;
          const res = await post(slash(text, {}, id));
          expect(res.status).toBe(200);
          const deadline = Date.now() + 10_000;
          while (replies(id).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
          const got = replies(id);
          expect(got.length, `no reply to /send ${JSON.stringify(text)}`).toBeGreaterThan(0);
          for (const r of got) expect(String(r.body.text), `/send ${JSON.stringify(text)}`).not.toContain(SORRY_TEXT);
        }),
        { numRuns: 150, interruptAfterTimeLimit: 120_000 },
      );
      figures.propertyRunsSlashText = runs;
    });

    it('random JSON, correctly signed, as an interaction payload or an Events API body, never gets a 5xx or a crash', async () => {
      let runs = 0;
      const shaped = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record(
          {
            type: fc.constantFrom('block_actions', 'view_submission', 'view_closed', 'shortcut', 'message_action', 'block_suggestion', 'event_callback', 'url_verification', 'dialog_submission'),
            user: fc.oneof(fc.constant({ id: MORGAN }), fc.jsonValue({ maxDepth: 1 })),
            team: fc.oneof(fc.constant({ id: 'T0SEND' }), fc.jsonValue({ maxDepth: 1 })),
            actions: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
            view: fc.oneof(fc.record({ callback_id: fc.string(), private_metadata: fc.string(), state: fc.jsonValue({ maxDepth: 2 }) }), fc.jsonValue({ maxDepth: 1 })),
            event: fc.jsonValue({ maxDepth: 2 }),
            command: fc.string(),
          },
          { requiredKeys: ['type'] },
        ),
      );
      await fc.assert(
        fc.asyncProperty(shaped, fc.boolean(), async (value, asForm) => {
          runs += 1;
          const json = JSON.stringify(value) ?? 'null';
          const req = asForm
            ? signedRequest(`payload=${encodeURIComponent(json)}`, { secret: SECRET })
            : signedRequest(json, { secret: SECRET, contentType: 'application/json' });
          const res = await post({ ...req, timeoutMs: 10_000 });
          expect(res.status, `${res.error ?? ''} for ${asForm ? 'payload=' : ''}${json.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `for ${asForm ? 'payload=' : ''}${json.slice(0, 300)}`).toBeLessThan(500);
        }),
        { numRuns: 150, interruptAfterTimeLimit: 150_000 },
      );
      figures.propertyRunsRandomJson = runs;
      expect(service.child.running).toBe(true);
    });

    it('random bytes, correctly signed, with any content type, never get a 5xx', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', 'multipart/form-data'), async (bytes, contentType) => {
          runs += 1;
          const res = await post({ ...signedRequest(Buffer.from(bytes), { secret: SECRET, contentType }), timeoutMs: 10_000 });
          expect(res.status, res.error).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 100, interruptAfterTimeLimit: 120_000 },
      );
      figures.propertyRunsRandomBytes = runs;
    });
  });

  it('is still running and healthy at the end, with a sound database', async () => {
    expect(service.child.running).toBe(true);
    const health = await post({ method: 'GET', path: '/healthz' });
    expect([health.status, health.body]).toEqual([200, '{"ok":true,"db":"ok"}']);
    // Nothing fatal and nothing node reports as uncaught. (Listener errors that Bolt caught and the app
    // logged, e.g. for random block_actions, are handled: the request was answered without a 5xx.)
    const fatal = service.child.lines.filter(
      (l) => Number(l.json?.level) >= 60 || (l.stream === 'stderr' && /Uncaught|UnhandledPromiseRejection|triggerUncaughtException/.test(l.raw)),
    );
    figures.errorsLoggedByApp = service.child.lines.filter((l) => Number(l.json?.level) === 50).length;
    expect(fatal.map((l) => l.raw)).toEqual([]);
    const stopped = await service.child.stop();
    expect(stopped.code).toBe(0);
    expect(integrityCheck(dbPath)).toBe('ok');
  });
});
