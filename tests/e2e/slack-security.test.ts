// Attacks on POST /slack/events over real HTTP, against the real Bolt app on sendbot's HTTP server
// (the fake Slack Web API standing in for Slack): unsigned floods, forged signatures, replays,
// duplicate form fields, other workspaces, email impersonation, hidden characters, NHS numbers in
// disguise; and the durable inbox that makes an acknowledged command survive a crash.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { fixedClock, toStoredInstant, parseInstant } from '../../src/clock.js';
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js';
import { createSlackApp, type SlackApp } from '../../src/platforms/slack/slack-app.js';
import { ACTION_IDS, UPDATE_MODAL_ACTIONS, UPDATE_MODAL_BLOCKS, UPDATE_MODAL_CALLBACK_ID } from '../../src/render/block-kit.js';
import { signSlackRequest } from '../../src/platforms/slack/signing.js';
import type { Db } from '../../src/store/database.js';
import { addToInbox } from '../../src/store/slack-inbox-repository.js';
import { dbFingerprint, DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { blockActionPayload, postInteraction, postSigned, postSlashCommand, slashCommandBody, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { send } from '../reliability/support/http-client.js';
import { closeTestDb, one, rows, run, sql, testDbAt } from '../helpers/test-db.js';

const SECRET = 'security-signing-secret';
const NOW = '2024-11-18T10:00';
const MORGAN = 'U0DEMO03'; // Head of SEND: owns ND-1.1
const ALEX = 'U0DEMO01'; // programme officer (admin)
const FORM = 'application/x-www-form-urlencoded';

interface Running {
  db: Db;
  path: string;
  url: string;
  slack: SlackApp;
  logs: string[];
  stop(): Promise<void>;
}

const seconds = () => Math.floor(Date.now() / 1000);
const updatesMatching = async (db: Db, text: string) =>
  await rows(db, sql`select id, person_id, note, raw_text from updates where raw_text like ${`%${text}%`} order by id`) as { id: number; person_id: number; note: string; raw_text: string }[];
const settle = (ms = 250) => new Promise((r) => setTimeout(r, ms));

describe('Slack endpoint under attack', () => {
  let api: SlackApiServer;
  let app: Running;
  const extra: Running[] = [];

  /** The real app on a database file (a copy of the demo plan unless `path` is given). */
  async function startApp(path?: string): Promise<Running> {
    const db = path ? await testDbAt(path) : undefined;
    const made = db ? { db, path: path as string } : await demoPlanDb();
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
    const http: HttpServer = createHttpServer({ db: made.db, logger });
    const slack = await createSlackApp({ db: made.db, clock: fixedClock(NOW), config: { botToken: 'xoxb-sec', signingSecret: SECRET, apiUrl: api.apiUrl }, logger });
    await slack.start(http);
    const { url } = await http.listen(0, '127.0.0.1');
    return {
      ...made,
      url,
      slack,
      logs,
      stop: async () => {
        await slack.stop();
        await http.close();
        await closeTestDb(made.db);
      },
    };
  }

  beforeAll(async () => {
    api = await startSlackApiServer({
      token: 'xoxb-sec',
      users: [
        { id: 'U0IMPOSTOR', email: DEMO.headOfSend, realName: 'Not Morgan' },
        { id: 'U0SLOWLEAH', email: DEMO.clinicalLeadSolent },
      ],
    });
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    app = await startApp();
  });
  afterEach(async () => {
    for (const r of extra.splice(0)) await r.stop();
    await app.stop();
  });

  const slash = (userId: string, text: string, fields: Record<string, string> = {}, options = {}) =>
    postSlashCommand(app.url, SECRET, { text, user_id: userId, response_url: api.responseUrl(), ...fields }, options);
  const replyText = async (count = 1) => JSON.stringify((await api.waitForCalls('response_url', count, 5000)).map((c) => c.body));

  describe('unsigned and forged requests', () => {
    /** `payload=[[[…]]]`, 4 MB: parsing it used to block the event loop for seconds per request. */
    const nested = (() => {
      const depth = Math.floor((4 * 1024 * 1024 - 'payload='.length) / 2);
      return Buffer.from(`payload=${'['.repeat(depth)}${']'.repeat(depth)}`);
    })();

    it('answers 50 unsigned 4 MB bodies of nested brackets with 401 while /healthz keeps answering', async () => {
      const before = await dbFingerprint(app.db);
      const started = performance.now();
      const flood = Array.from({ length: 50 }, () => send(app.url, { path: '/slack/events', headers: { 'content-type': FORM }, body: nested, timeoutMs: 60_000 }));
      const health = [];
      for (let i = 0; i < 5; i += 1) {
        health.push(await send(app.url, { method: 'GET', path: '/healthz', timeoutMs: 60_000 }));
        await settle(20);
      }
      const answers = await Promise.all(flood);
      const elapsed = performance.now() - started;
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(401));
      expect(health.map((h) => h.status)).toEqual(Array(5).fill(200));
      // Figures, not a target (npm run bench:slack-dos measures properly).
      console.info(`50 unsigned 4 MB requests answered in ${Math.round(elapsed)} ms; slowest /healthz ${Math.round(Math.max(...health.map((h) => h.latencyMs)))} ms`);
      expect(elapsed).toBeLessThan(30_000);
      expect(await dbFingerprint(app.db)).toBe(before);
    });

    it('reads a badly signed 4 MB body only as far as the HMAC needs, and answers 401', async () => {
      const ts = seconds();
      const res = await send(app.url, {
        path: '/slack/events',
        headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest('not-the-secret', ts, nested) },
        body: nested,
        timeoutMs: 60_000,
      });
      expect(res.status).toBe(401);
      const oversize = await send(app.url, {
        path: '/slack/events',
        headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signSlackRequest(SECRET, ts, 'x'), 'content-length': String(5 * 1024 * 1024) },
        body: Buffer.alloc(64),
        timeoutMs: 10_000,
      });
      // Refused from the declared length alone, before the body arrives.
      expect(oversize.status).toBe(413);
    });

    // 38 ways to get a signature wrong; every one is refused with 401, runs nothing and writes nothing.
    const body = new URLSearchParams(slashCommandBody({ text: 'update ND-1.1 red forged', user_id: MORGAN })).toString();
    const good = (ts: number) => signSlackRequest(SECRET, ts, body);
    const hex = (ts: number) => good(ts).slice(3);
    const forgeries: [string, (ts: number) => { timestamp?: string; signature?: string; body?: string }][] = [
      ['no headers at all', () => ({})],
      ['no signature', (ts) => ({ timestamp: String(ts) })],
      ['no timestamp', (ts) => ({ signature: good(ts) })],
      ['signed with another secret', (ts) => ({ timestamp: String(ts), signature: signSlackRequest('guess', ts, body) })],
      ['signed with an empty secret', (ts) => ({ timestamp: String(ts), signature: signSlackRequest('', ts, body) })],
      ['the body changed after signing (status)', (ts) => ({ timestamp: String(ts), signature: good(ts), body: body.replace('red', 'green') })],
      ['the body changed after signing (user)', (ts) => ({ timestamp: String(ts), signature: good(ts), body: body.replace(MORGAN, ALEX) })],
      ['the body changed after signing (appended field)', (ts) => ({ timestamp: String(ts), signature: good(ts), body: `${body}&x=1` })],
      ['the body truncated', (ts) => ({ timestamp: String(ts), signature: good(ts), body: body.slice(0, -5) })],
      ['an empty body with a signature for the real one', (ts) => ({ timestamp: String(ts), signature: good(ts), body: '' })],
      ['signed for another timestamp', (ts) => ({ timestamp: String(ts + 1), signature: good(ts) })],
      ['signed without the v0 prefix in the base string', (ts) => ({ timestamp: String(ts), signature: `v0=${signSlackRequest(SECRET, ts, body).slice(3).split('').reverse().join('')}` })],
      ['version v1', (ts) => ({ timestamp: String(ts), signature: `v1=${hex(ts)}` })],
      ['no version', (ts) => ({ timestamp: String(ts), signature: hex(ts) })],
      ['upper-case hex', (ts) => ({ timestamp: String(ts), signature: `v0=${hex(ts).toUpperCase()}` })],
      ['one hex digit short', (ts) => ({ timestamp: String(ts), signature: good(ts).slice(0, -1) })],
      ['one hex digit extra', (ts) => ({ timestamp: String(ts), signature: `${good(ts)}0` })],
      ['last digit changed', (ts) => ({ timestamp: String(ts), signature: `${good(ts).slice(0, -1)}${good(ts).endsWith('0') ? '1' : '0'}` })],
      ['all zeros', (ts) => ({ timestamp: String(ts), signature: `v0=${'0'.repeat(64)}` })],
      ['empty', (ts) => ({ timestamp: String(ts), signature: '' })],
      ['just v0=', (ts) => ({ timestamp: String(ts), signature: 'v0=' })],
      ['base64 instead of hex', (ts) => ({ timestamp: String(ts), signature: `v0=${Buffer.from(hex(ts), 'hex').toString('base64')}` })],
      ['two signatures', (ts) => ({ timestamp: String(ts), signature: `${good(ts)},${good(ts)}` })],
      ['HMAC-SHA1 instead of SHA-256', (ts) => ({ timestamp: String(ts), signature: `v0=${createHmac('sha1', SECRET).update(`v0:${ts}:${body}`).digest('hex')}` })],
      ['301 s old', (ts) => ({ timestamp: String(ts - 301), signature: good(ts - 301) })],
      ['an hour old', (ts) => ({ timestamp: String(ts - 3600), signature: good(ts - 3600) })],
      ['a day old', (ts) => ({ timestamp: String(ts - 86_400), signature: good(ts - 86_400) })],
      ['301 s ahead', (ts) => ({ timestamp: String(ts + 301), signature: good(ts + 301) })],
      ['a year ahead', (ts) => ({ timestamp: String(ts + 31_536_000), signature: good(ts + 31_536_000) })],
      ['timestamp 0', () => ({ timestamp: '0', signature: good(0) })],
      ['timestamp Infinity', () => ({ timestamp: 'Infinity', signature: signSlackRequest(SECRET, 'Infinity', body) })],
      ['timestamp NaN', () => ({ timestamp: 'NaN', signature: signSlackRequest(SECRET, 'NaN', body) })],
      ['timestamp with an exponent', (ts) => ({ timestamp: `${ts / 1000}e3`, signature: signSlackRequest(SECRET, `${ts / 1000}e3`, body) })],
      ['timestamp with a fraction', (ts) => ({ timestamp: `${ts}.0`, signature: signSlackRequest(SECRET, `${ts}.0`, body) })],
      ['timestamp negative', (ts) => ({ timestamp: `-${ts}`, signature: signSlackRequest(SECRET, `-${ts}`, body) })],
      ['timestamp in hex', (ts) => ({ timestamp: `0x${ts.toString(16)}`, signature: signSlackRequest(SECRET, `0x${ts.toString(16)}`, body) })],
      ['timestamp padded with spaces', (ts) => ({ timestamp: ` ${ts} `, signature: signSlackRequest(SECRET, ` ${ts} `, body) })],
      ['timestamp in milliseconds', (ts) => ({ timestamp: String(ts * 1000), signature: good(ts * 1000) })],
    ];

    it(`refuses all ${forgeries.length} forged signatures with 401, running and writing nothing`, async () => {
      expect(forgeries).toHaveLength(38);
      const before = await dbFingerprint(app.db);
      const statuses: Record<string, number> = {};
      for (const [name, forge] of forgeries) {
        const f = forge(seconds());
        const headers: Record<string, string> = { 'content-type': FORM };
        if (f.timestamp !== undefined) headers['x-slack-request-timestamp'] = f.timestamp;
        if (f.signature !== undefined) headers['x-slack-signature'] = f.signature;
        const res = await fetch(new URL('/slack/events', app.url), { method: 'POST', headers, body: f.body ?? body });
        statuses[name] = res.status;
      }
      expect(Object.entries(statuses).filter(([, s]) => s !== 401)).toEqual([]);
      await settle();
      expect(api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(await dbFingerprint(app.db)).toBe(before);
    });

    it('still answers Slack’s unsigned SSL check (a few bytes), and runs nothing smuggled with it', async () => {
      const before = await dbFingerprint(app.db);
      const ok = await fetch(new URL('/slack/events', app.url), { method: 'POST', headers: { 'content-type': FORM }, body: 'ssl_check=1&token=x' });
      expect(ok.status).toBe(200);
      const smuggled = await fetch(new URL('/slack/events', app.url), { method: 'POST', headers: { 'content-type': FORM }, body: `ssl_check=1&${body}` });
      expect(smuggled.status).toBe(200);
      const large = await fetch(new URL('/slack/events', app.url), { method: 'POST', headers: { 'content-type': FORM }, body: `ssl_check=1&pad=${'x'.repeat(1000)}` });
      expect(large.status).toBe(401);
      await settle();
      expect(api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(await dbFingerprint(app.db)).toBe(before);
    });
  });

  describe('replays', () => {
    it('runs a signed request once: the same request again within five minutes gets 401', async () => {
      const fields = { text: 'update ND-1.1 amber replay-once', user_id: MORGAN, response_url: api.responseUrl() };
      const timestamp = seconds();
      const first = await postSlashCommand(app.url, SECRET, { ...fields, timestamp }, { headers: {} });
      expect(first.status).toBe(200);
      await replyText();
      const raw = new URLSearchParams(slashCommandBody(fields)).toString();
      // The exact same bytes and headers: postSlashCommand would mint a new trigger_id, so resend raw.
      const again = await postSigned(app.url, SECRET, raw, FORM, { timestamp });
      const replayOfFirst = await fetch(new URL('/slack/events', app.url), {
        method: 'POST',
        headers: { 'content-type': FORM, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(SECRET, timestamp, raw) },
        body: raw,
      });
      // `again` is a different request (new bytes are impossible to sign without the secret; this one
      // was signed by the test, as Slack would) — only a byte-for-byte resend is a replay.
      expect(again.status).toBe(200);
      expect(replayOfFirst.status).toBe(401);
      expect(app.logs.join('\n')).toContain('refused a Slack request already accepted once (a replay)');
    });

    it('refuses a replay sent to another instance on the same database (the cache is in SQLite)', async () => {
      const second = await startApp(app.path);
      extra.push(second);
      const raw = new URLSearchParams(slashCommandBody({ text: 'update ND-1.1 amber replay-across', user_id: MORGAN, response_url: api.responseUrl() })).toString();
      const timestamp = seconds();
      const headers = { 'content-type': FORM, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(SECRET, timestamp, raw) };
      const first = await fetch(new URL('/slack/events', app.url), { method: 'POST', headers, body: raw });
      const replayed = await fetch(new URL('/slack/events', second.url), { method: 'POST', headers, body: raw });
      expect([first.status, replayed.status]).toEqual([200, 401]);
      await replyText();
      await settle();
      expect(await updatesMatching(app.db, 'replay-across')).toHaveLength(1);
    });
  });

  describe('duplicate form fields', () => {
    it.each(['text', 'user_id', 'command', 'response_url', 'team_id'])('answers a command with two %s fields 400, naming the field, and runs nothing', async (field) => {
      const before = await dbFingerprint(app.db);
      const raw = `${new URLSearchParams(slashCommandBody({ text: 'update ND-1.1 red dup', user_id: MORGAN, response_url: api.responseUrl() })).toString()}&${field}=${field === 'user_id' ? ALEX : 'again'}`;
      const res = await postSigned(app.url, SECRET, raw, FORM);
      expect(res.status).toBe(400);
      expect(res.body).toBe(`The form field "${field}" was sent more than once; each field may appear only once.`);
      await settle();
      expect(api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(await dbFingerprint(app.db)).toBe(before);
    });

    it('answers an interaction with two payload fields 400', async () => {
      const payload = JSON.stringify(blockActionPayload({ userId: MORGAN, actionId: 'send_no_change', value: 'ND-1.1' }));
      const res = await postSigned(app.url, SECRET, `payload=${encodeURIComponent(payload)}&payload=${encodeURIComponent(payload)}`, FORM);
      expect(res.status).toBe(400);
      expect(res.body).toContain('"payload" was sent more than once');
    });
  });

  describe('other workspaces and borrowed emails', () => {
    it.each([
      ['another team_id', { team_id: 'T0EVIL' }],
      ['an enterprise_id this workspace is not part of', { enterprise_id: 'E0EVIL' }],
    ])('refuses a correctly signed command from %s: no lookup, nothing stored', async (_name, fields) => {
      const before = await dbFingerprint(app.db);
      const res = await slash('U0IMPOSTOR', 'update ND-1.1 red from elsewhere', fields);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ response_type: 'ephemeral', text: 'This sendbot serves the SEND test workspace only. Nothing was done.' });
      await settle();
      expect(api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(await dbFingerprint(app.db)).toBe(before);
      expect(await one(app.db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });
    });

    it('refuses a button pressed by someone whose home workspace is elsewhere (Slack Connect)', async () => {
      const before = await dbFingerprint(app.db);
      const payload = { ...blockActionPayload({ userId: 'U0IMPOSTOR', actionId: 'send_no_change', value: 'ND-1.1', responseUrl: api.responseUrl() }), user: { id: 'U0IMPOSTOR', team_id: 'T0EVIL' } };
      const res = await postInteraction(app.url, SECRET, payload);
      expect(res.status).toBe(200);
      await settle();
      expect(api.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
      expect(await dbFingerprint(app.db)).toBe(before);
    });

    it('never takes an account showing someone’s email to be them when they are linked to another Slack id', async () => {
      const before = await dbFingerprint(app.db);
      await slash('U0IMPOSTOR', 'update ND-1.1 red not really Morgan');
      const text = await replyText();
      expect(text).toContain('Your email is already linked to a different Slack account');
      expect(await dbFingerprint(app.db)).toBe(before);
      expect(await one(app.db, sql`select slack_user_id from people where email = ${DEMO.headOfSend}`)).toEqual({ slack_user_id: MORGAN });
    });

    it('audits who acted with their Slack id: a link by email, and an admin’s update', async () => {
      await run(app.db, sql`update people set slack_user_id = null where email = ${DEMO.clinicalLeadSolent}`);
      await slash('U0SLOWLEAH', 'mine');
      await replyText(1);
      await slash(ALEX, 'update ND-1.1 amber audited');
      await replyText(2);
      const audited = await rows(app.db, sql`select event, entity, platform, platform_user_id from audit_log order by id desc limit 2`);
      expect(audited).toEqual([
        { event: 'update.by_admin', entity: 'ND-1.1', platform: 'slack', platform_user_id: ALEX },
        { event: 'person.linked_slack', entity: DEMO.clinicalLeadSolent, platform: 'slack', platform_user_id: 'U0SLOWLEAH' },
      ]);
    });
  });

  describe('what a person writes', () => {
    it('strips bidi overrides and control characters from a stored note (the board paper cannot be reordered)', async () => {
      await slash(MORGAN, 'update ND-1.1 amber Budget \u202Edevorppa\u202C agreed\u0007 \u2066ok\u2069\u200B');
      await replyText();
      const [row] = await updatesMatching(app.db, 'Budget');
      expect(row?.note).toBe('Budget devorppa agreed ok');
      expect(row?.raw_text).toBe('/send update ND-1.1 amber Budget devorppa agreed ok');
    });

    it.each([
      ['non-breaking spaces', '943\u00A0476\u00A05919'],
      ['en dashes', '943–476–5919'],
      ['dots', '943.476.5919'],
      ['underscores', '943_476_5919'],
      ['full-width digits', '９４３ ４７６ ５９１９'],
      ['a right-to-left override inside', '943 476 \u202E5919'],
      ['zero-width spaces', '943\u200B476\u200B5919'],
    ])('refuses an NHS number written with %s, stores nothing and logs none of it', async (_name, nhs) => {
      const before = await dbFingerprint(app.db);
      await slash(MORGAN, `update ND-1.1 amber child ${nhs} seen`);
      const text = await replyText();
      expect(text).toContain('looks like an NHS number');
      expect(await dbFingerprint(app.db)).toBe(before);
      expect(app.logs.join('\n')).not.toMatch(/5919|child/);
    });

    it('still accepts ordinary text with dates, times and phone numbers', async () => {
      await slash(MORGAN, 'update ND-1.1 amber met 12.03.2025 10:30, next 14/04/2025; call 020 7946 0958 or 0800-123-4567');
      const text = await replyText();
      expect(text).toContain('Update recorded for ND-1.1');
    });
  });

  describe('forged permission attempts', () => {
    const LEAH = 'U0DEMO12'; // neither owner of ND-1.1, nor admin, nor chair
    const B = UPDATE_MODAL_BLOCKS;
    const A = UPDATE_MODAL_ACTIONS;
    const modal = (userId: string, ref: string, note: string) =>
      postInteraction(
        app.url,
        SECRET,
        viewSubmissionPayload({
          userId,
          callbackId: UPDATE_MODAL_CALLBACK_ID,
          values: {
            [B.action]: { [A.action]: { type: 'static_select', selected_option: { value: ref } } },
            [B.status]: { [A.status]: { type: 'static_select', selected_option: { value: 'red' } } },
            [B.note]: { [A.note]: { type: 'plain_text_input', value: note } },
          },
        }),
      );
    const click = (userId: string, actionId: string, value: string) => postInteraction(app.url, SECRET, blockActionPayload({ userId, actionId, value, responseUrl: api.responseUrl() }));
    const attempts: [string, () => Promise<{ status: number; body: string }>, RegExp][] = [
      ['a non-owner updates ND-1.1', () => slash(LEAH, 'update ND-1.1 red not mine'), /can't update ND-1\.1/],
      ['a non-owner asks for a new date on ND-1.1', () => slash(LEAH, 'update ND-1.1 due:"30 June 25" not mine'), /can't update ND-1\.1/],
      ['a non-owner records No change on ND-1.1', () => click(LEAH, ACTION_IDS.noChange, 'ND-1.1'), /can't update ND-1\.1/],
      ['a non-owner presses a reply’s No change on ND-1.1', () => click(LEAH, `${ACTION_IDS.buttonPrefix}no_change`, 'ND-1.1'), /can't update ND-1\.1/],
      ['a non-owner opens the update form for ND-1.1', () => click(LEAH, ACTION_IDS.update, 'ND-1.1'), /can't update ND-1\.1/],
      ['a non-owner submits the update form for ND-1.1', () => modal(LEAH, 'ND-1.1', 'not mine'), /can't update ND-1\.1/],
      ['a non-admin assigns ND-1.1 to themselves', () => slash(LEAH, 'assign ND-1.1 leah.testbury@example.org'), /Only programme officers \(admins\) can use assign/],
      ['a non-admin assigns ND-1.1 to someone else', () => slash(LEAH, `assign ND-1.1 ${DEMO.clinicalLeadSolent}`), /Only programme officers \(admins\) can use assign/],
      ['a non-admin hands a role over', () => slash(LEAH, `handover Head of SEND to ${DEMO.clinicalLeadSolent}`), /Only programme officers \(admins\) can use handover/],
      ['a non-admin confirms a handover by typing', () => slash(LEAH, `handover Head of SEND to ${DEMO.clinicalLeadSolent} confirm`), /Only programme officers \(admins\) can use handover/],
      ['a non-admin presses a crafted handover confirm button', () => click(LEAH, `${ACTION_IDS.buttonPrefix}confirm`, `/send handover Head of SEND to ${DEMO.clinicalLeadSolent} confirm`), /Only programme officers \(admins\) can use handover/],
      ['a non-admin presses a crafted assign confirm button', () => click(LEAH, `${ACTION_IDS.buttonPrefix}confirm`, `/send assign ND-1.1 ${DEMO.clinicalLeadSolent}`), /Only programme officers \(admins\) can use assign/],
      ['a confirm button carrying something other than a command', () => click(LEAH, `${ACTION_IDS.buttonPrefix}confirm`, 'DROP TABLE updates'), /not one I recognise/],
      ['a non-chair approves the date change', () => slash(LEAH, 'approve ND-1.1'), /Only the chair of .* or a programme officer can decide/],
      ['a non-chair rejects the date change', () => slash(LEAH, 'reject ND-1.1'), /Only the chair of .* or a programme officer can decide/],
      ['a non-chair approves through a crafted confirm button', () => click(LEAH, `${ACTION_IDS.buttonPrefix}confirm`, '/send approve ND-1.1'), /Only the chair of .* or a programme officer can decide/],
      ['the owner approves their own date change', () => slash(MORGAN, 'approve ND-1.1'), /Only the chair of .* or a programme officer can decide/],
      ['the owner (not an admin) reassigns their action', () => slash(MORGAN, `assign ND-1.1 ${DEMO.clinicalLeadSolent}`), /Only programme officers \(admins\) can use assign/],
      ['an account showing the owner’s email updates ND-1.1', () => slash('U0IMPOSTOR', 'update ND-1.1 red borrowed email'), /already linked to a different Slack account/],
      ['the owner’s user id from another workspace updates ND-1.1', () => slash(MORGAN, 'update ND-1.1 red from elsewhere', { team_id: 'T0EVIL' }), /serves the SEND test workspace only/],
    ];

    it(`refuses all ${attempts.length}, saying who can, and changes nothing`, async () => {
      expect(attempts).toHaveLength(20);
      // A pending date change for the approve and reject attempts.
      await slash(MORGAN, 'update ND-1.1 due:"31 March 25" waiting for the new contract');
      expect(await replyText()).toContain('Date change requested');
      api.reset();
      const before = await dbFingerprint(app.db);
      const refusals: string[] = [];
      for (const [name, attempt, refusal] of attempts) {
        const sent = api.callsTo('response_url').length;
        const res = await attempt();
        expect(res.status, name).toBe(200);
        // Refusals arrive through the response_url, in the modal's acknowledgement, or (another
        // workspace) in the slash command's acknowledgement.
        let answer = res.body;
        if (!refusal.test(answer)) answer = JSON.stringify((await api.waitForCalls('response_url', sent + 1, 5000)).slice(sent).map((c) => c.body));
        if (!refusal.test(answer)) refusals.push(`${name}: ${answer.slice(0, 300)}`);
      }
      expect(refusals).toEqual([]);
      await settle();
      expect(await dbFingerprint(app.db)).toBe(before);
    });
  });

  describe('durable inbox', () => {
    it('writes the command to the inbox before acknowledging, and removes it once done', async () => {
      await run(app.db, sql`update people set slack_user_id = null where email = ${DEMO.clinicalLeadSolent}`);
      // The caller is unknown, so the work after the ack waits for users.info; the ack does not.
      api.failNext('users.info', [{ delayMs: 800, body: { ok: true, user: { id: 'U0SLOWLEAH', team_id: 'T0SEND', profile: { email: DEMO.clinicalLeadSolent } } } }]);
      const res = await slash('U0SLOWLEAH', 'mine');
      expect(res.status).toBe(200);
      const pending = await rows(app.db, sql`select state, body from slack_inbox`) as { state: string; body: string }[];
      expect(pending.map((p) => p.state)).toEqual(['pending']);
      expect(JSON.parse(pending[0]?.body ?? '{}')).toMatchObject({ command: '/send', text: 'mine', user_id: 'U0SLOWLEAH' });
      await replyText();
      await settle(100);
      expect(await one(app.db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });
    });

    it('replays on start what a crash left acknowledged but not done, exactly once, answering through the response_url', async () => {
      const path = app.path;
      await app.stop();
      // What the middleware had committed when the process died: the command as Bolt parsed it.
      const crashed = await testDbAt(path);
      const body = slashCommandBody({ text: 'update ND-1.1 amber left in the inbox', user_id: MORGAN, response_url: api.responseUrl('replayed') });
      await addToInbox(crashed, toStoredInstant(parseInstant('2024-11-18T09:59')), JSON.stringify(body));
      await closeTestDb(crashed);

      app = await startApp(path);
      expect(await app.slack.replayed).toBe(1);
      const [answer] = await api.waitForCalls('response_url', 1, 5000);
      expect(answer?.responseUrlId).toBe('replayed');
      expect(String(answer?.body.text)).toContain('Update recorded for ND-1.1');
      const stored = await rows(app.db, sql`select created_at, platform from updates where note = 'left in the inbox'`);
      // Stored as of when it was sent (09:59 London), not when it was replayed.
      expect(stored).toEqual([{ created_at: '2024-11-18T09:59:00.000Z', platform: 'slack' }]);
      expect(await one(app.db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });

      // Another restart finds nothing to do.
      await app.stop();
      app = await startApp(path);
      expect(await app.slack.replayed).toBe(0);
      expect(await one(app.db, sql`select count(*) as n from updates where note = 'left in the inbox'`)).toEqual({ n: 1 });
    });

    it('never lets a finished request remove a later request’s row that reuses its id', async () => {
      // With plain rowids SQLite gives a new row the id after the largest one left, so once the inbox
      // is empty the next command would get the id the last one had. Here the first command is done
      // (its row gone) but still posting its answer when the second arrives; the second waits for
      // users.info, so its row is still pending when the first one finishes and tidies up.
      await run(app.db, sql`update people set slack_user_id = null where email = ${DEMO.clinicalLeadSolent}`);
      api.failNext('response_url', [{ delayMs: 400 }]);
      api.failNext('users.info', [{ delayMs: 800, body: { ok: true, user: { id: 'U0SLOWLEAH', team_id: 'T0SEND', profile: { email: DEMO.clinicalLeadSolent } } } }]);
      expect((await slash(ALEX, 'who ND-1.1', { response_url: api.responseUrl('first') })).status).toBe(200);
      await settle(100);
      expect(await one(app.db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });
      expect((await slash('U0SLOWLEAH', 'mine', { response_url: api.responseUrl('second') })).status).toBe(200);
      const replies = await api.waitForCalls('response_url', 2, 5000);
      expect(replies.map((c) => c.responseUrlId).sort()).toEqual(['first', 'second']);
      expect(String(replies.find((c) => c.responseUrlId === 'second')?.body.text)).not.toMatch(/sorry/i);
      await settle(100);
      expect(await one(app.db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });
    });

    it('stores a replayed update once even when two instances replay the same row', async () => {
      const path = app.path;
      await app.stop();
      const crashed = await testDbAt(path);
      await addToInbox(crashed, toStoredInstant(parseInstant(NOW)), JSON.stringify(slashCommandBody({ text: 'update ND-1.1 amber twice replayed', user_id: MORGAN, response_url: api.responseUrl() })));
      await closeTestDb(crashed);
      const [a, b] = await Promise.all([startApp(path), startApp(path)]);
      app = a;
      extra.push(b);
      const replayed = (await a.slack.replayed) + (await b.slack.replayed);
      expect(replayed).toBeGreaterThanOrEqual(1);
      await settle(300);
      expect(await one(a.db, sql`select count(*) as n from updates where note = 'twice replayed'`)).toEqual({ n: 1 });
      expect(await one(a.db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });
    });
  });
});

describe('Slack Socket Mode', () => {
  it('applies the same workspace check through Bolt’s own pipeline', async () => {
    const api = await startSlackApiServer({ token: 'xoxb-sock' });
    const { db } = await demoPlanDb();
    try {
      const slack = await createSlackApp({ db, clock: fixedClock(NOW), config: { botToken: 'xoxb-sock', appToken: 'xapp-1-test', apiUrl: api.apiUrl }, logger: pino({ level: 'silent' }) });
      const acks: unknown[] = [];
      const before = await dbFingerprint(db);
      // What SocketModeReceiver hands Bolt for a slash command from another workspace.
      await slack.app.processEvent({ body: slashCommandBody({ text: 'update ND-1.1 red', user_id: MORGAN, team_id: 'T0EVIL', response_url: api.responseUrl() }), ack: async (r?: unknown) => void acks.push(r) });
      expect(acks).toEqual([{ response_type: 'ephemeral', text: 'This sendbot serves the SEND test workspace only. Nothing was done.' }]);
      expect(await dbFingerprint(db)).toBe(before);
      // And from its own workspace it runs, once, through the inbox.
      await slack.app.processEvent({ body: slashCommandBody({ text: 'update ND-1.1 amber over the socket', user_id: MORGAN, response_url: api.responseUrl() }), ack: async (r?: unknown) => void acks.push(r) });
      await api.waitForCalls('response_url', 1, 5000);
      expect(await one(db, sql`select count(*) as n from updates where note = 'over the socket'`)).toEqual({ n: 1 });
      expect(await one(db, sql`select count(*) as n from slack_inbox`)).toEqual({ n: 0 });
    } finally {
      await closeTestDb(db);
      await api.close();
    }
  });
});
