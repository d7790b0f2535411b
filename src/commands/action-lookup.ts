import { distance } from 'fastest-levenshtein';
import { normaliseRef } from '../domain/plan-codes.js';
import { DEMO_EXAMPLES } from '../domain/plan-examples.js';
import { type ActionView, getActionView, listRefs } from '../store/actions-repository.js';
import type { Db } from '../store/database.js';
import { UserError } from './types.js';

export interface RefMatch {
  ref: string;
  /** How many words the reference took ("ND 1.2" is two). */
  consumed: number;
}

/** Reads a tolerant reference from the start of `words`: "ND-1.2", "nd-1.2", "ND1.2", "ND 1.2". */
export function readRef(words: string[]): RefMatch | undefined {
  const [a, b] = words;
  if (a === undefined) return undefined;
  const one = normaliseRef(a);
  if (one) return { ref: one, consumed: 1 };
  if (b !== undefined) {
    const two = normaliseRef(`${a} ${b}`);
    if (two) return { ref: two, consumed: 2 };
  }
  return undefined;
}

export function looksLikeRef(word: string | undefined): boolean {
  return word !== undefined && /^[A-Za-z]{1,10}[-–_ ]?\d/.test(word);
}

/** The nearest existing refs to a mistyped one, best first. */
export async function nearestRefs(db: Db, ref: string, limit = 3): Promise<string[]> {
  const refs = await listRefs(db);
  const [code] = ref.split('-');
  return refs
    .map((r) => ({ r, d: distance(r, ref) - (r.startsWith(`${code}-`) ? 0.5 : 0) }))
    .sort((x, y) => x.d - y.d || x.r.localeCompare(y.r, 'en', { numeric: true }))
    .slice(0, limit)
    .map((x) => x.r);
}

/** Looks up an action by a typed reference; a miss explains itself and suggests the nearest refs. */
export async function findActionOrExplain(db: Db, typed: string, ref: string | undefined): Promise<ActionView> {
  const canonical = ref ?? normaliseRef(typed);
  const action = canonical ? await getActionView(db, canonical) : undefined;
  if (action) return action;
  const suggestions = await nearestRefs(db, canonical ?? typed.toUpperCase());
  throw new UserError(
    `There is no action ${canonical ?? `"${typed}"`}.`,
    // No suggestion only when the plan has no actions at all: then the demo's ref is the only example.
    suggestions.length ? `Did you mean ${suggestions.join(', ')}?` : `The plan has no actions yet. Refs look like ${DEMO_EXAMPLES.ref} (plan code, workstream, action).`,
  );
}
