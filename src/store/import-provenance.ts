// Who last changed an action's value in sendbot, and when: what an import's conflict report names
// beside sendbot's value ("approved by Sam Chair on 3 Feb 2025"), and what `--prefer-file` writes
// into the history when the file's value replaces that decision. Read only for the few actions whose
// field both the file and sendbot changed, or whose progress the file changed.
import { sql } from 'drizzle-orm';
import type { Db } from './database.js';
import { exists, prepared } from './statements.js';

export interface Provenance {
  /** "Sam Chair <sam@example.org>", "the plan file", or null when nobody is recorded. */
  who: string | null;
  /** Stored instant (UTC ISO). */
  at: string | null;
  /** What they did, in a few words: "approved a date change", "pending request", "update from slack". */
  what: string;
}

export class ImportProvenance {
  constructor(private readonly db: Db) {}

  /** The latest approved or pending date change for an action (not one a plan file made). */
  async dateDecision(actionId: number): Promise<(Provenance & { state: 'approved' | 'pending' }) | undefined> {
    const row = await DATE_DECISION.get(this.db, { actionId });
    if (!row) return undefined;
    return row.state === 'approved'
      ? { state: 'approved', who: person(row.decider, row.deciderEmail), at: row.decidedAt, what: 'approved a date change' }
      : { state: 'pending', who: person(row.requester, row.requesterEmail), at: row.requestedAt, what: 'asked for a date change (pending)' };
  }

  /** Whether a date change is waiting for a decision. */
  async hasPendingDateChange(actionId: number): Promise<boolean> {
    return await exists(this.db, sql`select 1 from due_date_changes where action_id = ${actionId} and state = 'pending' limit 1`);
  }

  /** The latest update of an action; `fromFile` when a plan file gave it. */
  async latestUpdate(actionId: number): Promise<(Provenance & { fromFile: boolean }) | undefined> {
    const row = await LATEST_UPDATE.get(this.db, { actionId });
    if (!row) return undefined;
    const fromFile = row.platform === 'import';
    return { fromFile, who: fromFile ? 'the plan file' : person(row.name, row.email), at: row.at, what: fromFile ? 'an earlier plan file' : `update from ${row.platform}` };
  }

  /** The latest `/send assign` of an action, by its ref. */
  async assignment(ref: string): Promise<Provenance | undefined> {
    const row = await ASSIGNMENT.get(this.db, { ref });
    if (!row) return undefined;
    return { who: person(row.name, row.email) ?? row.label, at: row.at, what: 'assigned the action' };
  }
}

function person(name: string | null, email: string | null): string | null {
  if (!name) return email;
  return email ? `${name} <${email}>` : name;
}

// Compiled once: a re-import asks these for every action whose field both sides changed.
const DATE_DECISION = prepared<{
  state: 'approved' | 'pending';
  requestedAt: string;
  decidedAt: string | null;
  requester: string | null;
  requesterEmail: string | null;
  decider: string | null;
  deciderEmail: string | null;
}>(sql`select c.state, c.requested_at as "requestedAt", c.decided_at as "decidedAt", r.name as requester, r.email as "requesterEmail",
              d.name as decider, d.email as "deciderEmail"
         from due_date_changes c left join people r on r.id = c.requested_by left join people d on d.id = c.decided_by
        where c.action_id = ${sql.placeholder('actionId')} and c.state in ('approved', 'pending') order by c.id desc limit 1`);

const LATEST_UPDATE = prepared<{ platform: string; at: string; name: string | null; email: string | null }>(
  sql`select u.platform, u.created_at as at, p.name, p.email from updates u left join people p on p.id = u.person_id
        where u.action_id = ${sql.placeholder('actionId')} order by u.created_at desc, u.id desc limit 1`,
);

const ASSIGNMENT = prepared<{ at: string; label: string | null; name: string | null; email: string | null }>(
  sql`select a.at, a.actor_label as label, p.name, p.email from audit_log a left join people p on p.id = a.actor_person_id
        where a.event = 'action.assigned' and a.entity = ${sql.placeholder('ref')} order by a.id desc limit 1`,
);
