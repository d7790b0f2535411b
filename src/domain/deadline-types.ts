// Types shared by the deadline reader and everything that stores or shows its results.
// Dates are ISO calendar dates (YYYY-MM-DD) in Europe/London.

export type TermName = 'autumn' | 'spring' | 'summer';

export interface SchoolTerm {
  name: TermName;
  /** First day of term, ISO date. */
  start: string;
  /** Last day of term, ISO date. */
  end: string;
}

export type Confidence = 'high' | 'medium' | 'low';

/**
 * Flags explain anything an officer may want to check. Stable strings, shown in import reports:
 * - 'unreadable'         no date could be read, or what was written cannot be a date ("Q5 24/25",
 *                        "31 Feb 25", "Febtember 2025", "31 March 1925", a year far outside the plan's
 *                        life): text kept verbatim, no due date
 * - 'partly-read'        some of the phrase (or one of its lines) could not be read
 * - 'year-from-context'  a month without a year was resolved against the workstream window or reference date
 * - 'start-only'         a start ("commencing", "from", "Jan 2024 onwards", "Sept 2023 - ongoing") with no end
 * - 'and-beyond'         "… & beyond": the due date is a checkpoint, work continues
 * - 'term-dates-default' a school term was resolved with the built-in default term dates
 * - 'vague'              a vague phrase ("year end", "next year"), or a date that is hedged ("sometime in
 *                        2025", "approx. March", "Dec 24 TBC", "March 2025?"), offered with an alternative
 *                        ("March 25 or 26"), bounded or negated ("not before March 2025") or superseded
 *                        ("delayed from March 2025"): not guessed, no due date. The vague milestone
 *                        never has a due date; when another line of the cell was read, the deadline
 *                        keeps that line's date and is flagged 'partly-read' and 'vague' (the digest
 *                        treats both as an unusable date for an officer to confirm).
 */
export type DeadlineFlag =
  | 'unreadable'
  | 'partly-read'
  | 'year-from-context'
  | 'start-only'
  | 'and-beyond'
  | 'term-dates-default'
  | 'vague';

export interface Milestone {
  /** The line or clause this milestone was read from, verbatim. */
  text: string;
  start: string | null;
  due: string | null;
  ongoing: boolean;
  completed: boolean;
  /** True for a parenthetical note ("(for delivery in 25/26)") that does not move the overall due date. */
  note: boolean;
  flags: DeadlineFlag[];
}

export interface Deadline {
  /** The whole phrase, verbatim. */
  text: string;
  /** Earliest start among milestones (ignoring notes). */
  start: string | null;
  /** Latest due among milestones (ignoring notes); null when nothing could be read with confidence. */
  due: string | null;
  milestones: Milestone[];
  ongoing: boolean;
  /**
   * True when the cell says the work is done ("Complete", "COMPLETED", "Done", "Complete - Sept 23"):
   * the action is complete and never overdue. A date given with the marker is its completion date,
   * and is in `due`.
   */
  completed: boolean;
  /**
   * The date the phrase says it was revised from, ISO (the baseline): "March 2024 (revised from Dec 23)"
   * → '2023-12-31', "(was Dec 24)", "delayed from March 2025". Null when none is written or it cannot
   * be read. `due` is always the current date, never this one.
   */
  revisedFrom: string | null;
  confidence: Confidence;
  flags: DeadlineFlag[];
}

export interface DeadlineContext {
  /**
   * The enclosing window, used to give a year to a month written without one ("by Dec", "from Sept"):
   * for an action, its workstream's start and due.
   */
  window?: { start: string | null; due: string | null };
  /** Used when there is no window (ISO date): the plan's date or the import date. */
  reference?: string;
  /** The partnership's school terms; built-in defaults (England) are used when absent or not covering a year. */
  terms?: SchoolTerm[];
}
