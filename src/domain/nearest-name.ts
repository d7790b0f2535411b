// "Did you mean …?" for a name typed with a slip ("SEND Improvment Board"): the closest known name by
// edit distance, ignoring case and spacing, when it is close enough to be a typo rather than another
// name. Never chosen silently: callers only suggest it.
import { distance } from 'fastest-levenshtein';

const key = (name: string) => name.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();

export function nearestName(typed: string, names: readonly string[]): string | undefined {
  const wanted = key(typed);
  if (!wanted) return undefined;
  // A slip is a few letters: one in five of the name, at least two.
  const allowed = Math.max(2, Math.floor(wanted.length / 5));
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(wanted, key(name));
    if (d <= allowed && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}
