// Plan codes people type in refs (ND-1.2). A file may give one; else one is made from the title, and
// the import report says how (planCodeFor's `how`) so an officer can set their own instead.

/** Words that carry no meaning in an initialism. */
const STOP_WORDS = new Set(['and', 'the', 'of', 'for', 'to', 'in', 'on', 'a', 'an', '&', 'with', 'by']);
/** Words nearly every plan title has: left out when the title has two or more other words. */
const GENERIC_WORDS = new Set(['improvement', 'plan']);
/** The longest code made from initials: longer ones stop being quicker to type than a word. */
const MAX_INITIALS = 4;

export interface DerivedPlanCode {
  code: string;
  /** How it was made, for the import report: 'the acronym "WSoA" in its title'. */
  how: string;
}

/**
 * A code for a plan title when the file gives none:
 * - an acronym the title already gives in brackets: "Written Statement of Action (WSoA)" → WSOA;
 * - else the initials of its words, leaving out years ("2023-24", "2025/26") and stop-words, and
 *   "Improvement Plan" when two or more other words remain: "Healthy Child Programme Improvement
 *   Plan" → HCP, "SEND Improvement Plan 2023-24" → SIP;
 * - one ordinary word: its first three letters ("Transitions Improvement Plan" → TRA); one that is
 *   itself an acronym ("SEND") is not cut short, the title's initials are used instead.
 */
export function planCodeFor(written: string): DerivedPlanCode {
  // Codes are plain A–Z and digits: "Équipe" gives E.
  const title = written.normalize('NFKD').replace(/\p{M}/gu, '');
  const bracketed = [...title.matchAll(/[([]\s*([A-Za-z][A-Za-z0-9&]{1,11})\s*[)\]]/g)]
    .map((m) => m[1] as string)
    // An acronym has at least two capitals: "(WSoA)", "(SIP)", not "(draft)" or "(Revised)".
    .find((a) => (a.match(/[A-Z]/g) ?? []).length >= 2);
  if (bracketed) {
    return usable(bracketed.toUpperCase().slice(0, 10), `from the acronym "${bracketed}" in its title`);
  }
  const words = title
    .replace(/[([][^)\]]*[)\]]/g, ' ')
    .replace(/[^\p{L}\p{N}\s&]/gu, ' ')
    .split(/\s+/)
    // Years and other numbers ("2023", "24", "25/26" once split) never make a letter of a code.
    .filter((w) => w && !/^\d+$/.test(w) && !STOP_WORDS.has(w.toLowerCase()));
  const distinctive = words.filter((w) => !GENERIC_WORDS.has(w.toLowerCase()));
  const letters = (ws: string[]) => ws.slice(0, MAX_INITIALS).map((w) => w[0]!.toUpperCase()).join('');
  const initials = (ws: string[]) => `from the initials of ${ws.slice(0, MAX_INITIALS).map((w) => `"${w}"`).join(', ')}`;
  if (distinctive.length >= 2) return usable(letters(distinctive), initials(distinctive));
  // A title of generic words only ("Plan 2023-24", "Improvement Plan") still has letters to use.
  const only = distinctive[0] ?? (words.length === 1 ? words[0] : undefined);
  if (only && !isAcronym(only)) return usable(only.slice(0, 3).toUpperCase(), `from the first three letters of "${only}"`);
  if (words.length >= 2) return usable(letters(words), initials(words));
  if (only) return usable(only.toUpperCase().slice(0, 10), `from "${only}", the one word of its title`);
  return usable('', '');
}

/** A code must be A–Z then A–Z or digits (plan-document.ts): anything else falls back to "P". */
function usable(code: string, how: string): DerivedPlanCode {
  const clean = code.replace(/[^A-Z0-9]/g, '');
  return /^[A-Z]/.test(clean) ? { code: clean, how } : { code: 'P', how: 'as "P": its title has no letters A–Z to make a code from' };
}

function isAcronym(word: string): boolean {
  return word.length >= 2 && word === word.toUpperCase() && /\p{L}/u.test(word);
}

/** A plan whose code the import made, and how: one line of the import report. */
export interface PlanCodeNote extends DerivedPlanCode {
  plan: string;
  /** The kind of file it came from, when known: the report then names only that file's field. */
  fileKind?: 'yaml' | 'table';
}

/** How to set a code yourself, in the words of the file kind (both when it is not known). */
const SET_CODE: Record<'yaml' | 'table' | 'either', string> = {
  yaml: 'add "code: <your code>" to the plan in the YAML file',
  table: 'fill a "Plan Code" column with your code (or give refs such as <your code>-1.1)',
  either: 'add "code: <your code>" to the plan in a YAML file, or in a table fill a "Plan Code" column (or give refs such as <your code>-1.1)',
};

/** 'Plan "…" has the code WSOA, made from …. To choose another, …' — for the import report. */
export function describePlanCode(note: PlanCodeNote): string {
  return (
    `Plan "${note.plan}" has the code ${note.code} (refs ${note.code}-1.1, ${note.code}-1.2 …), made ${note.how}. ` +
    `To choose another, ${SET_CODE[note.fileKind ?? 'either']}.`
  );
}

/** Makes `code` unique against `taken` by appending 2, 3, … */
export function uniqueCode(code: string, taken: Set<string>): string {
  if (!taken.has(code)) return code;
  for (let n = 2; ; n += 1) {
    const candidate = `${code}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Parses a reference typed loosely ("nd-1.2", "ND1.2", "ND 1.2") into its canonical form "ND-1.2". */
export function normaliseRef(text: string): string | undefined {
  const m = /^\s*([A-Za-z][A-Za-z0-9]*?)\s*[-–_ ]?\s*(\d+)\s*[.\-_ ]\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  return `${m[1]!.toUpperCase()}-${Number(m[2])}.${Number(m[3])}`;
}

export function formatRef(code: string, workstream: number, action: number): string {
  return `${code}-${workstream}.${action}`;
}
