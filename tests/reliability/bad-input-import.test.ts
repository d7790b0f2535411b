// Bad input through the real CLI (`sendbot import <file>`, in-process via tests/helpers/cli.ts) into a
// database that already holds the demo plan: CSV and XLSX files with broken rows, the wrong encoding,
// formulas (with and without cached values, #REF!), rows with more cells than headings, merged cells,
// and random or damaged bytes. Each
// must end in a clear ImportError — exit code 1, "Nothing was imported", naming the row and column
// where there is one — and leave the database exactly as it was. Exit code 2 (an unexpected failure)
// never happens.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase } from '../../src/store/database.js';
import { sendbot } from '../helpers/cli.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { integrityCheck, removeDatabaseCopy, report, withReadOnly } from './support/sqlite.js';

/** Every file and database this suite writes lives under one directory, removed at the end. */
const scratch = mkdtempSync(join(tmpdir(), 'sendbot-reliability-import-'));
let counter = 0;
function writeTemp(name: string, content: string | Buffer): string {
  counter += 1;
  const dir = join(scratch, String(counter));
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
const tempDbPath = (): string => {
  counter += 1;
  return join(scratch, `db-${counter}`, 'sendbot.db');
};

/** Every table an import writes, read through a separate connection. */
function planFingerprint(path: string): string {
  return withReadOnly(path, (db) =>
    ['plans', 'workstreams', 'actions', 'people', 'roles', 'role_aliases', 'role_assignments', 'boards', 'meetings', 'updates', 'due_date_changes']
      .map((t) => JSON.stringify(db.prepare(`select * from ${t} order by rowid`).all()))
      .concat(JSON.stringify(db.prepare('select count(*) as n from audit_log').get()))
      .join('\n'),
  );
}

const HEADER = 'Improvement Plan,Strategic Workstream Priority,Accountable Lead,With,Date of Completion,Key Actions,Ref';
const GOOD_ROWS = [
  'Transitions Improvement Plan,Governance,Head of SEND,,31 July 25,Relaunch the PFA Improvement Plan,TRX-1.1',
  ',,,,,Agree the joint transitions panel,TRX-1.2',
];

async function workbook(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Plan');
  build(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const XLSX_HEADER = ['plan', 'workstream', 'lead', 'due', 'action', 'ref'];

describe('sendbot import: bad CSV and XLSX files change nothing and say where the problem is', () => {
  let dbPath: string;
  let baseline: string;
  const outcomes: Record<string, string> = {};

  beforeAll(async () => {
    const { db, path } = await demoPlanDb();
    await closeDatabase(db);
    dbPath = path;
    baseline = planFingerprint(dbPath);
  });
  afterAll(() => {
    removeDatabaseCopy(dbPath);
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Imports `content` as `name`; expects a refusal naming `where`, and nothing written. */
  async function refused(name: string, content: string | Buffer, where: RegExp[], label = name): Promise<string> {
    const result = await sendbot(dbPath, 'import', writeTemp(name, content));
    outcomes[label] = result.stderr.split('\n').slice(1, 3).join(' ').trim();
    expect(result.code, result.stderr).toBe(1);
    // Several problems are listed under "Nothing was imported."; a file that cannot be read at all
    // is one sentence that ends by saying so.
    expect(result.stderr).toMatch(/^Nothing was imported\. \d+ problems?:|Nothing was imported\.\n$/);
    for (const w of where) expect(result.stderr).toMatch(w);
    expect(planFingerprint(dbPath)).toBe(baseline);
    return result.stderr;
  }

  describe('CSV', () => {
    it('broken rows: every problem is listed with its row and column', async () => {
      const csv = [
        HEADER,
        ...GOOD_ROWS,
        ',,,,,,TRX-1.3', // no action
        ',,,,,Check the referral data,TRX1-4x', // not a reference
        `,,,,,${'x'.repeat(10_050)},TRX-1.5`, // a cell far too long
        ',,,,,=HYPERLINK("x"),TRX-1.6', // a formula
        'Another plan,New workstream with no lead,,,,Do something,TRY-1.1', // a new plan's first workstream needs a lead
      ].join('\n');
      await refused('plan.csv', csv, [/plan\.csv row 4, column "Key Actions"/, /plan\.csv row 5, column "Ref"/, /plan\.csv row 6, column "Key Actions"/, /plan\.csv row 7, column "Key Actions": the cell starts with "="/, /plan\.csv row 8, column "Accountable Lead"/], 'CSV broken rows');
    });

    it('a row with more cells than headings: names the row and the column with no heading', async () => {
      await refused('plan.csv', [HEADER, ...GOOD_ROWS, ',,,,,Agree the panel, with partners,TRX-1.3'].join('\n'), [/plan\.csv row 4, column H \(no heading\)/], 'CSV extra cells');
    });

    it('a quote that is never closed: names the line', async () => {
      await refused('plan.csv', [HEADER, ...GOOD_ROWS, ',,,,,"Unterminated action text,TRX-1.3', ',,,,,Another,TRX-1.4'].join('\n'), [/plan\.csv line \d+/], 'CSV unclosed quote');
    });

    it('no action column at all: names the missing column', async () => {
      await refused('plan.csv', 'Improvement Plan,Strategic Workstream Priority,Accountable Lead\nTransitions,Governance,Head of SEND\n', [/Key Actions/], 'CSV without an action column');
    });

    it.each([
      ['UTF-16 LE with a byte-order mark', Buffer.from(`\ufeff${[HEADER, ...GOOD_ROWS].join('\r\n')}`, 'utf16le'), /UTF-16/],
      ['UTF-16 BE with a byte-order mark', Buffer.from(`\ufeff${[HEADER, ...GOOD_ROWS].join('\r\n')}`, 'utf16le').swap16(), /UTF-16/],
      ['UTF-16 LE without a byte-order mark', Buffer.from([HEADER, ...GOOD_ROWS].join('\r\n'), 'utf16le'), /UTF-16|NUL/],
    ])('%s: says to save as CSV UTF-8', async (label, bytes, message) => {
      await refused('plan.csv', bytes, [message, /CSV UTF-8/], label);
    });

    it('Windows-1252 bytes (é, curly quotes): names the first bad line', async () => {
      const cp1252 = Buffer.concat([
        Buffer.from(`${HEADER}\n${GOOD_ROWS[0]}\n`),
        Buffer.from(',,,,,Consult the caf', 'latin1'),
        Buffer.from([0xe9, 0x20, 0x93, 0x71, 0x75, 0x6f, 0x74, 0x65, 0x64, 0x94]),
        Buffer.from(',TRX-1.2\n'),
      ]);
      await refused('plan.csv', cp1252, [/plan\.csv line 3: the file is not valid UTF-8/], 'CSV in Windows-1252');
    });

    it('random bytes never crash the importer and never write (property)', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (bytes) => {
          runs += 1;
          const result = await sendbot(dbPath, 'import', writeTemp('random.csv', Buffer.from(bytes)));
          expect(result.code, result.stderr).toBe(1);
          expect(result.stderr).toMatch(/Nothing was imported/);
        }),
        { numRuns: 60, interruptAfterTimeLimit: 60_000 },
      );
      outcomes['random CSV runs'] = String(runs);
      expect(planFingerprint(dbPath)).toBe(baseline);
    });
  });

  describe('XLSX', () => {
    it('a formula without a cached value and a #REF! error: row and column of each', async () => {
      const file = await workbook((ws) => {
        ws.addRow(XLSX_HEADER);
        ws.addRow(['Transitions', 'Governance', 'Head of SEND', { formula: 'EDATE(TODAY(),3)' }, 'Relaunch the plan', 'TRX-1.1']);
        ws.addRow([null, null, null, null, { error: '#REF!' }, 'TRX-1.2']);
        ws.addRow([null, null, null, '31 March 2025', { formula: 'Sheet2!A1' }, 'TRX-1.3']);
      });
      await refused('plan.xlsx', file, [/plan\.xlsx \[Plan\] row 2, column "due": the cell holds a formula \(=EDATE\(TODAY\(\),3\)\)/, /plan\.xlsx \[Plan\] row 3, column "action": the cell shows the error #REF!/, /plan\.xlsx \[Plan\] row 4, column "action": the cell holds a formula \(=Sheet2!A1\)/], 'XLSX formulas and #REF!');
    });

    it('a formula with a cached value is refused too: the plan records typed values, not what a formula worked out', async () => {
      const file = await workbook((ws) => {
        ws.addRow(XLSX_HEADER);
        ws.addRow(['Transitions', 'Governance', 'Head of SEND', { formula: 'DATE(2025,3,31)', result: new Date(Date.UTC(2025, 2, 31)) }, { formula: 'UPPER("audit referrals")', result: 'AUDIT REFERRALS' }, 'TRX-1.1']);
      });
      await refused('plan.xlsx', file, [/plan\.xlsx \[Plan\] row 2, column "due": the cell holds a formula/, /plan\.xlsx \[Plan\] row 2, column "action": the cell holds a formula/, /Paste Special → Values/], 'XLSX formula with a cached value');
    });

    it('merged cells: a block merged down the action column leaves the rows below without an action', async () => {
      const file = await workbook((ws) => {
        ws.addRow(XLSX_HEADER);
        ws.addRow(['Transitions', 'Governance', 'Head of SEND', '31 March 2025', 'One action typed once for three rows', 'TRX-1.1']);
        ws.addRow([null, null, null, null, null, 'TRX-1.2']);
        ws.addRow([null, null, null, null, null, 'TRX-1.3']);
        ws.mergeCells('A2:A4');
        ws.mergeCells('E2:E4');
      });
      await refused('plan.xlsx', file, [/plan\.xlsx \[Plan\] row 3, column "action"/, /plan\.xlsx \[Plan\] row 4, column "action"/], 'XLSX merged action cells');
    });

    it('merged cells down plan, workstream and lead are carried down (into a fresh database)', async () => {
      const file = await workbook((ws) => {
        ws.addRow(XLSX_HEADER);
        ws.addRow(['Transitions', 'Governance', 'Head of SEND', '31 March 2025', 'First', 'TRX-1.1']);
        ws.addRow([null, null, null, null, 'Second', 'TRX-1.2']);
        for (const col of ['A', 'B', 'C', 'D']) ws.mergeCells(`${col}2:${col}3`);
      });
      const fresh = tempDbPath();
      const result = await sendbot(fresh, 'import', writeTemp('plan.xlsx', file), '--json');
      expect(result.code, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { ref: string; lead: string; due: string }[]).map((r) => [r.ref, r.lead, r.due])).toEqual([
        ['TRX-1.1', 'Head of SEND', '2025-03-31'],
        ['TRX-1.2', 'Head of SEND', '2025-03-31'],
      ]);
    });

    it.each([
      ['random bytes', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))],
      ['a CSV file named .xlsx', () => Buffer.from([HEADER, ...GOOD_ROWS].join('\n'))],
      ['an empty file', () => Buffer.alloc(0)],
    ])('%s: says it is not an .xlsx workbook', async (label, bytes) => {
      await refused('plan.xlsx', bytes(), [/plan\.xlsx: the file is not an Excel workbook/], label);
    });

    it('a workbook cut short (a truncated download): says it cannot be opened', async () => {
      const full = await workbook((ws) => {
        ws.addRow(XLSX_HEADER);
        ws.addRow(['Transitions', 'Governance', 'Head of SEND', '31 March 2025', 'First', 'TRX-1.1']);
      });
      await refused('plan.xlsx', full.subarray(0, Math.floor(full.length / 2)), [/plan\.xlsx: the file is not an Excel workbook: it could not be opened/], 'truncated xlsx');
    });

    it('random or damaged workbooks never crash the importer, and a refusal never writes (property)', async () => {
      const valid = await workbook((ws) => {
        ws.addRow(XLSX_HEADER);
        ws.addRow(['Transitions', 'Governance', 'Head of SEND', '31 March 2025', 'First', 'TRX-1.1']);
        ws.addRow([null, null, null, null, 'Second', 'TRX-1.2']);
      });
      const damaged = fc
        .array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
        .map((edits) => {
          const copy = Buffer.from(valid);
          for (const [at, byte] of edits) copy[at] = byte;
          return copy;
        });
      const counts = { refused: 0, imported: 0 };
      await fc.assert(
        fc.asyncProperty(fc.oneof(damaged, fc.uint8Array({ minLength: 1, maxLength: 3000 }).map((b) => Buffer.from(b))), async (bytes) => {
          const target = tempDbPath();
          await sendbot(target, 'import', writeTemp('seed.yaml', 'partnership:\n  name: Seed\n'));
          const before = planFingerprint(target);
          const result = await sendbot(target, 'import', writeTemp('plan.xlsx', bytes));
          expect([0, 1], result.stderr).toContain(result.code);
          if (result.code === 1) {
            counts.refused += 1;
            expect(result.stderr).toMatch(/Nothing was imported/);
            expect(planFingerprint(target)).toBe(before);
          } else counts.imported += 1;
        }),
        { numRuns: 40, interruptAfterTimeLimit: 90_000 },
      );
      outcomes['damaged or random XLSX'] = JSON.stringify(counts);
    });
  });

  it('leaves the database sound', () => {
    report('bad import files', outcomes);
    expect(planFingerprint(dbPath)).toBe(baseline);
    expect(integrityCheck(dbPath)).toBe('ok');
  });
});
