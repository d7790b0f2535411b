// Commands marked readOnly really change nothing: each one's examples (and a few phrasings of our
// own) run with SQLite refusing every write (PRAGMA query_only), as a lead, a chair and a programme
// officer. A slash command the router calls changesNothing runs without the write lock
// (durable-inbox.ts), so a mark on a command that writes would be a bug this test catches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { commandExamples, planExamples } from '../../src/commands/command-examples.js';
import { commands as registry } from '../../src/commands/registry.js';
import { changesNothing, runCommandText } from '../../src/commands/router.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../src/store/people-repository.js';
import { DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { closeTestDb, sqliteOf } from '../helpers/test-db.js';

const NOW = '2024-11-18T10:00';

describe('read-only commands', () => {
  let db: Db;
  beforeEach(async () => {
    ({ db } = await demoPlanDb());
  });
  afterEach(async () => {
    await closeTestDb(db);
  });

  const readOnly = registry.filter((c) => c.readOnly);

  it('are the commands that only answer', () => {
    expect(readOnly.map((c) => c.name).sort()).toEqual(['boards', 'due', 'help', 'kpis', 'mine', 'overdue', 'status', 'who']);
  });

  it('change nothing when run, for a lead, a chair and a programme officer', async () => {
    const people = (await Promise.all([DEMO.headOfSend, DEMO.dcs, DEMO.admin].map((e) => findPersonByEmail(db, e)))) as Person[];
    // `update` with a ref and nothing else (or nothing at all) only opens the form.
    const texts = new Set<string>(['who autism', 'who owns the short breaks review', 'mine', 'due', 'overdue', 'boards', 'kpis', 'help', 'help update', 'status ND-1.1', 'who ND-1.1', 'update ND-1.1', 'update', 'update nd 1.1']);
    for (const person of people) {
      const ex = await planExamples({ db, clock: fixedClock(NOW), caller: person });
      for (const command of readOnly) for (const example of commandExamples(command, ex)) texts.add(example.replace(/^\/send\s+/, ''));
    }
    sqliteOf(db).$client.pragma('query_only = ON');
    let ran = 0;
    for (const person of people) {
      for (const typed of texts) {
        expect(changesNothing(`/send ${typed}`), typed).toBe(true);
        // A write would throw "attempt to write a readonly database" out of the router.
        const answer = await runCommandText({ db, clock: fixedClock(NOW) }, person, 'slack', `/send ${typed}`);
        expect(answer.summary.length, typed).toBeGreaterThan(0);
        ran += 1;
      }
    }
    expect(ran).toBeGreaterThan(30);
  });

  it('tells a command that writes from one that does not, before running it', () => {
    expect(changesNothing('/send update ND-1.1 green done')).toBe(false);
    expect(changesNothing('/send update ND-1.1 no change')).toBe(false);
    expect(changesNothing('/send update ND-1.1')).toBe(true);
    expect(changesNothing('/send away until friday')).toBe(false);
    expect(changesNothing('/send handover x to y')).toBe(false);
    expect(changesNothing('/send WHO ND-1.1')).toBe(true);
    // Only an answer: an unknown command, nothing at all, text refused for its characters.
    expect(changesNothing('/send frobnicate')).toBe(true);
    expect(changesNothing('/send')).toBe(true);
    expect(changesNothing('/send update \u202eND-1.1')).toBe(changesNothing('/send update ND-1.1'));
  });
});
