// A board's slice of the plan state (what `sendbot digest` and `/send digest <board>` read) holds the
// board's records exactly as the whole plan's state has them, and a digest built from it is the same
// digest, with reports, a named owner, supporting roles and KPIs in play.
import { describe, expect, it } from 'vitest';
import { parseInstant, toStoredInstant } from '../../src/clock.js';
import { buildBoardDigest, digestMeetings } from '../../src/domain/digest.js';
import { boardActions } from '../../src/domain/planning-state.js';
import { loadBoardPlanningState } from '../../src/store/board-planning-state-repository.js';
import { loadDigestHistory } from '../../src/store/digest-history-repository.js';
import { loadBoardDigest } from '../../src/store/digest-loader.js';
import { loadPlanningState } from '../../src/store/planning-state-repository.js';
import { demoDb, PEOPLE, personId, recordReports } from '../helpers/demo-db.js';
import { rows, run, sql, value } from '../helpers/test-db.js';

const utc = (london: string) => toStoredInstant(parseInstant(london));

describe('loadBoardPlanningState', () => {
  it('holds each board’s records as the whole state has them, and builds the same digest', async () => {
    const { db } = await demoDb('2024-09-02T09:00');
    await recordReports(db, PEOPLE.morgan, ['ND-1.1', 'ND-1.2'], '2024-11-18T10:00');
    // A named owner (wins over the role) and an action's own supporting role.
    const [first, second] = await rows<{ id: number }>(db, sql`select id from actions where removed_at is null order by id limit 2`);
    await run(db, sql`update actions set owner_person_id = ${await personId(db, PEOPLE.priya)} where id = ${first?.id}`);
    const role = Number(await value(db, sql`select id from roles order by id desc limit 1`));
    await run(db, sql`insert into action_supporting_roles (action_id, role_id, position) values (${second?.id}, ${role}, 0)`);

    const whole = await loadPlanningState(db);
    const now = utc('2024-11-27T09:00');
    let checked = 0;
    for (const board of whole.boards) {
      const slice = await loadBoardPlanningState(db, board.id);
      if (!slice) throw new Error(`no slice for ${board.name}`);
      expect(slice.boards).toEqual([board]);
      expect(slice.actions).toEqual(boardActions(whole, board.id));
      expect(slice.kpis).toEqual((whole.kpis ?? []).filter((k) => k.boardId === board.id));
      expect(slice.partnershipName).toBe(whole.partnershipName);
      expect(slice.officeHours).toEqual(whole.officeHours);
      for (const [roleId, holders] of slice.holders) expect(holders).toEqual(whole.holders.get(roleId));
      for (const person of slice.people) expect({ ...person, lastSentAt: undefined }).toEqual({ ...whole.people.find((p) => p.id === person.id), lastSentAt: undefined });
      // Every role an action or the chair names has its holders in the slice.
      for (const a of slice.actions) if (a.ownerRoleId !== null) expect(slice.holders.get(a.ownerRoleId)).toEqual(whole.holders.get(a.ownerRoleId));

      const { previous } = digestMeetings(board, now);
      const ids = slice.actions.map((a) => a.id);
      const history = await loadDigestHistory(db, { boardId: board.id, sinceUtcIso: previous?.startsAt ?? null, nowUtcIso: now, actionIds: ids });
      expect(buildBoardDigest(slice, board.id, now, history)).toEqual(buildBoardDigest(whole, board.id, now, history));
      expect(await loadBoardDigest(db, board.id, now)).toEqual(await loadBoardDigest(db, board.id, now, { state: whole }));
      checked += slice.actions.length;
    }
    expect(checked).toBe(whole.actions.filter((a) => a.boardId !== null).length);
    expect(whole.actions.some((a) => a.ownerPersonId !== null)).toBe(true);
    expect(whole.actions.some((a) => a.id === second?.id && a.supportingRoleIds.includes(role))).toBe(true);
    expect((whole.kpis ?? []).length).toBeGreaterThan(0);
  });

  it('answers undefined for a board that does not exist', async () => {
    const { db } = await demoDb();
    expect(await loadBoardPlanningState(db, 999_999)).toBeUndefined();
    await expect(loadBoardDigest(db, 999_999, utc('2024-11-27T09:00'))).rejects.toThrow('Board 999999 not found.');
  });
});
