// The Slack app end to end: signed requests (exactly as Slack signs them) POSTed over HTTP to the
// real Bolt app mounted on sendbot's HTTP server, whose WebClient talks to a loopback stand-in for
// the Slack Web API. Each test gets its own copy of the demo plan database.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { myActionChoices } from '../../src/commands/shared.js';
import { createHttpServer } from '../../src/http/http-server.js';
import { deliverDue } from '../../src/jobs/deliver.js';
import type { NotificationPayload } from '../../src/jobs/delivery-types.js';
import { createSlackApp } from '../../src/platforms/slack/slack-app.js';
import { createSlackDelivery } from '../../src/platforms/slack/slack-delivery.js';
import { ACTION_IDS, UPDATE_MODAL_ACTIONS, UPDATE_MODAL_BLOCKS, UPDATE_MODAL_CALLBACK_ID } from '../../src/render/block-kit.js';
import { reply } from '../../src/render/reply.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { WebClient } from '@slack/web-api';
import { pino } from 'pino';
import { dbFingerprint, DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { type RecordedCall, type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { blockActionPayload, postEvent, postInteraction, postSigned, postSlashCommand, viewSubmissionPayload } from '../helpers/slack-requests.js';
import { closeTestDb, one, rows, run, sql } from '../helpers/test-db.js';

const SECRET = 'e2e-signing-secret';
const NOW = '2024-11-18T10:00';
const MORGAN = 'U0DEMO03'; // Head of SEND: owns ND-1.1
const LEAH = 'U0DEMO12'; // not an owner of ND-1.1
const ALEX = 'U0DEMO01'; // programme officer (admin)
const NASTY = '<!channel> <@U123> <https://x|y>';

interface UpdateRow {
  id: number;
  action_id: number;
  person_id: number | null;
  created_at: string;
  platform: string;
  kind: string;
  status: string | null;
  percent: number | null;
  note: string | null;
  evidence_url: string | null;
  raw_text: string;
}

const lastUpdate = async (db: Db): Promise<UpdateRow | undefined> => await one(db, sql`select * from updates order by id desc limit 1`) as UpdateRow | undefined;
const person = async (db: Db, email: string): Promise<Person> => (await findPersonByEmail(db, email)) as Person;

/** Everything a view_submission carries for the update modal, built from plain values. */
function modalValues(v: { ref?: string; status?: string; percent?: string; note?: string; evidence?: string; due?: string; reason?: string }) {
  const B = UPDATE_MODAL_BLOCKS;
  const A = UPDATE_MODAL_ACTIONS;
  return {
    [B.action]: { [A.action]: { type: 'static_select', selected_option: v.ref ? { value: v.ref } : null } },
    [B.status]: { [A.status]: { type: 'static_select', selected_option: v.status ? { value: v.status } : null } },
    [B.percent]: { [A.percent]: { type: 'number_input', value: v.percent ?? null } },
    [B.note]: { [A.note]: { type: 'plain_text_input', value: v.note ?? null } },
    [B.evidence]: { [A.evidence]: { type: 'url_text_input', value: v.evidence ?? null } },
    [B.due]: { [A.due]: { type: 'datepicker', selected_date: v.due ?? null } },
    [B.dueReason]: { [A.dueReason]: { type: 'plain_text_input', value: v.reason ?? null } },
  };
}

const textOf = (call: RecordedCall | undefined): string => JSON.stringify(call?.body ?? {});

describe('Slack app over HTTP', () => {
  let api: SlackApiServer;
  let db: Db;
  let baseUrl: string;
  let stop: () => Promise<void>;
  let logs: string[];

  beforeAll(async () => {
    api = await startSlackApiServer({
      token: 'xoxb-e2e',
      users: [
        { id: 'U0NEWLEAH', email: DEMO.clinicalLeadSolent, realName: 'Leah Testbury' },
        { id: 'U0STRANGER', email: 'stranger@elsewhere.example' },
      ],
    });
  });
  afterAll(async () => {
    await api.close();
  });

  beforeEach(async () => {
    api.reset();
    ({ db } = await demoPlanDb());
    logs = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(line) });
    const http = createHttpServer({ db, logger });
    const slack = await createSlackApp({ db, clock: fixedClock(NOW), config: { botToken: 'xoxb-e2e', signingSecret: SECRET, apiUrl: api.apiUrl }, logger });
    expect(slack.mode).toBe('http');
    await slack.start(http);
    ({ url: baseUrl } = await http.listen(0, '127.0.0.1'));
    stop = async () => {
      await slack.stop();
      await http.close();
      await closeTestDb(db);
    };
  });
  afterEach(async () => {
    await stop();
  });

  const slash = (userId: string, text: string, extra: Record<string, string> = {}) =>
    postSlashCommand(baseUrl, SECRET, { text, user_id: userId, response_url: api.responseUrl(), ...extra });

  describe('/send update', () => {
    it('stores the owner’s update and replies ephemerally through the response_url within 3 s', async () => {
      const started = Date.now();
      const res = await slash(MORGAN, 'update ND-1.1 amber Waiting on the new contract');
      expect(res.status).toBe(200);
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(answer?.body.text)).toContain('Update recorded for ND-1.1');
      expect(textOf(answer)).toContain('Waiting on the new contract');

      const row = await lastUpdate(db);
      expect(row).toMatchObject({
        platform: 'slack',
        kind: 'update',
        status: 'amber',
        note: 'Waiting on the new contract',
        raw_text: '/send update ND-1.1 amber Waiting on the new contract',
        person_id: (await person(db, DEMO.headOfSend)).id,
      });
      expect((await person(db, DEMO.headOfSend)).lastPlatform).toBe('slack');
    });

    it('refuses a non-owner, naming who can, and stores nothing', async () => {
      const before = await dbFingerprint(db);
      await slash(LEAH, 'update ND-1.1 amber I am not the owner');
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(answer?.body.response_type).toBe('ephemeral');
      expect(String(answer?.body.text)).toContain("You can't update ND-1.1");
      expect(textOf(answer)).toContain('Morgan Demo (Head of SEND)');
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('matches an unknown Slack user by email once and remembers the id', async () => {
      await run(db, sql`update people set slack_user_id = null where email = ${DEMO.clinicalLeadSolent}`);
      await slash('U0NEWLEAH', 'mine');
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(String(answer?.body.text)).not.toContain('not registered');
      expect(api.callsTo('users.info')).toHaveLength(1);
      expect((await person(db, DEMO.clinicalLeadSolent)).slackUserId).toBe('U0NEWLEAH');

      await slash('U0NEWLEAH', 'mine');
      await api.waitForCalls('response_url', 2, 3000);
      expect(api.callsTo('users.info')).toHaveLength(1);
    });

    it('tells an unregistered person who to ask, and stores nothing', async () => {
      const before = await dbFingerprint(db);
      await slash('U0STRANGER', 'update ND-1.1 green');
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(String(answer?.body.text)).toContain("You're not registered yet");
      expect(textOf(answer)).toContain('Alex Sample');
      expect(await dbFingerprint(db)).toBe(before);
    });
  });

  describe('request verification (Bolt’s, plus a future-timestamp check)', () => {
    const cases: [string, Parameters<typeof postSlashCommand>[3]][] = [
      ['a tampered body', { tamper: (b) => b.replace('amber', 'green') }],
      ['a missing signature', { omitSignature: true }],
      ['a timestamp 301 s old', { shiftSeconds: -301 }],
      ['a timestamp 301 s in the future', { shiftSeconds: 301 }],
    ];
    for (const [name, options] of cases) {
      it(`answers 401 to ${name} and writes nothing`, async () => {
        const before = await dbFingerprint(db);
        const res = await postSlashCommand(baseUrl, SECRET, { text: 'update ND-1.1 amber forged', user_id: MORGAN, response_url: api.responseUrl() }, options);
        expect(res.status).toBe(401);
        await new Promise((r) => setTimeout(r, 150));
        expect(api.callsTo('response_url')).toHaveLength(0);
        expect(await dbFingerprint(db)).toBe(before);
      });
    }

    it('accepts the same request correctly signed and on time', async () => {
      const res = await postSlashCommand(baseUrl, SECRET, { text: 'help', user_id: MORGAN, response_url: api.responseUrl() }, { shiftSeconds: -250 });
      expect(res.status).toBe(200);
      await api.waitForCalls('response_url', 1, 3000);
    });

    it('answers 400 to correctly signed bodies Bolt cannot read (a JSON null used to stop the process) and keeps serving', async () => {
      const before = await dbFingerprint(db);
      expect((await postSigned(baseUrl, SECRET, 'null', 'application/json')).status).toBe(400);
      expect((await postSigned(baseUrl, SECRET, 'payload=null', 'application/x-www-form-urlencoded')).status).toBe(400);
      expect((await postInteraction(baseUrl, SECRET, { type: 'view_submission', user: { id: MORGAN } })).status).toBe(400);
      expect((await postSigned(baseUrl, SECRET, JSON.stringify({ type: 'event_callback', event: false }), 'application/json')).status).toBe(400);
      expect(await dbFingerprint(db)).toBe(before);
      const res = await postSlashCommand(baseUrl, SECRET, { text: 'help', user_id: MORGAN, response_url: api.responseUrl() });
      expect(res.status).toBe(200);
      await api.waitForCalls('response_url', 1, 3000);
    });
  });

  describe('update modal', () => {
    it('opens from /send update without a ref, listing my actions', async () => {
      const res = await slash(MORGAN, 'update', { trigger_id: '1234.5678.abcdef' });
      expect(res.status).toBe(200);
      const [open] = await api.waitForCalls('views.open', 1, 3000);
      expect(open?.body.trigger_id).toBe('1234.5678.abcdef');
      expect(open?.response.body).toMatchObject({ ok: true });
      const view = open?.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { options?: { value: string }[] } }[] };
      expect(view.callback_id).toBe(UPDATE_MODAL_CALLBACK_ID);
      const select = view.blocks.find((b) => b.block_id === UPDATE_MODAL_BLOCKS.action);
      const expected = (await myActionChoices({ db, clock: fixedClock(NOW), caller: await person(db, DEMO.headOfSend), platform: 'slack', rawText: '' })).map((c) => c.ref);
      expect(expected.length).toBeGreaterThan(0);
      expect(select?.element?.options?.map((o) => o.value)).toEqual(expected.slice(0, 100));
      expect(JSON.parse(view.private_metadata)).toEqual({ channel: `D${MORGAN}` });
      const [ack] = await api.waitForCalls('response_url', 1, 3000);
      expect(ack?.body.text).toContain('Opening the update form');
    });

    it('returns field errors for percent 150 and stores nothing', async () => {
      const before = await dbFingerprint(db);
      const res = await postInteraction(
        baseUrl,
        SECRET,
        viewSubmissionPayload({ userId: MORGAN, callbackId: UPDATE_MODAL_CALLBACK_ID, values: modalValues({ ref: 'ND-1.1', status: 'amber', percent: '150', note: 'Too keen' }) }),
      );
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ response_action: 'errors', errors: { [UPDATE_MODAL_BLOCKS.percent]: expect.stringContaining('0 to 100') } });
      expect(Object.keys((res.json as { errors: object }).errors)).toEqual([UPDATE_MODAL_BLOCKS.percent]);
      expect(await dbFingerprint(db)).toBe(before);
    });

    it.each([
      // submitted, block, what the person is told
      [{ status: 'blue', percent: '50', note: 'nearly there' }, UPDATE_MODAL_BLOCKS.percent, 'Complete means 100%, but you gave 50%.'],
      [{ status: 'green', percent: '100', note: 'finished' }, UPDATE_MODAL_BLOCKS.percent, '100% means finished, but you said green.'],
      [{ status: 'amber', percent: '60.5' }, UPDATE_MODAL_BLOCKS.percent, "'60.5' isn't a whole number: give a whole number from 0 to 100, e.g. 61."],
      [{ status: 'amber', percent: '-5' }, UPDATE_MODAL_BLOCKS.percent, "'-5' is below 0"],
    ])('refuses %o under its field, in the user’s words, and stores nothing', async (values, block, message) => {
      const before = await dbFingerprint(db);
      const res = await postInteraction(baseUrl, SECRET, viewSubmissionPayload({ userId: MORGAN, callbackId: UPDATE_MODAL_CALLBACK_ID, values: modalValues({ ref: 'ND-1.1', ...values }) }));
      expect(res.status).toBe(200);
      const errors = (res.json as { response_action: string; errors: Record<string, string> }).errors;
      expect(Object.keys(errors)).toEqual([block]);
      expect(errors[block]).toContain(message);
      expect(errors[block]).not.toMatch(/percent:|evidenceUrl|Invalid input/);
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('refuses a percent alone on a completed action under the percent field, and stores nothing', async () => {
      await runCommandText({ db, clock: fixedClock(NOW) }, await person(db, DEMO.headOfSend), 'slack', '/send update ND-1.1 complete signed off');
      const before = await dbFingerprint(db);
      const res = await postInteraction(baseUrl, SECRET, viewSubmissionPayload({ userId: MORGAN, callbackId: UPDATE_MODAL_CALLBACK_ID, values: modalValues({ ref: 'ND-1.1', percent: '80' }) }));
      expect(res.json).toMatchObject({ response_action: 'errors', errors: { [UPDATE_MODAL_BLOCKS.percent]: expect.stringContaining('ND-1.1 is marked complete') } });
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('returns every field error at once: evidence, NHS number, date without a reason', async () => {
      const before = await dbFingerprint(db);
      const res = await postInteraction(
        baseUrl,
        SECRET,
        viewSubmissionPayload({
          userId: MORGAN,
          callbackId: UPDATE_MODAL_CALLBACK_ID,
          values: modalValues({ ref: 'ND-1.1', note: 'Seen child 943 476 5919 today', evidence: 'not a link', due: '2025-09-30' }),
        }),
      );
      const errors = (res.json as { errors: Record<string, string> }).errors;
      expect(errors[UPDATE_MODAL_BLOCKS.note]).toContain('NHS number');
      expect(errors[UPDATE_MODAL_BLOCKS.evidence]).toContain('web link');
      expect(errors[UPDATE_MODAL_BLOCKS.dueReason]).toContain('why');
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('shows a permission refusal on the action block and stores nothing', async () => {
      const before = await dbFingerprint(db);
      const res = await postInteraction(
        baseUrl,
        SECRET,
        viewSubmissionPayload({ userId: LEAH, callbackId: UPDATE_MODAL_CALLBACK_ID, values: modalValues({ ref: 'ND-1.1', status: 'green' }) }),
      );
      expect(res.json).toMatchObject({ response_action: 'errors', errors: { [UPDATE_MODAL_BLOCKS.action]: expect.stringContaining("You can't update ND-1.1") } });
      expect(await dbFingerprint(db)).toBe(before);
    });

    it('stores a valid submission exactly as the typed command would, and confirms by DM', async () => {
      const res = await postInteraction(
        baseUrl,
        SECRET,
        viewSubmissionPayload({
          userId: MORGAN,
          callbackId: UPDATE_MODAL_CALLBACK_ID,
          privateMetadata: JSON.stringify({ ref: 'ND-1.1' }),
          values: modalValues({ ref: 'ND-1.1', status: 'amber', percent: '60', note: 'Pilot extended' }),
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body).toBe('');
      const row = await lastUpdate(db) as UpdateRow;
      expect(row.raw_text).toBe('[modal] update ND-1.1 amber 60% Pilot extended');

      // The same update typed on a fresh copy of the plan.
      const { db: typedDb } = await demoPlanDb();
      try {
        await runCommandText({ db: typedDb, clock: fixedClock(NOW) }, await person(typedDb, DEMO.headOfSend), 'slack', '/send update ND-1.1 amber 60% Pilot extended');
        const typed = await lastUpdate(typedDb) as UpdateRow;
        const comparable = ({ id: _id, raw_text: _raw, ...rest }: UpdateRow) => rest;
        expect(comparable(row)).toEqual(comparable(typed));
        const actionState = async (d: Db) => await one(d, sql`select status, percent, due from actions where ref = 'ND-1.1'`);
        expect(await actionState(db)).toEqual(await actionState(typedDb));
      } finally {
        await closeTestDb(typedDb);
      }

      const [dm] = await api.waitForCalls('chat.postMessage', 1, 3000);
      expect(dm?.body.channel).toBe(MORGAN);
      expect(String(dm?.body.text)).toContain('Update recorded for ND-1.1');
    });

    it('stores a date-change request with its reason', async () => {
      await postInteraction(
        baseUrl,
        SECRET,
        viewSubmissionPayload({
          userId: MORGAN,
          callbackId: UPDATE_MODAL_CALLBACK_ID,
          values: modalValues({ ref: 'ND-1.1', due: '2025-09-30', reason: 'Contract signed late' }),
        }),
      );
      const change = await one(db, sql`select to_due, reason, state from due_date_changes order by id desc limit 1`);
      expect(change).toEqual({ to_due: '2025-09-30', reason: 'Contract signed late', state: 'pending' });
      expect((await lastUpdate(db))?.raw_text).toBe('[modal] update ND-1.1 due:2025-09-30 (reason for the new date: Contract signed late)');
    });
  });

  describe('buttons on a nudge', () => {
    /** Delivers a nudge through the outbox adapter and returns the buttons Slack received. */
    async function deliverNudge(): Promise<{ actionId: string; value: string }[]> {
      const adapter = createSlackDelivery({ client: new WebClient('xoxb-e2e', { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } }) });
      const morgan = await person(db, DEMO.headOfSend);
      const payload: NotificationPayload = {
        kind: 'nudge',
        refs: ['ND-1.1'],
        reply: reply('info', 'Update needed before the SEND Partnership Board', [
          { type: 'actions', heading: 'Your actions', items: [{ ref: 'ND-1.1', title: 'Building on the learning from Portsmouth', status: 'amber', due: '2025-07-31' }] },
        ]),
      };
      const outcome = await adapter.deliver({ outboxId: 1, key: 'nudge:1:3:first', attempt: 1, payload, recipient: { person: { ...morgan } } });
      expect(outcome.ok).toBe(true);
      const post = api.lastCall('chat.postMessage');
      const blocks = post?.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
      return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).map((e) => ({ actionId: e.action_id, value: e.value }));
    }

    it('Update opens the modal prefilled with the action', async () => {
      const buttons = await deliverNudge();
      const update = buttons.find((b) => b.actionId === ACTION_IDS.update);
      expect(update?.value).toBe('ND-1.1');
      const res = await postInteraction(
        baseUrl,
        SECRET,
        blockActionPayload({ userId: MORGAN, actionId: ACTION_IDS.update, value: update?.value ?? '', triggerId: '999.1.abc', responseUrl: api.responseUrl() }),
      );
      expect(res.status).toBe(200);
      const [open] = await api.waitForCalls('views.open', 1, 3000);
      expect(open?.body.trigger_id).toBe('999.1.abc');
      const view = open?.body.view as { private_metadata: string; blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[] };
      expect(view.blocks.find((b) => b.block_id === UPDATE_MODAL_BLOCKS.action)?.element?.initial_option?.value).toBe('ND-1.1');
      expect(JSON.parse(view.private_metadata)).toMatchObject({ ref: 'ND-1.1' });
    });

    it('No change records a no_change update', async () => {
      const buttons = await deliverNudge();
      const noChange = buttons.find((b) => b.actionId === ACTION_IDS.noChange);
      expect(noChange?.value).toBe('ND-1.1');
      const res = await postInteraction(
        baseUrl,
        SECRET,
        blockActionPayload({ userId: MORGAN, actionId: ACTION_IDS.noChange, value: noChange?.value ?? '', responseUrl: api.responseUrl(), label: 'No change' }),
      );
      expect(res.status).toBe(200);
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(answer?.body.text)).toContain('Recorded "no change" for ND-1.1');
      expect(await lastUpdate(db)).toMatchObject({ kind: 'no_change', platform: 'slack', status: null, raw_text: '[button] no change ND-1.1' });
    });

    it('No change from someone who may not update the action is refused', async () => {
      const before = await dbFingerprint(db);
      await postInteraction(baseUrl, SECRET, blockActionPayload({ userId: LEAH, actionId: ACTION_IDS.noChange, value: 'ND-1.1', responseUrl: api.responseUrl() }));
      const [answer] = await api.waitForCalls('response_url', 1, 3000);
      expect(String(answer?.body.text)).toContain("You can't update ND-1.1");
      expect(await dbFingerprint(db)).toBe(before);
    });
  });

  describe('confirm buttons on a command reply', () => {
    it('runs the confirmed command as the person who clicks, with their permissions', async () => {
      await slash(ALEX, `handover Head of SEND to ${DEMO.clinicalLeadSolent}`);
      const [question] = await api.waitForCalls('response_url', 1, 3000);
      const blocks = question?.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
      const confirm = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === `${ACTION_IDS.buttonPrefix}confirm`);
      expect(confirm?.value).toBe(`/send handover Head of SEND to ${DEMO.clinicalLeadSolent} confirm`);

      // Someone else clicking it (the value is only a command) gets the command's own refusal.
      const before = await dbFingerprint(db);
      await postInteraction(baseUrl, SECRET, blockActionPayload({ userId: LEAH, actionId: `${ACTION_IDS.buttonPrefix}confirm`, value: confirm?.value ?? '', responseUrl: api.responseUrl() }));
      const [, refused] = await api.waitForCalls('response_url', 2, 3000);
      expect(String(refused?.body.text)).toContain('Only programme officers');
      expect(await dbFingerprint(db)).toBe(before);

      await postInteraction(baseUrl, SECRET, blockActionPayload({ userId: ALEX, actionId: `${ACTION_IDS.buttonPrefix}confirm`, value: confirm?.value ?? '', responseUrl: api.responseUrl() }));
      const [, , done] = await api.waitForCalls('response_url', 3, 3000);
      expect(String(done?.body.text)).toContain('Head of SEND handed from Morgan Demo to Leah Testbury');
    });
  });

  describe('date-change requests', () => {
    it('tell the chair through the outbox; the chair’s Approve button decides; the requester is told, each once', async () => {
      const ELAINE = 'U0DEMO21'; // Director of Children’s Services: chairs the SEND Partnership Board
      await slash(MORGAN, 'update ND-3.5 due:"30 April 25" evaluation delayed by the provider');
      const [ack] = await api.waitForCalls('response_url', 1, 3000);
      expect(textOf(ack)).toContain('Date change requested');
      const adapters = [createSlackDelivery({ client: new WebClient('xoxb-e2e', { slackApiUrl: api.apiUrl, retryConfig: { retries: 0 } }) })];
      const clock = fixedClock('2024-11-18T10:05');

      await deliverDue({ db, clock, adapters, random: () => 0 });
      // Messages from the outbox carry their key (a confirmation DM from an earlier test may still arrive).
      const outboxPosts = () =>
        api.callsTo('chat.postMessage').filter((c) => String((c.body.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '').startsWith('date-'));
      const toChair = outboxPosts();
      expect(toChair).toHaveLength(1);
      expect(toChair[0]?.body.channel).toBe(ELAINE); // a DM: posted to the user id
      expect(String(toChair[0]?.body.text)).toContain('Morgan Demo asks to move ND-3.5 from 28 Feb 2025 to 30 Apr 2025');
      expect(textOf(toChair[0])).toContain('evaluation delayed by the provider');
      const blocks = toChair[0]?.body.blocks as { type: string; elements?: { action_id: string; value: string }[] }[];
      const approve = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === `${ACTION_IDS.buttonPrefix}confirm`);
      expect(approve?.value).toBe('/send approve ND-3.5 to:2025-04-30');

      await postInteraction(baseUrl, SECRET, blockActionPayload({ userId: ELAINE, actionId: `${ACTION_IDS.buttonPrefix}confirm`, value: approve?.value ?? '', responseUrl: api.responseUrl() }));
      const [, decided] = await api.waitForCalls('response_url', 2, 3000);
      expect(String(decided?.body.text)).toContain('Approved: ND-3.5 is now due 30 Apr 2025');
      expect(await one(db, sql`select p.email, c.decided_at, c.state from due_date_changes c join people p on p.id = c.decided_by`)).toEqual({
        email: DEMO.dcs,
        decided_at: '2024-11-18T10:00:00.000Z',
        state: 'approved',
      });

      await deliverDue({ db, clock, adapters, random: () => 0 });
      const posts = outboxPosts();
      expect(posts).toHaveLength(2);
      expect(posts[1]?.body.channel).toBe(MORGAN);
      expect(String(posts[1]?.body.text)).toBe('Elaine Demoster approved your new date for ND-3.5: now due 30 Apr 2025');
      // Nothing more to send, however often delivery runs.
      await deliverDue({ db, clock, adapters, random: () => 0 });
      expect(outboxPosts()).toHaveLength(2);
    });
  });

  describe('escaping', () => {
    it('shows a hostile note escaped in blocks and fallback text', async () => {
      await slash(MORGAN, `update ND-1.1 amber ${NASTY}`);
      const [confirmation] = await api.waitForCalls('response_url', 1, 3000);
      expect((await lastUpdate(db))?.note).toBe(NASTY);
      await slash(MORGAN, `who ${NASTY}`);
      const [, echo] = await api.waitForCalls('response_url', 2, 3000);
      await slash(MORGAN, 'status ND-1.1');
      const [, , status] = await api.waitForCalls('response_url', 3, 3000);

      for (const call of [confirmation, echo, status]) {
        const blocks = JSON.stringify(call?.body.blocks);
        const text = String(call?.body.text);
        for (const raw of ['<!channel>', '<@U123>', '<https://x|y>']) {
          expect(blocks).not.toContain(raw);
          expect(text).not.toContain(raw);
        }
      }
      expect(JSON.stringify(confirmation?.body.blocks)).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt;');
      expect(JSON.stringify(status?.body.blocks)).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt;');
      expect(String(echo?.body.text)).toContain('&lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt;');
    });
  });

  describe('App Home', () => {
    it('publishes my actions and the next meetings when the Home tab opens', async () => {
      const res = await postEvent(baseUrl, SECRET, { type: 'app_home_opened', user: MORGAN, channel: `D${MORGAN}`, tab: 'home' });
      expect(res.status).toBe(200);
      const [publish] = await api.waitForCalls('views.publish', 1, 3000);
      expect(publish?.body.user_id).toBe(MORGAN);
      expect(publish?.response.body).toMatchObject({ ok: true });
      const view = JSON.stringify(publish?.body.view);
      expect(view).toContain('"type":"home"');
      expect(view).toContain('ND-1.1');
      expect(view).toContain('Next board meetings');
      expect(view).toContain('SEND Partnership Board');
    });

    it('draws nothing for the Messages tab', async () => {
      await postEvent(baseUrl, SECRET, { type: 'app_home_opened', user: MORGAN, channel: `D${MORGAN}`, tab: 'messages' });
      await new Promise((r) => setTimeout(r, 200));
      expect(api.callsTo('views.publish')).toHaveLength(0);
    });
  });

  it('answers GET /healthz', async () => {
    const res = await fetch(new URL('/healthz', baseUrl));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'ok' });
  });

  it('does not tell the person their update failed when only posting the answer failed, and keeps the update once', async () => {
    api.failNext('response_url', [{ status: 500 }]);
    const res = await slash(MORGAN, 'update ND-1.1 amber The answer was lost on the way');
    expect(res.status).toBe(200);
    const deadline = Date.now() + 5000;
    const fromListener = () => logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.listener === 'send-command');
    while (!fromListener() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // Logged as what it is (the listener's last step), and no "Sorry, that failed" after it.
    expect(fromListener()).toMatchObject({ level: 50, slackUserId: MORGAN, msg: 'the answer to /send could not be posted to Slack (no sorry sent: the command itself did not fail)' });
    expect(api.callsTo('response_url').map((c) => c.response.status)).toEqual([500]);
    expect(await rows(db, sql`select note from updates where note = 'The answer was lost on the way'`)).toHaveLength(1);
    expect(await rows(db, sql`select state from slack_inbox`)).toEqual([]);
  });

  it('tells the person plainly when something unexpected fails, logs it with context (not the text), and keeps what they sent', async () => {
    // Every query on actions now throws: an unexpected failure, not a user mistake.
    await run(db, sql`alter table actions rename to actions_gone`);
    const res = await slash(MORGAN, 'mine');
    expect(res.status).toBe(200);
    const [answer] = await api.waitForCalls('response_url', 1, 3000);
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(String(answer?.body.text)).toContain('Sorry, that failed — the programme team has been told.');
    const logged = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.listener === 'send-command');
    expect(logged).toMatchObject({ level: 50, slackUserId: MORGAN, textLength: 4, msg: '/send failed' });
    expect(logs.join('\n')).not.toContain('"mine"');
    // The acknowledged command is kept in the inbox as failed, not lost and not replayed forever.
    const kept = await rows(db, sql`select state, body from slack_inbox`) as { state: string; body: string }[];
    expect(kept.map((k) => k.state)).toEqual(['failed']);
    expect(JSON.parse(kept[0]?.body ?? '{}')).toMatchObject({ command: '/send', text: 'mine', user_id: MORGAN });
  });

  it('falls back to "not registered" when users.info fails for an unknown person', async () => {
    api.respond('users.info', () => ({ status: 500 }));
    await slash('U0GHOST', 'mine');
    const [answer] = await api.waitForCalls('response_url', 1, 3000);
    expect(String(answer?.body.text)).toContain("You're not registered yet");
  });
});
