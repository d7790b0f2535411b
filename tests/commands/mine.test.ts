// `mine` finds a person's actions in one statement: through the roles they hold now, or assigned by name.
import { beforeEach, describe, expect, it } from 'vitest';
import { listActionViews } from '../../src/store/actions-repository.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { ask, askText, DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

const NOW = '2024-11-18T10:00';
const refsIn = (text: string) => [...text.matchAll(/^ {2}([A-Z]+-\d+\.\d+) /gm)].map((m) => m[1]);
const personId = (email: string) => {
  const p = findPersonByEmail(db, email);
  if (!p) throw new Error(`no demo person ${email}`);
  return p.id;
};

describe('mine', () => {
  it('lists exactly the actions of the roles I hold, as the role-by-role lookup does', () => {
    const roleIds = db.$client
      .prepare('select role_id from role_assignments where person_id = ? and ended_at is null')
      .pluck()
      .all(personId(DEMO.headOfSend)) as number[];
    const expected = listActionViews(db, { ownerRoleIds: roleIds, ownerPersonId: personId(DEMO.headOfSend) }).filter((a) => a.status !== 'blue');
    expect(expected.length).toBeGreaterThan(3);
    expect(refsIn(askText(db, DEMO.headOfSend, 'mine', NOW)).sort()).toEqual(expected.map((a) => a.ref).sort());
  });

  it('follows an action assigned by name, and a role handed over', () => {
    expect(ask(db, DEMO.admin, `assign ND-1.2 ${DEMO.clinicalLeadSolent}`, NOW).tone).toBe('success');
    expect(refsIn(askText(db, DEMO.clinicalLeadSolent, 'mine', NOW))).toContain('ND-1.2');
    const morgan = refsIn(askText(db, DEMO.headOfSend, 'mine', NOW));
    expect(morgan).not.toContain('ND-1.2');
    expect(morgan).toContain('ND-1.1');

    const priyaBefore = refsIn(askText(db, DEMO.headOfCommissioning, 'mine', NOW));
    expect(priyaBefore).not.toContain('ND-1.1');
    expect(ask(db, DEMO.admin, `handover Head of SEND to ${DEMO.headOfCommissioning} confirm`, NOW).tone).toBe('success');
    expect(ask(db, DEMO.headOfSend, 'mine', NOW).summary).toBe('You have no open actions.');
    const priya = refsIn(askText(db, DEMO.headOfCommissioning, 'mine', NOW));
    expect(priya).toEqual(expect.arrayContaining([...priyaBefore, ...morgan]));
    expect(priya).not.toContain('ND-1.2');
  });
});
