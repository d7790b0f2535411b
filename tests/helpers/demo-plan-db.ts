import { fixedClock, type ManualClock, manualClock, parseInstant } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { demoPlanPath } from '../../src/paths.js';
import { renderText } from '../../src/render/text.js';
import type { Reply } from '../../src/render/reply.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { rows, sql, templateCopy } from './test-db.js';

/** Demo people used across tests (see db/seeds/southampton-2024.yaml). */
export const DEMO = {
  admin: 'alex.sample@example.org',
  admin2: 'jamie.example@example.org',
  headOfSend: 'morgan.demo@example.org',
  headOfCommissioning: 'priya.testwell@example.org',
  clinicalLeadSolent: 'leah.testbury@example.org',
  dcs: 'elaine.demoster@example.org',
} as const;

/**
 * A temp SQLite file with the demo plan imported as of `importedAt`. The import runs once per
 * test file and worker; each test gets its own copy of that file.
 */
export async function demoPlanDb(importedAt = '2024-09-02T09:00'): Promise<{ db: Db; path: string }> {
  return templateCopy(`demo-plan@${importedAt}`, async (db) => {
    const loaded = await loadPlanFile(demoPlanPath());
    await importPlanDocument(db, loaded.document, { now: parseInstant(importedAt), file: loaded.file, lineOf: loaded.lineOf });
  });
}

/** Runs a typed command as the person with `email` at `at` (London time). */
export async function ask(db: Db, email: string, text: string, at: string | ManualClock = '2024-11-18T10:00'): Promise<Reply> {
  const caller = await findPersonByEmail(db, email);
  if (!caller) throw new Error(`no demo person ${email}`);
  const clock = typeof at === 'string' ? fixedClock(at) : at;
  return await runCommandText({ db, clock }, caller, 'console', text);
}

export const askText = async (db: Db, email: string, text: string, at?: string) => renderText(await ask(db, email, text, at));

export { manualClock };

/** Everything a command could write, for "nothing changed" assertions. */
export async function dbFingerprint(db: Db): Promise<string> {
  const parts = await Promise.all([
    rows(db, sql`select * from updates order by id`),
    rows(db, sql`select * from due_date_changes order by id`),
    rows(db, sql`select id, status, percent, due, baseline_due, owner_role_id, owner_person_id from actions order by id`),
    rows(db, sql`select * from role_assignments order by id`),
    rows(db, sql`select id, away_until, delegate_id, slack_user_id, teams_user_id from people order by id`),
    rows(db, sql`select count(*) from audit_log`),
  ]);
  return parts.map((p) => JSON.stringify(p)).join('\n');
}
