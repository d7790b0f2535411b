// Which column of a table supplies which field, found by its heading.
//
// A heading matches a field when, ignoring case, spaces and punctuation, it is one of the field's
// aliases (an EXACT match), or it is one once a bracketed part is taken off ("Progress update
// (Nov 23)" → "Progress update", "Lead officer(s)" → "Lead officer"): a LOOSE match. Two columns for
// one field: the more specific match wins and the other is reported as unused, naming the winner.
// From most to least specific: an exact heading naming a particular kind of the field ("Plan title",
// "Plan code", "Key actions"); an exact heading that is the field's own general name ("Plan",
// "Action", "Workstream"); a loose match. Two equally specific matches are refused with both
// headings named, since either could be meant.
// The alias tables must not list one alias under two fields: a heading means at most one field.
import type { ImportProblem } from './import-errors.js';
import type { TableRow } from './table-cells.js';

/**
 * "Date of Completion" → "dateofcompletion"; "plan_code" and "Plan Code" → "plancode"; "%" is the
 * word "percent" ("% complete" → "percentcomplete"), so that it is not lost with the punctuation.
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/%/g, 'percent')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The heading without a bracketed part: "Progress update (Nov 23)" → "Progress update". */
export function headingWithoutBrackets(header: string): string {
  return header.replace(/\s*[([][^)\]]*[)\]]\s*/g, ' ').trim();
}

/** The text in a heading's brackets, if any: "Progress update (Nov 23)" → "Nov 23". */
export function bracketedPart(header: string): string | undefined {
  return /[([]([^)\]]+)[)\]]/.exec(header)?.[1]?.trim();
}

/** Header texts in order of first appearance across the rows. */
export function headersOf(rows: readonly TableRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const h of Object.keys(r.cells)) seen.add(h);
  return [...seen];
}

export interface HeaderMatch<F extends string> {
  /** Field → original header text of the column that supplies it. */
  columns: Partial<Record<F, string>>;
  problems: ImportProblem[];
  /** Headings that matched a field already supplied by a better-matching column. */
  shadowed: Array<{ heading: string; field: F; by: string }>;
}

type Lookup<F extends string> = Map<string, F>;
const lookups = new WeakMap<object, Map<string, string>>();

function lookupOf<F extends string>(aliases: Record<F, readonly string[]>): Lookup<F> {
  let lookup = lookups.get(aliases) as Lookup<F> | undefined;
  if (lookup === undefined) {
    lookup = new Map();
    for (const field of Object.keys(aliases) as F[]) for (const a of aliases[field]) lookup.set(normaliseHeader(a), field);
    lookups.set(aliases, lookup);
  }
  return lookup;
}

/**
 * The field a heading names, and how specifically: 3 an exact particular heading, 2 the field's own
 * general name, 1 loose (see the top of this file).
 */
export function fieldOfHeading<F extends string>(heading: string, aliases: Record<F, readonly string[]>): { field: F; rank: 1 | 2 | 3 } | undefined {
  const lookup = lookupOf(aliases);
  const key = normaliseHeader(heading);
  const exact = lookup.get(key);
  if (exact !== undefined) return { field: exact, rank: key === normaliseHeader(exact) ? 2 : 3 };
  const stripped = headingWithoutBrackets(heading);
  if (stripped === heading) return undefined;
  const loose = lookup.get(normaliseHeader(stripped));
  return loose !== undefined ? { field: loose, rank: 1 } : undefined;
}

/** Match headers to fields (see the top of this file). */
export function matchHeaders<F extends string>(
  headers: readonly string[],
  aliases: Record<F, readonly string[]>,
  /** The field's name in messages; default its first alias. */
  labels?: Record<F, string>,
  file?: string,
): HeaderMatch<F> {
  const best = new Map<F, { heading: string; rank: number }>();
  const problems: ImportProblem[] = [];
  const shadowed: HeaderMatch<F>['shadowed'] = [];
  for (const h of headers) {
    const m = fieldOfHeading(h, aliases);
    if (m === undefined) continue;
    const held = best.get(m.field);
    if (held === undefined) best.set(m.field, { heading: h, rank: m.rank });
    else if (held.rank > m.rank) shadowed.push({ heading: h, field: m.field, by: held.heading });
    else if (held.rank < m.rank) {
      shadowed.push({ heading: held.heading, field: m.field, by: h });
      best.set(m.field, { heading: h, rank: m.rank });
    } else {
      problems.push({
        ...(file !== undefined ? { file } : {}),
        column: h,
        message: `columns "${held.heading}" and "${h}" both look like the ${labels?.[m.field] ?? aliases[m.field][0]} column; remove or rename one`,
      });
    }
  }
  const columns: Partial<Record<F, string>> = {};
  for (const [field, { heading }] of best) columns[field] = heading;
  return { columns, problems, shadowed };
}
