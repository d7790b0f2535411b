// `mine` finds a person's actions in one statement: through the roles they hold now, or assigned by name.
import { beforeEach, describe, expect, it } from 'vitest';
import { listActionViews } from '../../src/store/actions-repository.js';
import type { Db } from '../../src/store/database.js';
import { findPersonByEmail } from '../../src/store/people-repository.js';
import { addHolder, currentHolders } from '../../src/store/roles-repository.js';
import { ask, askText, DEMO, demoPlanDb } from '../helpers/demo-plan-db.js';
import { column, one, sql } from '../helpers/test-db.js';

let db: Db;
beforeEach(async () => {
  ({ db } = await demoPlanDb());
});

const NOW = '2024-11-18T10:00';
const refsIn = (text: string) => [...text.matchAll(/^ {2}([A-Z]+-\d+\.\d+) /gm)].map((m) => m[1]);
const personId = async (email: string) => {
  const p = await findPersonByEmail(db, email);
  if (!p) throw new Error(`no demo person ${email}`);
  return p.id;
};

describe('mine', () => {
  it('lists exactly the actions of the roles I hold, as the role-by-role lookup does', async () => {
    const roleIds = await column(db, sql`select role_id from role_assignments where person_id = ${await personId(DEMO.headOfSend)} and ended_at is null`) as number[];
    const expected = (await listActionViews(db, { ownerRoleIds: roleIds, ownerPersonId: await personId(DEMO.headOfSend) })).filter((a) => a.status !== 'blue');
    expect(expected.length).toBeGreaterThan(3);
    expect(refsIn(await askText(db, DEMO.headOfSend, 'mine', NOW)).sort()).toEqual(expected.map((a) => a.ref).sort());
  });

  it('follows an action assigned by name, and a role handed over', async () => {
    expect((await ask(db, DEMO.admin, `assign ND-1.2 ${DEMO.clinicalLeadSolent}`, NOW)).tone).toBe('success');
    expect(refsIn(await askText(db, DEMO.clinicalLeadSolent, 'mine', NOW))).toContain('ND-1.2');
    const morgan = refsIn(await askText(db, DEMO.headOfSend, 'mine', NOW));
    expect(morgan).not.toContain('ND-1.2');
    expect(morgan).toContain('ND-1.1');

    const priyaBefore = refsIn(await askText(db, DEMO.headOfCommissioning, 'mine', NOW));
    expect(priyaBefore).not.toContain('ND-1.1');
    expect((await ask(db, DEMO.admin, `handover Head of SEND to ${DEMO.headOfCommissioning} confirm`, NOW)).tone).toBe('success');
    expect((await ask(db, DEMO.headOfSend, 'mine', NOW)).summary).toBe('You have no open actions.');
    const priya = refsIn(await askText(db, DEMO.headOfCommissioning, 'mine', NOW));
    expect(priya).toEqual(expect.arrayContaining([...priyaBefore, ...morgan]));
    expect(priya).not.toContain('ND-1.2');
  });
});

describe('what mine shows beside each action', () => {
  it('names every current holder of each owner role; an action assigned by name shows its person instead', async () => {
    // A second holder of one of Morgan's roles, so a line lists two names.
    const [roleId] = (await column(db, sql`select role_id from role_assignments where person_id = ${await personId(DEMO.headOfSend)} and ended_at is null order by role_id`)) as number[];
    await addHolder(db, roleId as number, await personId(DEMO.headOfCommissioning), '2024-11-01T09:00:00.000Z');
    expect((await ask(db, DEMO.admin, `assign ND-1.1 ${DEMO.headOfSend}`, NOW)).tone).toBe('success');
    const reply = await ask(db, DEMO.headOfSend, 'mine', NOW);
    const lines = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.items : []));
    const views = new Map((await listActionViews(db, { accountablePersonId: await personId(DEMO.headOfSend) })).map((a) => [a.ref, a]));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const view = views.get(line.ref);
      if (!view) throw new Error(`${line.ref} is not Morgan's`);
      if (view.ownerPersonId !== null) {
        expect(line).toMatchObject({ owner: view.ownerPersonName, ownerHolders: undefined });
        continue;
      }
      const expected = (await currentHolders(db, view.ownerRoleId as number)).map((h) => h.name);
      expect(expected.length).toBeGreaterThan(0);
      expect(line.ownerHolders).toEqual(expected);
    }
    expect(lines.some((l) => (l.ownerHolders?.length ?? 0) === 2)).toBe(true);
    expect(lines.find((l) => l.ref === 'ND-1.1')?.ownerHolders).toBeUndefined();
  });
});

describe('covering as a delegate', () => {
  it('mine lists the actions a delegate covers and for whom; their updates say "as delegate for" in history, digest and export', async () => {
    const { loadExportData } = await import('../../src/store/export-repository.js');
    expect((await ask(db, DEMO.headOfSend, `away 29 November 2024 delegate ${DEMO.clinicalLeadSolent}`, NOW)).tone).toBe("success");
    const morgans = (await listActionViews(db, { accountablePersonId: await personId(DEMO.headOfSend) })).filter((a) => a.status !== 'blue');

    const mine = await ask(db, DEMO.clinicalLeadSolent, 'mine', NOW);
    expect(mine.summary).toContain(`You are covering ${morgans.length} for Morgan Demo.`);
    const covering = mine.blocks.find((b) => b.type === 'actions' && b.heading?.startsWith('Covering for Morgan Demo'));
    expect(covering?.type === 'actions' ? covering.heading : null).toBe(`Covering for Morgan Demo, away until 29 Nov 2024 (${morgans.length})`);
    expect(covering?.type === 'actions' ? covering.items.map((i) => i.ref).sort() : []).toEqual(morgans.map((a) => a.ref).sort());

    const r = await ask(db, DEMO.clinicalLeadSolent, 'update ND-1.2 amber 40% covering while Morgan is away', NOW);
    expect(r.summary).toBe('Update recorded for ND-1.2 (as delegate for Morgan Demo).');
    expect(await one(db, sql`select on_behalf_of_person_id as covered from updates order by id desc limit 1`)).toEqual({ covered: await personId(DEMO.headOfSend) });
    expect(await askText(db, DEMO.admin, 'history ND-1.2', NOW)).toContain('Leah Testbury as delegate for Morgan Demo (console): amber, 40%, covering while Morgan is away');
    expect(await askText(db, DEMO.dcs, 'digest', '2024-11-19T10:00')).toContain('Leah Testbury as delegate for Morgan Demo');
    expect((await loadExportData(db)).updates.at(-1)).toMatchObject({ ref: 'ND-1.2', personName: 'Leah Testbury', onBehalfOf: 'Morgan Demo' });

    // Their own updates carry no such mark; once Morgan is back, nothing is covered.
    expect((await ask(db, DEMO.headOfSend, 'back', NOW)).tone).toBe('success');
    expect((await ask(db, DEMO.clinicalLeadSolent, 'mine', NOW)).summary).not.toContain('covering');
  });
});
