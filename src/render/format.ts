// Plain-text formatting lives in src/messages/format.ts (shared by the message model's builders and
// the renderers); this re-export keeps existing imports working. What only renderers need stays here.
import type { DigestUpdate } from '../domain/digest-model.js';
import { formatDate } from '../messages/format.js';

export * from '../messages/format.js';

const OUTCOME_WORDS = { pending: 'waiting for a decision', approved: 'approved', rejected: 'rejected', superseded: 'replaced by a later request' } as const;

/** "asked for a new due date, 30 Jun 2025 (rejected: no capacity until April)": what became of it, too. */
export function askedForNewDate(u: Pick<DigestUpdate, 'requestedDue' | 'requestOutcome' | 'requestDecisionNote'>): string | null {
  if (!u.requestedDue) return null;
  const outcome = u.requestOutcome ? OUTCOME_WORDS[u.requestOutcome] : null;
  const why = u.requestOutcome === 'rejected' && u.requestDecisionNote ? `: ${u.requestDecisionNote}` : '';
  return `asked for a new due date, ${formatDate(u.requestedDue)}${outcome ? ` (${outcome}${why})` : ''}`;
}

