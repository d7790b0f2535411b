const SKIP_WORDS = new Set(['improvement', 'plan', 'and', 'the', 'of', 'for', 'to', 'in', 'a', 'an', '&']);

/**
 * A short code for a plan title when the file gives none: initials of its significant words
 * ("Healthy Child Programme Improvement Plan" → "HCP"), or the first three letters of a single word
 * ("Transitions Improvement Plan" → "TRA").
 */
export function derivePlanCode(title: string): string {
  const words = title
    .replace(/[^A-Za-z0-9\s&]/g, ' ')
    .split(/\s+/)
    .filter((w) => w && !SKIP_WORDS.has(w.toLowerCase()));
  if (words.length === 0) return 'P';
  if (words.length === 1) return words[0]!.slice(0, 3).toUpperCase();
  return words
    .slice(0, 4)
    .map((w) => w[0]!.toUpperCase())
    .join('');
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
