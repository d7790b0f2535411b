import { beforeAll, describe, expect, it } from 'vitest';
import { sendbot, sendbotJson } from '../helpers/cli.js';
import { tempDbPath } from '../helpers/temp.js';
import { closeTestDb, one, sql, testDbAt } from '../helpers/test-db.js';

interface TickRow {
  key: string;
  kind: string;
  recipient: string;
  board: string | null;
  meeting: string | null;
  not_before: string;
  actions: string[];
}

interface OutboxRow {
  key: string;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  not_before: string;
  last_error: string | null;
  platform_message_id: string | null;
}

const outboxCount = async (path: string) => {
  const db = await testDbAt(path);
  const n = (await one(db, sql`select count(*) as n from outbox`) as { n: number }).n;
  await closeTestDb(db);
  return n;
};

async function importedDemo(): Promise<string> {
  const path = tempDbPath();
  const result = await sendbot(path, '--now', '2024-11-01T09:00', 'import', 'db/seeds/southampton-2024.yaml');
  if (result.code !== 0) throw new Error(result.stderr);
  return path;
}

describe('sendbot tick', () => {
  let template: string;
  beforeAll(async () => {
    template = await importedDemo();
  });

  it('--dry-run --json lists the window nudges with recipient, board, meeting, not_before and actions, and writes nothing', async () => {
    const rows = await sendbotJson<TickRow[]>(template, '--now', '2024-11-20T09:05', 'tick', '--dry-run');
    const nudges = rows.filter((r) => r.kind === 'nudge');
    expect(nudges).toHaveLength(13);
    const morgan = nudges.find((r) => r.recipient === 'morgan.demo@example.org');
    expect(morgan).toMatchObject({
      key: expect.stringMatching(/^nudge:\d+:\d+:window$/),
      board: 'SEND Partnership Board',
      meeting: '2024-12-04T14:00:00.000Z',
      not_before: '2024-11-20T09:00:00.000Z',
    });
    expect(morgan?.actions).toHaveLength(23);
    expect(morgan?.actions.slice(0, 3)).toEqual(['ND-1.1', 'ND-1.2', 'ND-1.3']);
    // Also due by now: Tuesday's overdue chasers and this week's digest.
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['nudge', 'overdue', 'weekly_digest']));
    expect(rows.find((r) => r.key === 'weekly:2024-W47:channel')?.recipient).toBe('slack:C0SENDPROG');
    expect(await outboxCount(template)).toBe(0);
  });

  it('without --dry-run writes the rows, delivers them to the console, and a second run enqueues nothing new', async () => {
    const path = await importedDemo();
    const first = await sendbot(path, '--now', '2024-11-20T09:05', 'tick');
    expect(first.code).toBe(0);
    // 13 window nudges, the week's digest (3 copies) and Tuesday's chaser for Rahul; Leah's and Priya's
    // chasers are left out, since this morning's window nudges list the same overdue actions.
    expect(first.stdout).toMatch(/Enqueued 17 new messages;/);
    expect(first.stdout).toContain('── sendbot → Morgan Demo <morgan.demo@example.org> (nudge) ──');
    expect(first.stdout).toContain('SEND Partnership Board on Wed 4 Dec: 23 of your actions need an update by Wed 27 Nov');
    expect(first.stdout).toContain('Delivered 17 messages to the console.');

    const outbox = await sendbotJson<OutboxRow[]>(path, 'outbox');
    expect(outbox).toHaveLength(17);
    const morgan = outbox.find((r) => r.recipient === 'morgan.demo@example.org' && r.kind === 'nudge');
    expect(morgan).toMatchObject({ status: 'sent', attempts: 1, last_error: null, platform_message_id: expect.stringMatching(/^console-\d+$/) });

    const again = await sendbotJson<TickRow[]>(path, '--now', '2024-11-20T09:10', 'tick');
    expect(again).toEqual([]);
    expect(await outboxCount(path)).toBe(17);
  });

  it('enqueues outside office hours but leaves delivery for the next opening', async () => {
    const path = await importedDemo();
    const result = await sendbot(path, '--now', '2024-11-23T10:00', 'tick');
    expect(result.stdout).toContain('Outside office hours');
    const pending = await sendbotJson<OutboxRow[]>(path, 'outbox', '--status', 'pending');
    expect(pending.length).toBeGreaterThan(0);
    expect(await sendbotJson<OutboxRow[]>(path, 'outbox', '--status', 'sent')).toEqual([]);
  });

  it('lists the outbox as a table and refuses an unknown status', async () => {
    const path = await importedDemo();
    await sendbot(path, '--now', '2024-11-20T09:05', 'tick');
    const table = await sendbot(path, 'outbox');
    expect(table.stdout).toMatch(/^key\s+kind\s+recipient\s+status\s+attempts/);
    expect(table.stdout).toContain('17 rows.');
    const bad = await sendbot(path, 'outbox', '--status', 'lost');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--status must be one of pending, sent, failed, dead, skipped');
  });
});
