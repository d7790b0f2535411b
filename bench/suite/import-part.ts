// Child process: import of a --size-row plan CSV into a fresh database, as `sendbot import` does:
// loadPlanFile (read + parse + validate: "parse") then importPlanDocument (one transaction: "import").
// The CSV is generated with planToCsv into bench/tmp (and regenerated when generate-plan.ts changes);
// the fresh database is created (migrations run) before timing starts and deleted afterwards.
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInstant } from '../../src/clock.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { openDatabase } from '../../src/store/database.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { generatePlanDocument, planToCsv } from '../generate-plan.js';
import { argValue, BENCH_DIR, BOARDS, emitResult, log, mb, peakRssMb, round, TMP_DIR } from './common.js';

export interface ImportResult {
  size: number;
  rows: number;
  csvMb: number;
  csvGeneratedMs: number | null;
  migrateMs: number;
  parseMs: number;
  importMs: number;
  totalMs: number;
  actionsStored: number;
  summary: unknown;
  warnings: number;
  peakRssMb: number;
}

const size = Number(argValue('size'));

async function main(): Promise<void> {
  const csv = join(TMP_DIR, `import-${size}-${BOARDS}.csv`);
  const generator = join(BENCH_DIR, 'generate-plan.ts');
  let csvGeneratedMs: number | null = null;
  if (!existsSync(csv) || statSync(csv).mtimeMs < statSync(generator).mtimeMs) {
    log(`  generating ${size.toLocaleString('en-GB')}-row CSV…`);
    const t = performance.now();
    writeFileSync(`${csv}.partial`, planToCsv(generatePlanDocument({ actions: size, boards: BOARDS })));
    // Renamed into place, so a half-written CSV is never reused.
    renameSync(`${csv}.partial`, csv);
    csvGeneratedMs = round(performance.now() - t, 0);
  }
  const dbPath = join(TMP_DIR, `import-fresh-${size}.db`);
  const clean = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  };
  clean();
  let t = performance.now();
  const db = await openDatabase(dbPath);
  const migrateMs = performance.now() - t;

  log('  parse…');
  t = performance.now();
  const loaded = await loadPlanFile(csv);
  const parseMs = performance.now() - t;
  log('  import…');
  t = performance.now();
  const report = await importPlanDocument(db, loaded.document, { now: parseInstant('2024-09-02T09:00'), file: loaded.file });
  const importMs = performance.now() - t;
  const actionsStored = (db.$client.prepare('select count(*) as n from actions where removed_at is null').get() as { n: number }).n;
  const rows = loaded.document.plans.reduce((n, p) => n + p.workstreams.reduce((m, w) => m + w.actions.length, 0), 0);
  const result: ImportResult = {
    size,
    rows,
    csvMb: mb(statSync(csv).size),
    csvGeneratedMs,
    migrateMs: round(migrateMs, 1),
    parseMs: round(parseMs, 1),
    importMs: round(importMs, 1),
    totalMs: round(parseMs + importMs, 1),
    actionsStored,
    summary: report.summary,
    warnings: report.warnings.length,
    peakRssMb: peakRssMb(),
  };
  db.$client.close();
  clean();
  emitResult(result);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
