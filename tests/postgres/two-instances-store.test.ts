// Two instances on one PostgreSQL database, at the store (`npm run test:postgres`): each "instance"
// is its own pool on the same database, as two processes behind a load balancer would be. What must
// hold whichever instance a request lands on:
// - the same signed Slack request accepted by both at once is stored (and so run) once;
// - the inbox sweep takes only rows whose lease ran out, and two sweeps never take the same row;
// - outbox claims by both at once never overlap;
// - one instance leads at a time, and another takes the lead when the leader's session ends;
// - adding the same role holder, or deciding the same date change, twice at once: one wins.
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/database.js';
import { leadershipFor } from '../../src/store/leadership.js';
import { claimDue, enqueueNotification } from '../../src/store/outbox-repository.js';
import { addHolder, currentHolders, ensureRole } from '../../src/store/roles-repository.js';
import { upsertPerson } from '../../src/store/people-repository.js';
import { addToInbox, pendingInboxItems, takeExpiredInboxItems } from '../../src/store/slack-inbox-repository.js';
import { acceptSlackRequest } from '../../src/store/slack-request-intake.js';
import { decideDateChange, requestDateChange } from '../../src/store/updates-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, one, sql, testDbAt, testDbWithPath } from '../helpers/test-db.js';
import { onPostgresRun } from '../helpers/postgres-test-db.js';

const NOW = 1_700_000_000;
const SIG = (n: number) => `v0=${n.toString(16).padStart(64, '0')}`;
const opened: Db[] = [];

/** Two instances' stores on one fresh database. */
async function twoInstances(demo = false): Promise<[Db, Db]> {
  const { db, path } = demo ? await demoPlanDb() : await testDbWithPath();
  const other = await testDbAt(path);
  opened.push(db, other);
  return [db, other];
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => closeTestDb(db)));
});

describe.runIf(onPostgresRun())('two instances on one PostgreSQL database', () => {
  it('stores the same Slack request once when both instances accept it at once, in one statement each', async () => {
    const [a, b] = await twoInstances();
    const intake = (n: number) => ({ signature: SIG(1), expiresAt: NOW + 300, nowSeconds: NOW, inbox: { receivedAt: '2024-11-18T10:00:00.000Z', body: `{"command":"/send","text":"mine ${n}"}` } });
    const results = await Promise.all([acceptSlackRequest(a, intake(1)), acceptSlackRequest(b, intake(2)), acceptSlackRequest(a, intake(3)), acceptSlackRequest(b, intake(4))]);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.filter((r) => r.replayed)).toHaveLength(3);
    expect(await pendingInboxItems(a)).toHaveLength(1);
    expect(await one(a, sql`select count(*) as n from slack_request_signatures`)).toEqual({ n: 1 });
  });

  it('sweeps only rows whose lease ran out, each to one instance', async () => {
    const [a, b] = await twoInstances();
    const inFlight = await addToInbox(a, '2024-11-18T10:00:00.000Z', '{"text":"in flight"}', NOW + 60);
    const abandoned: number[] = [];
    for (let i = 0; i < 20; i += 1) abandoned.push(await addToInbox(a, '2024-11-18T09:58:00.000Z', `{"n":${i}}`, NOW - 1));
    const [takenA, takenB] = await Promise.all([takeExpiredInboxItems(a, NOW, NOW + 60, 15), takeExpiredInboxItems(b, NOW, NOW + 60, 15)]);
    const taken = [...takenA, ...takenB].map((i) => i.id);
    expect(new Set(taken).size).toBe(taken.length);
    // What both did not get in this round (each took at most 15) is still there for the next sweep.
    const rest = await takeExpiredInboxItems(a, NOW, NOW + 60, 50);
    expect([...taken, ...rest.map((i) => i.id)].sort((x, y) => x - y)).toEqual(abandoned);
    expect(taken).not.toContain(inFlight);
    // Taken rows are leased again: the next sweep leaves them alone until that lease runs out too.
    expect(await takeExpiredInboxItems(b, NOW + 30, NOW + 90)).toEqual([]);
    expect((await takeExpiredInboxItems(b, NOW + 61, NOW + 121)).map((i) => i.id)).toEqual([...abandoned, inFlight].sort((x, y) => x - y));
  });

  it('never lets two instances claim the same outbox row', async () => {
    const [a, b] = await twoInstances(true);
    for (let i = 0; i < 60; i += 1) {
      await enqueueNotification(a, {
        key: `both:${i}`,
        kind: 'nudge',
        recipientPersonId: null,
        recipientChannel: `slack:C${i}`,
        payload: { kind: 'nudge', reply: { tone: 'info', summary: `m${i}`, blocks: [] }, refs: [], boardId: null, meetingId: null, expiresAt: null },
        notBefore: '2024-11-25T09:00:00.000Z',
        createdAt: '2024-11-25T09:00:00.000Z',
      });
    }
    const claim = (db: Db, who: string) => claimDue(db, { now: '2024-11-25T10:00:00.000Z', limit: 7, leaseUntil: '2024-11-25T10:01:00.000Z', workerId: who });
    const claimed = (await Promise.all(Array.from({ length: 12 }, (_, i) => claim(i % 2 ? a : b, `w${i}`)))).flat().map((r) => r.key);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.filter((k) => k.startsWith('both:'))).toHaveLength(60);
  });

  it('lets one instance lead at a time, and another take over when the leader is gone', async () => {
    const [a, b] = await twoInstances();
    const leaderA = leadershipFor(a);
    const leaderB = leadershipFor(b);
    try {
      const first = await Promise.all([leaderA.isLeader(), leaderB.isLeader()]);
      expect(first.filter(Boolean)).toHaveLength(1);
      const [leader, follower] = first[0] ? [leaderA, leaderB] : [leaderB, leaderA];
      expect(await follower.isLeader()).toBe(false);
      expect(await leader.isLeader()).toBe(true);
      // The leader's session ends (as when its process is killed): the server drops the lock with it.
      await one(a, sql`select count(pg_terminate_backend(pid)) as n from pg_stat_activity where application_name like 'sendbot-leader%' and datname = current_database() and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`);
      // The server ends the session a moment after it is told to: the follower's next cycles try again.
      let tookOver = false;
      for (let cycle = 0; cycle < 100 && !tookOver; cycle += 1) {
        tookOver = await follower.isLeader();
        if (!tookOver) await new Promise((r) => setTimeout(r, 50));
      }
      expect(tookOver).toBe(true);
      expect(await leader.isLeader()).toBe(false);
    } finally {
      await leaderA.close();
      await leaderB.close();
    }
  });

  it('adds a holder once and decides a date change once when two instances do it at the same moment', async () => {
    const [a, b] = await twoInstances(true);
    const at = '2024-11-18T10:00:00.000Z';
    const { role } = await ensureRole(a, 'Two Instances Test Role', at);
    const { person } = await upsertPerson(a, { name: 'Sam Example', email: 'sam.two@example.org' }, at);
    const added = await Promise.all([addHolder(a, role.id, person.id, at), addHolder(b, role.id, person.id, at), addHolder(a, role.id, person.id, at)]);
    expect(added.filter(Boolean)).toHaveLength(1);
    expect(await currentHolders(b, role.id)).toHaveLength(1);
    // Find-or-create from both at once: one role, one person.
    const roles = await Promise.all([ensureRole(a, 'Virtual School Head', at), ensureRole(b, 'Virtual School Head', at)]);
    expect(roles[0].role.id).toBe(roles[1].role.id);
    const people = await Promise.all([upsertPerson(a, { name: 'Kim', email: 'kim@example.org' }, at), upsertPerson(b, { name: 'Kim', email: 'kim@example.org' }, at)]);
    expect(people[0].person.id).toBe(people[1].person.id);

    await decideTwice(a, b);
  });
});

async function decideTwice(a: Db, b: Db): Promise<void> {
  const action = (await one(a, sql`select id, due from actions where due is not null order by id limit 1`)) as { id: number; due: string };
  const asker = (await one(a, sql`select id from people order by id limit 1`)) as { id: number };
  const at = '2024-11-18T10:00:00.000Z';
  const changeId = await requestDateChange(a, { actionId: action.id, requestedBy: asker.id, at, fromDue: action.due, toDue: '2025-03-31', phrase: '31 March', reason: 'waiting for data', updateId: null });
  const decided = await Promise.all([decideDateChange(a, changeId, 'approved', asker.id, at), decideDateChange(b, changeId, 'rejected', asker.id, at, 'no')]);
  expect(decided.filter(Boolean)).toHaveLength(1);
  const change = (await one(a, sql`select state from due_date_changes where id = ${changeId}`)) as { state: string };
  expect(change.state).toBe(decided[0] ? 'approved' : 'rejected');
  expect(await decideDateChange(b, changeId, 'approved', asker.id, at)).toBe(false);
}
