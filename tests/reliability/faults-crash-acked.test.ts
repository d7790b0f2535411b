// Fault: SIGKILL while Slack commands are being acknowledged and carried out; then a restart. Every
// update Slack was told was accepted (HTTP 200) must be stored exactly once; one whose answer never
// arrived may be stored at most once; nothing else.
//
// Five runs, each on a fresh copy of the demo plan in which nobody is linked to Slack yet, so each
// person's first command waits for users.info (held 400 ms by the fake Slack) between the
// acknowledgement and the write: the window in which a crash used to lose an acknowledged update.
// `src/main.ts` runs in a child process; commands go 8 at a time, each person updating an action
// they may update with a unique token in the note; the child is killed at a different moment in
// each run (after 1, 4, 9, 16 and 25 acknowledgements), then restarted, and the restart replays the
// durable inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { myActionChoices } from '../../src/commands/shared.js';
import { listPeople } from '../../src/store/people-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { type SlackApiServer, startSlackApiServer } from '../helpers/slack-api-server.js';
import { type Outcome, send, slashRequest } from './support/http-client.js';
import { killAllChildren, startSlackService } from './support/processes.js';
import { integrityCheck, removeDatabaseCopy, report, withReadOnly } from './support/sqlite.js';
import { closeTestDb, run as runStatement, sql } from '../helpers/test-db.js';

const SECRET = 'crash-acked-signing-secret';
const TOKEN = 'xoxb-crash-acked';
const NOW = '2024-11-18T10:00';
const RUNS = 5;
const IN_FLIGHT = 8;
const LOOKUP_DELAY_MS = 400;

interface Sent {
  token: string;
  outcome?: Outcome;
}

describe('fault: SIGKILL between acknowledging Slack commands and storing them, then restart', () => {
  let api: SlackApiServer;
  const paths: string[] = [];
  const figures: Record<string, unknown>[] = [];

  beforeAll(async () => {
    api = await startSlackApiServer({ token: TOKEN });
  });
  afterAll(async () => {
    await killAllChildren();
    await api?.close();
    for (const p of paths) removeDatabaseCopy(p);
    report('SIGKILL between ack and store', { runs: figures });
  });

  it(`stores every acknowledged update exactly once across ${RUNS} kills`, async () => {
    for (let run = 0; run < RUNS; run += 1) {
      // A fresh plan where nobody is linked yet; the fake Slack knows each person's id and email.
      const { db, path } = await demoPlanDb();
      paths.push(path);
      const work: { userId: string; ref: string }[] = [];
      const emailOf = new Map<string, string>();
      api.reset();
      for (const person of await listPeople(db)) {
        if (!person.slackUserId) continue;
        const [choice] = await myActionChoices({ db, clock: fixedClock(NOW), caller: person, platform: 'slack', rawText: '' });
        if (choice) work.push({ userId: person.slackUserId, ref: choice.ref });
        emailOf.set(person.slackUserId, person.email);
      }
      await runStatement(db, sql`update people set slack_user_id = null`);
      await closeTestDb(db);
      expect(work.length).toBeGreaterThan(10);
      /** users.info as Slack answers it, after `delayMs`. */
      const lookup = (delayMs: number) =>
        api.respond('users.info', ({ body }) => {
          const id = String(body.user);
          const email = emailOf.get(id);
          return { delayMs, body: email ? { ok: true, user: { id, team_id: 'T0SEND', profile: { email } } } : { ok: false, error: 'user_not_found' } };
        });
      // Slowly at first: the work after each person's first acknowledgement waits for it.
      lookup(LOOKUP_DELAY_MS);

      const first = await startSlackService({ databasePath: path, slackApiUrl: api.apiUrl, signingSecret: SECRET, botToken: TOKEN, now: NOW, extraEnv: { SLACK_INBOX_LEASE_SECONDS: '2' } });
      const sent: Sent[] = [];
      let next = 0;
      let killed = false;
      const worker = async (): Promise<void> => {
        while (!killed) {
          const i = next;
          next += 1;
          const { userId, ref } = work[i % work.length] as { userId: string; ref: string };
          const token = `crash${run}x${i}z`;
          const entry: Sent = { token };
          sent.push(entry);
          entry.outcome = await send(first.url, { ...slashRequest({ text: `update ${ref} amber ${token}`, user_id: userId, response_url: api.responseUrl(token) }, { secret: SECRET }), timeoutMs: 10_000 });
        }
      };
      const workers = Array.from({ length: IN_FLIGHT }, worker);
      // A different moment in each run: from just after the first acknowledgements to well into the stream.
      const killAfterAcks = [1, 4, 9, 16, 25][run] as number;
      const giveUp = Date.now() + 60_000;
      while (sent.filter((e) => e.outcome?.status === 200).length < killAfterAcks && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 5));
      first.child.kill('SIGKILL');
      killed = true;
      await first.child.exit;
      await Promise.all(workers);
      expect(integrityCheck(path)).toBe('ok');
      const pendingAtKill = withReadOnly(path, (r) => (r.prepare("select count(*) as n from slack_inbox where state = 'pending'").get() as { n: number }).n);

      // Restart: the inbox is replayed (users.info answers at once now).
      lookup(0);
      const second = await startSlackService({ databasePath: path, slackApiUrl: api.apiUrl, signingSecret: SECRET, botToken: TOKEN, now: NOW, extraEnv: { SLACK_INBOX_LEASE_SECONDS: '2' } });
      if (pendingAtKill > 0) await second.child.waitForLine((l) => l.json?.msg === 'replayed acknowledged Slack requests from the inbox (left by a stopping or stopped instance, or kept while the database did not answer)', 60_000);
      const deadline = Date.now() + 30_000;
      while (withReadOnly(path, (r) => (r.prepare("select count(*) as n from slack_inbox where state = 'pending'").get() as { n: number }).n) > 0) {
        if (Date.now() > deadline) throw new Error('the inbox was not emptied after the restart');
        await new Promise((r) => setTimeout(r, 100));
      }
      const stopped = await second.child.stop();
      expect(stopped.code).toBe(0);

      const stored = new Map<string, number>();
      for (const row of withReadOnly(path, (r) => r.prepare("select note from updates where note like 'crash%'").all() as { note: string }[])) {
        stored.set(row.note, (stored.get(row.note) ?? 0) + 1);
      }
      const acked = sent.filter((s) => s.outcome?.status === 200);
      const unanswered = sent.filter((s) => s.outcome?.status !== 200);
      const lostAcked = acked.filter((s) => stored.get(s.token) !== 1).map((s) => `${s.token}:${stored.get(s.token) ?? 0}`);
      const repeated = [...stored].filter(([, n]) => n > 1).map(([t]) => t);
      const strangers = [...stored.keys()].filter((t) => !sent.some((s) => s.token === t));
      figures.push({ run, sent: sent.length, acked: acked.length, unanswered: unanswered.length, storedUnanswered: unanswered.filter((s) => stored.has(s.token)).length, pendingAtKill, failed: withReadOnly(path, (r) => r.prepare("select count(*) as n from slack_inbox where state = 'failed'").get()) });

      expect(acked.length, `run ${run}: nothing was acknowledged before the kill`).toBeGreaterThan(0);
      expect(lostAcked, `run ${run}: acknowledged but not stored exactly once`).toEqual([]);
      expect(repeated, `run ${run}: stored twice`).toEqual([]);
      expect(strangers).toEqual([]);
      expect(integrityCheck(path)).toBe('ok');
    }
    // The kills did land between an acknowledgement and its write: otherwise this proved nothing.
    expect(figures.reduce((n, f) => n + (f.pendingAtKill as number), 0)).toBeGreaterThan(0);
  });
});
