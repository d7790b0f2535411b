// The demo plan as a chair would see it at the end of November 2024: imported through the real CLI
// before the September meeting, then a few weeks of updates, date-change requests and approvals
// typed by real people through the real command router, each at a fixed instant.
import { resolve } from 'node:path';
import { fixedClock } from '../../src/clock.js';
import { runCommandText } from '../../src/commands/router.js';
import type { Reply } from '../../src/render/reply.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { sendbot } from './cli.js';
import { tempDbPath } from './temp.js';
import { withTestDb } from './test-db.js';

export const DEMO_PLAN = resolve(import.meta.dirname, '../../db/seeds/southampton-2024.yaml');

/** The chair's digest day for the 4 December 2024 SEND Partnership Board (papers deadline). */
export const DIGEST_NOW = '2024-11-27T09:00';

export const MORGAN = 'morgan.demo@example.org'; // Head of SEND
export const ALEX = 'alex.sample@example.org'; // programme officer (admin)
export const ELAINE = 'elaine.demoster@example.org'; // Director of Children's Services: chairs the board
export const ZARA = 'zara.sampleford@example.org'; // Solent 0-19 Service Manager
export const PRIYA = 'priya.testwell@example.org'; // SCC Head of Commissioning

/** [London local time, who, what they typed] in time order. */
export const DEMO_SCRIPT: [string, string, string][] = [
  ['2024-10-01T10:00', MORGAN, '/send update WD-2.1 due:"31 March 25" funding for the second cohort is late'],
  ['2024-10-02T10:00', ALEX, '/send approve WD-2.1'],
  ['2024-10-10T10:00', MORGAN, '/send update ND-3.1 red 10% recruitment to the panel has stalled'],
  ['2024-11-18T10:00', MORGAN, '/send update WD-2.1 due:"30 June 25" trainer availability'],
  ['2024-11-19T10:00', ELAINE, '/send approve WD-2.1'],
  ['2024-11-20T10:00', MORGAN, '/send update ND-1.2 amber 60% NDPT pilot extended; roll-out from Jan'],
  ['2024-11-21T11:30', MORGAN, '/send update ND-3.1 red 15% still no panel chair & no start date'],
  ['2024-11-22T09:15', PRIYA, '/send update TR-4.2 amber evaluation report drafted, sign-off in December'],
  ['2024-11-25T14:00', MORGAN, '/send update QA-3.1 due:"30 June 25" waiting for the new QA lead to start'],
  ['2024-11-26T16:00', ZARA, '/send update HCP-2.1 green 25% health visiting recruitment on track'],
];

/** Runs one chat command as the person with `email`, at London local time `at`. */
export async function say(db: Db, at: string, email: string, typed: string): Promise<Reply> {
  const person = await findPersonByEmail(db, email);
  if (!person) throw new Error(`no person ${email} in the demo plan`);
  return await runCommandText({ db, clock: fixedClock(at) }, person, 'slack', typed);
}

/** A fresh database with the demo plan imported and DEMO_SCRIPT played; returns its path. */
export async function scriptedDemoDb(script: [string, string, string][] = DEMO_SCRIPT): Promise<string> {
  const path = tempDbPath();
  const imported = await sendbot(path, '--now', '2024-09-02T09:00', 'import', DEMO_PLAN);
  if (imported.code !== 0) throw new Error(`demo import failed: ${imported.stderr}`);
  await withTestDb(path, async (db) => {
    for (const [at, email, typed] of script) {
      const answer = await say(db, at, email, typed);
      if (answer.tone === 'error') throw new Error(`"${typed}" was refused: ${answer.summary} ${JSON.stringify(answer.blocks)}`);
    }
  });
  return path;
}
