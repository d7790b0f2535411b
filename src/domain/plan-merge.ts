// The three-way merge of one field on re-import: what the plan file said last time (the base), what
// it says now, and what sendbot holds now. sendbot is the record; a file is a proposal of changes to
// it, so a field the file did not change is never written, and a field both changed is a conflict in
// which sendbot's value stays unless the officer says --prefer-file. Pure: no database, no clock.

/**
 * - 'same':      the file did not change the field since the last import: write nothing, whatever
 *                sendbot holds (a chair's approved date, a status from chat).
 * - 'take-file': the file changed it and sendbot did not: write the file's value.
 * - 'agree':     both changed it to the same value: nothing to write but the new base.
 * - 'conflict':  both changed it, differently; or there is no base (a database from before the base
 *                was kept) and the values differ, so nobody can tell which is newer.
 */
export type FieldMerge = 'same' | 'take-file' | 'agree' | 'conflict';

/** `base` undefined means "not known"; null is a value (the file said nothing). */
export function mergeField<T>(base: T | undefined, file: T, current: T, equal: (a: T, b: T) => boolean = Object.is): FieldMerge {
  if (base === undefined) return equal(file, current) ? 'agree' : 'conflict';
  if (equal(file, base)) return 'same';
  if (equal(current, base)) return 'take-file';
  if (equal(current, file)) return 'agree';
  return 'conflict';
}

/** Whether the merge writes the file's value: on 'take-file', or on a conflict the officer resolved with --prefer-file. */
export function takesFile(outcome: FieldMerge, preferFile: boolean): boolean {
  return outcome === 'take-file' || (outcome === 'conflict' && preferFile);
}

/** Two lists of names, in order. */
export const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
