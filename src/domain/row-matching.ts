// Which row of a plan file is which stored action (or workstream). Never by position: an inserted or
// deleted row must not move one action's history onto its neighbour. In order:
//   1. a number the file states (a Ref column, a YAML `number:`) names its row exactly;
//   2. the same words (ignoring case, spacing and punctuation) name the same row;
//   3. what is left is paired by similar words when one pairing is clearly best ("reworded, was …");
//   4. a pairing that is neither clear nor clearly absent is uncertain: the import refuses and asks
//      for a Ref column rather than guess;
//   5. file rows left over are new, stored rows left over are missing from the file.
// Pure: the caller loads the stored rows and acts on the result.

export interface StoredRow {
  id: number;
  number: number;
  text: string;
  /** Marked removed by an earlier import: matched only after live rows, to bring it back. */
  removed: boolean;
}

export interface FileRow {
  /** The number the file states, if it states one. */
  number?: number;
  text: string;
}

export type MatchedBy = 'number' | 'text' | 'reworded';

export interface RowMatches {
  /** Per file row (same order): the stored row it is, and how that was decided; null for a new row. */
  rows: ({ stored: StoredRow; by: MatchedBy } | null)[];
  /** Live stored rows no file row matched. */
  missing: StoredRow[];
  /** File rows whose match cannot be decided, with the stored rows they could be. */
  uncertain: { fileIndex: number; candidates: StoredRow[] }[];
}

/** Similarity at or above which a pairing may be taken, when it is also clearly the best. */
const TAKE = 0.6;
/** Similarity below which two rows are simply different. Between the two: uncertain. */
const DIFFERENT = 0.35;
/** How far the best pairing must be ahead of the next best for each side to be "clear". */
const MARGIN = 0.15;

export function matchRows(stored: readonly StoredRow[], file: readonly FileRow[]): RowMatches {
  const rows: RowMatches['rows'] = file.map(() => null);
  const used = new Set<number>();
  const byNumber = new Map(stored.map((s) => [s.number, s]));

  // 1. Stated numbers.
  file.forEach((f, i) => {
    if (f.number === undefined) return;
    const s = byNumber.get(f.number);
    if (s && !used.has(s.id)) {
      rows[i] = { stored: s, by: 'number' };
      used.add(s.id);
    }
  });

  // 2. The same words: live rows first, then removed ones; equal texts pair in order.
  const unnumbered = file.map((f, i) => i).filter((i) => rows[i] === null && file[i]?.number === undefined);
  for (const removedPass of [false, true]) {
    const byKey = new Map<string, StoredRow[]>();
    for (const s of stored) {
      if (used.has(s.id) || s.removed !== removedPass) continue;
      const key = textKey(s.text);
      byKey.set(key, [...(byKey.get(key) ?? []), s]);
    }
    for (const i of unnumbered) {
      if (rows[i] !== null) continue;
      const queue = byKey.get(textKey(file[i]?.text ?? ''));
      const s = queue?.shift();
      if (s) {
        rows[i] = { stored: s, by: 'text' };
        used.add(s.id);
      }
    }
  }

  // 3–4. Similar words among what is left (live rows only: a removed row comes back by its words).
  const leftFile = unnumbered.filter((i) => rows[i] === null);
  const leftStored = stored.filter((s) => !used.has(s.id) && !s.removed);
  const uncertain: RowMatches['uncertain'] = [];
  if (leftFile.length > 0 && leftStored.length > 0) {
    const words = new Map(leftStored.map((s) => [s.id, wordSet(s.text)]));
    const scores = leftFile.map((i) => {
      const w = wordSet(file[i]?.text ?? '');
      return leftStored.map((s) => similarity(w, words.get(s.id) as Set<string>));
    });
    // Greedy, best pair first; each pair must be clearly best for both its rows.
    const pairs: { fi: number; si: number; score: number }[] = [];
    scores.forEach((row, fi) => row.forEach((score, si) => score >= DIFFERENT && pairs.push({ fi, si, score })));
    pairs.sort((a, b) => b.score - a.score);
    const fileDone = new Set<number>();
    const storedDone = new Set<number>();
    for (const { fi, si, score } of pairs) {
      if (fileDone.has(fi) || storedDone.has(si)) continue;
      const rivalForFile = Math.max(0, ...(scores[fi] as number[]).filter((_, k) => k !== si && !storedDone.has(k)));
      const rivalForStored = Math.max(0, ...scores.filter((_, k) => k !== fi && !fileDone.has(k)).map((r) => r[si] as number));
      const clear = score >= TAKE && score - rivalForFile >= MARGIN && score - rivalForStored >= MARGIN;
      const fileIndex = leftFile[fi] as number;
      fileDone.add(fi);
      if (clear) {
        storedDone.add(si);
        const s = leftStored[si] as StoredRow;
        rows[fileIndex] = { stored: s, by: 'reworded' };
        used.add(s.id);
      } else {
        const candidates = leftStored.filter((_, k) => !storedDone.has(k) && (scores[fi]?.[k] ?? 0) >= DIFFERENT);
        uncertain.push({ fileIndex, candidates });
      }
    }
  }

  const missing = stored.filter((s) => !used.has(s.id) && !s.removed);
  return { rows, missing, uncertain: uncertain.sort((a, b) => a.fileIndex - b.fileIndex) };
}

/** Case, spacing, punctuation and bullets do not make a different action. */
export function textKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function wordSet(text: string): Set<string> {
  return new Set(textKey(text).split(' ').filter((w) => w.length > 0));
}

/** Dice coefficient over the sets of words: 1 for the same words, 0 for none shared. */
function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}
