// The plan importer against a real SQLite file: what a large import was made faster by (search rows
// written after everything else, plans read once, each date phrase read once per window and day)
// must leave exactly what it left before: the search index follows every edit, dropped workstreams
// and actions are marked removed, and each date is read against its own window and the import's day.
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/clock.js';
import { type PlanDocumentInput, planDocumentSchema } from '../../src/importers/plan-document.js';
import type { Db } from '../../src/store/database.js';
import { type ImportReport, importPlanDocument } from '../../src/store/plan-import.js';
import { searchIndexFor } from '../../src/store/search-index.js';
import { closeTestDb, one, rows, sql, testDb } from '../helpers/test-db.js';

const plan = (workstreams: NonNullable<NonNullable<PlanDocumentInput['plans']>[number]['workstreams']>): PlanDocumentInput => ({
  boards: [{ name: 'SEND Partnership Board' }],
  plans: [{ code: 'ND', title: 'Neurodiversity Improvement Plan', board: 'SEND Partnership Board', workstreams }],
});

const NEEDS_LED = {
  title: 'Needs-led system',
  lead: 'Head of SEND',
  due: 'Sept 24 – July 25',
  actions: [{ text: 'Roll out the profiling tool to all schools' }, { text: 'Train the SENCo network', due: 'by March' }],
};
const TRANSITIONS = {
  title: 'Transitions to adulthood',
  lead: 'Head of Adult Social Care',
  due: 'Sept 25 – July 26',
  actions: [{ text: 'Map the preparation for adulthood pathway', due: 'by March' }, { text: 'Publish the hospital passport' }],
};

async function run(db: Db, doc: PlanDocumentInput, now: string, options: { removeMissing?: boolean } = {}): Promise<ImportReport> {
  return await importPlanDocument(db, planDocumentSchema.parse(doc), { now: parseInstant(now), file: 'plan.yaml', ...options });
}

const refsFor = async (db: Db, words: string): Promise<string[]> =>
  Promise.all((await searchIndexFor(db).search(words, 10)).hits.map(async (h) => ((await one(db, sql`select ref from actions where id = ${h.actionId}`)) as { ref: string }).ref));

describe('plan import', () => {
  it('keeps the search index true through edits, dropped actions and a dropped workstream', async () => {
    const db = await testDb();
    try {
      await run(db, plan([NEEDS_LED, TRANSITIONS]), '2024-09-02T09:00');
      expect(await refsFor(db, 'profiling tool')).toEqual(['ND-1.1']);
      expect(await refsFor(db, 'hospital passport')).toEqual(['ND-2.2']);

      // Edit one action's words, drop another action, and drop the second workstream altogether.
      const edited = { ...NEEDS_LED, actions: [{ text: 'Roll out the neurodiversity toolkit to all schools' }] };
      const report = await run(db, plan([edited]), '2024-10-01T09:00', { removeMissing: true });
      expect(report.summary.workstreams).toMatchObject({ unchanged: 1, removed: 1 });
      expect(report.summary.actions).toMatchObject({ updated: 1, removed: 3 });
      expect(report.actions.filter((a) => a.change === 'removed').map((a) => a.ref).sort()).toEqual(['ND-1.2', 'ND-2.1', 'ND-2.2']);

      expect(await refsFor(db, 'toolkit')).toEqual(['ND-1.1']);
      expect(await refsFor(db, 'profiling')).toEqual([]);
      expect(await refsFor(db, 'SENCo network')).toEqual([]);
      expect(await refsFor(db, 'hospital passport')).toEqual([]);
      // Dropped, never deleted: the rows and their dates stay, marked removed.
      const stored = await rows(db, sql`select ref, removed_at is not null as removed from actions order by ref`);
      expect(stored).toEqual([
        { ref: 'ND-1.1', removed: 0 },
        { ref: 'ND-1.2', removed: 1 },
        { ref: 'ND-2.1', removed: 1 },
        { ref: 'ND-2.2', removed: 1 },
      ]);
      expect(await rows(db, sql`select number, removed_at is not null as removed from workstreams order by number`)).toEqual([
        { number: 1, removed: 0 },
        { number: 2, removed: 1 },
      ]);

      // Putting the workstream back brings its actions back into search.
      await run(db, plan([edited, TRANSITIONS]), '2024-11-01T09:00');
      expect(await refsFor(db, 'hospital passport')).toEqual(['ND-2.2']);
      expect(await one(db, sql`select count(*) as n from action_search`)).toEqual({ n: 3 });
    } finally {
      await closeTestDb(db);
    }
  });

  it('creates a board the file names but does not define, once, with the default lead times', async () => {
    const db = await testDb();
    try {
      const doc: PlanDocumentInput = {
        plans: [
          { code: 'ND', title: 'Neurodiversity', board: 'Health Board', workstreams: [{ ...NEEDS_LED, board: 'Schools Forum' }] },
          { code: 'TR', title: 'Transitions', board: 'health  board', workstreams: [TRANSITIONS] },
        ],
      };
      const report = await run(db, doc, '2024-09-02T09:00');
      expect(report.summary.boards).toMatchObject({ created: 2 });
      expect(report.warnings.filter((w) => w.includes('not defined in the file'))).toEqual([
        'Board "Health Board" was not defined in the file and has been created with default lead times.',
        'Board "Schools Forum" was not defined in the file and has been created with default lead times.',
      ]);
      const boards = await rows(db, sql`select name, key, chair_role_id, update_window_days, reminder_days, papers_days from boards order by id`);
      expect(boards).toEqual([
        { name: 'Health Board', key: 'health board', chair_role_id: null, update_window_days: 10, reminder_days: 7, papers_days: 5 },
        { name: 'Schools Forum', key: 'schools forum', chair_role_id: null, update_window_days: 10, reminder_days: 7, papers_days: 5 },
      ]);
      const plans = await rows(db, sql`select p.code, b.name as board from plans p join boards b on b.id = p.board_id order by p.code`);
      expect(plans).toEqual([
        { code: 'ND', board: 'Health Board' },
        { code: 'TR', board: 'Health Board' },
      ]);
      // Importing again creates nothing.
      expect((await run(db, doc, '2024-09-03T09:00')).summary.boards).toMatchObject({ created: 0 });
    } finally {
      await closeTestDb(db);
    }
  });

  it('reads the same date phrase against each workstream’s window, and a month with no year against the import’s day', async () => {
    const db = await testDb();
    try {
      const byDec = { title: 'Short breaks', lead: 'Head of SEND', due: 'by Dec', actions: [{ text: 'Review short breaks' }] };
      const first = await run(db, plan([NEEDS_LED, TRANSITIONS, byDec]), '2024-09-02T09:00');
      const due = (r: ImportReport, ref: string) => r.actions.find((a) => a.ref === ref)?.due;
      // "by March" twice in one import, in windows a year apart.
      expect(due(first, 'ND-1.2')).toBe('2025-03-31');
      expect(due(first, 'ND-2.1')).toBe('2026-03-31');
      expect(due(first, 'ND-3.1')).toBe('2024-12-31');

      // A year later the same file reads "by Dec" against the new day.
      const later = await run(db, plan([NEEDS_LED, TRANSITIONS, byDec]), '2025-09-02T09:00');
      expect(due(later, 'ND-3.1')).toBe('2025-12-31');
      expect(due(later, 'ND-1.2')).toBe('2025-03-31');
    } finally {
      await closeTestDb(db);
    }
  });
});

describe('plan import: what the deadline reader says about completion and revised dates', () => {
  it('a due cell saying Complete/Done makes the action complete (never overdue); "revised from" is kept as the baseline', async () => {
    const db = await testDb();
    try {
      const ws = {
        title: 'Needs-led system',
        lead: 'Head of SEND',
        due: 'Sept 23 – July 24',
        actions: [
          { text: 'Publish the local offer refresh', due: 'Complete - Sept 23' },
          { text: 'Agree the profiling tool', due: 'Done' },
          { text: 'Train the SENCo network', due: 'March 2024 (revised from Dec 23)' },
          { text: 'Run the parent forum', due: 'Sept 2023 - ongoing' },
        ],
      };
      const report = await run(db, plan([ws]), '2024-09-02T09:00');
      const stored = await rows(db, sql`select ref, status, percent, due, baseline_due as baseline, start, ongoing from actions order by ref`);
      expect(stored).toEqual([
        { ref: 'ND-1.1', status: 'blue', percent: 100, due: '2023-09-30', baseline: '2023-09-30', start: null, ongoing: 0 },
        // "Done" says something: complete, with no date of its own, and none taken from the workstream.
        { ref: 'ND-1.2', status: 'blue', percent: 100, due: null, baseline: null, start: null, ongoing: 0 },
        { ref: 'ND-1.3', status: 'not_started', percent: null, due: '2024-03-31', baseline: '2023-12-31', start: null, ongoing: 0 },
        // A start with ongoing: it finishes with its workstream, never at the start date.
        { ref: 'ND-1.4', status: 'not_started', percent: null, due: '2024-07-31', baseline: '2024-07-31', start: '2023-09-01', ongoing: 1 },
      ]);
      expect(report.actions.filter((a) => a.completed).map((a) => a.ref)).toEqual(['ND-1.1', 'ND-1.2']);
      expect(report.actions.find((a) => a.ref === 'ND-1.1')?.flags).not.toContain('no-date');
      expect(report.actions.find((a) => a.ref === 'ND-1.2')?.flags).not.toContain('no-date');
    } finally {
      await closeTestDb(db);
    }
  });
});
