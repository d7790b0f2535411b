// Loads the PlanningState in a handful of flat queries: it runs on every scheduler tick, over up
// to 100k actions, so no per-action queries here.
import type { MeetingRef } from '../domain/board-cycle.js';
import type { ActionState, BoardState, PersonState, PlanningState } from '../domain/planning-state.js';
import type { Db } from './database.js';
import { getPartnership } from './partnership-repository.js';

export function loadPlanningState(db: Db): PlanningState {
  const client = db.$client;
  const partnership = getPartnership(db);

  const meetingsByBoard = new Map<number, MeetingRef[]>();
  for (const m of client
    .prepare('select id, board_id as boardId, starts_at as startsAt, is_sample as isSample from meetings where cancelled = 0 order by starts_at')
    .all() as { id: number; boardId: number; startsAt: string; isSample: number }[]) {
    const list = meetingsByBoard.get(m.boardId) ?? [];
    list.push({ id: m.id, startsAt: m.startsAt, isSample: m.isSample === 1 });
    meetingsByBoard.set(m.boardId, list);
  }
  const boards: BoardState[] = (
    client
      .prepare(
        `select b.id, b.name, b.chair_role_id as chairRoleId, r.name as chairRole, b.slack_channel as slackChannel,
                b.teams_channel as teamsChannel, b.update_window_days as updateWindowDays, b.reminder_days as reminderDays,
                b.papers_days as papersDays
         from boards b left join roles r on r.id = b.chair_role_id order by b.name`,
      )
      .all() as Omit<BoardState, 'meetings'>[]
  ).map((b) => ({ ...b, meetings: meetingsByBoard.get(b.id) ?? [] }));

  const supporting = new Map<number, number[]>();
  for (const s of client.prepare('select workstream_id as w, role_id as r from workstream_supporting_roles order by position').all() as {
    w: number;
    r: number;
  }[]) {
    const list = supporting.get(s.w) ?? [];
    list.push(s.r);
    supporting.set(s.w, list);
  }
  const lastReported = new Map<number, string>();
  for (const u of client
    .prepare("select action_id as a, max(created_at) as at from updates where kind <> 'import' group by action_id")
    .all() as { a: number; at: string }[]) {
    lastReported.set(u.a, u.at);
  }
  const actions: ActionState[] = (
    client
      .prepare(
        `select a.id, a.ref, a.text, p.id as planId, p.code as planCode, p.title as planTitle, w.id as workstreamId,
                w.title as workstreamTitle, coalesce(w.board_id, p.board_id) as boardId,
                coalesce(a.owner_role_id, w.lead_role_id) as ownerRoleId, r.name as ownerRole, a.owner_person_id as ownerPersonId,
                a.start, a.due, a.baseline_due as baselineDue, a.ongoing, a.flags, a.date_source as dateSource, a.status, a.percent
         from actions a join workstreams w on w.id = a.workstream_id join plans p on p.id = w.plan_id
         left join roles r on r.id = coalesce(a.owner_role_id, w.lead_role_id)
         where a.removed_at is null and w.removed_at is null
         order by p.position, p.code, w.number, a.number`,
      )
      .all() as (Omit<ActionState, 'supportingRoleIds' | 'lastReportedAt' | 'flags' | 'ongoing'> & { flags: string; ongoing: number })[]
  ).map((a) => ({
    ...a,
    ongoing: a.ongoing === 1,
    flags: JSON.parse(a.flags) as string[],
    supportingRoleIds: supporting.get(a.workstreamId) ?? [],
    lastReportedAt: lastReported.get(a.id) ?? null,
  }));

  const people: PersonState[] = (
    client
      .prepare(
        `select id, name, email, is_admin as isAdmin, away_until as awayUntil, delegate_id as delegateId, weekly_digest as weeklyDigest,
                slack_user_id as slackUserId, teams_user_id as teamsUserId, last_platform as lastPlatform
         from people order by id`,
      )
      .all() as (Omit<PersonState, 'isAdmin' | 'weeklyDigest'> & { isAdmin: number; weeklyDigest: number })[]
  ).map((p) => ({ ...p, isAdmin: p.isAdmin === 1, weeklyDigest: p.weeklyDigest === 1 }));

  const holders = new Map<number, number[]>();
  for (const h of client
    .prepare('select role_id as r, person_id as p from role_assignments where ended_at is null order by started_at, id')
    .all() as { r: number; p: number }[]) {
    const list = holders.get(h.r) ?? [];
    list.push(h.p);
    holders.set(h.r, list);
  }

  return {
    partnershipName: partnership.name,
    officeHours: partnership.officeHours,
    programmeChannel: partnership.programmeChannel,
    boards,
    actions,
    people,
    holders,
  };
}
