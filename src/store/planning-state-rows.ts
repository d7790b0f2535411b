// Row shapes both planning-state loaders read the same way: the whole plan's
// (planning-state-repository.ts) and one board's slice (board-planning-state-repository.ts).
import { type SQL, sql } from 'drizzle-orm';
import type { PersonState } from '../domain/planning-state.js';

/** A person's columns, in the order toPersonState reads them. */
const PERSON_STATE_COLUMNS = ['id', 'name', 'email', 'is_admin', 'away_until', 'delegate_id', 'weekly_digest', 'slack_user_id', 'teams_user_id', 'last_platform'];

export type PersonStateRow = [number, string, string, number, string | null, number | null, number, string | null, string | null, string | null];

/** The person columns as expressions, qualified by `alias` when given. */
export function personStateColumns(alias?: string): SQL[] {
  return PERSON_STATE_COLUMNS.map((c) => (alias ? sql`${sql.identifier(alias)}.${sql.identifier(c)}` : sql.identifier(c)) as unknown as SQL);
}

/** A person row as PlanningState holds it (lastSentAt is the whole-plan loader's to add); `share` interns repeated strings. */
export function toPersonState(row: PersonStateRow, share: (s: string | null) => string | null = (s) => s): PersonState {
  const [id, name, email, isAdmin, awayUntil, delegateId, weeklyDigest, slackUserId, teamsUserId, lastPlatform] = row;
  return { id, name, email, isAdmin: Boolean(isAdmin), awayUntil, delegateId, weeklyDigest: Boolean(weeklyDigest), slackUserId, teamsUserId, lastPlatform: share(lastPlatform) };
}

/** The workstream's supporting roles, then the action's own that it does not already list. */
export function withOwnRoles(workstream: number[], own: number[] | undefined): number[] {
  return own === undefined || own.length === 0 ? workstream : [...workstream, ...own.filter((id) => !workstream.includes(id))];
}
