// Plans repeat their date phrases: every workstream's "31 March 25", "Ongoing", "Summer term 2025",
// and the same few dates written against many actions. A large import read the same phrase tens of
// thousands of times; a DeadlineMemo reads each distinct phrase once for each context it is read in.
//
// A reading depends on the phrase, the enclosing window (an action's workstream dates), the reference
// date and the school terms. One memo holds one reference date and one set of terms (one import, one
// clock), and keys its entries on the phrase and the window, so a phrase never takes a reading made for
// another window or another day.
import type { Deadline, DeadlineContext, SchoolTerm } from './deadline-types.js';
import { readDeadline } from './deadlines.js';

export type DeadlineWindow = NonNullable<DeadlineContext['window']>;

export class DeadlineMemo {
  private readonly readings = new Map<string, Deadline>();

  constructor(private readonly base: { reference: string; terms?: SchoolTerm[] }) {}

  /** readDeadline(text, { window, reference, terms }), read once per distinct (window, text). */
  read(text: string, window?: DeadlineWindow): Deadline {
    // Window dates are ISO dates or empty, so the first '|' after them always ends them.
    const key = window ? `${window.start ?? ''} ${window.due ?? ''}|${text}` : `|${text}`;
    let deadline = this.readings.get(key);
    if (deadline === undefined) {
      const ctx: DeadlineContext = { ...(window ? { window } : {}), reference: this.base.reference, ...(this.base.terms ? { terms: this.base.terms } : {}) };
      // Shared between every caller that reads the same phrase: frozen, so no caller can change another's.
      deadline = freezeDeadline(readDeadline(text, ctx));
      this.readings.set(key, deadline);
    }
    return deadline;
  }
}

function freezeDeadline(d: Deadline): Deadline {
  for (const m of d.milestones) {
    Object.freeze(m.flags);
    Object.freeze(m);
  }
  Object.freeze(d.milestones);
  Object.freeze(d.flags);
  return Object.freeze(d);
}
