// The existing role someone probably meant by a name sendbot does not know ("Head of Send Services"
// for "Head of SEND", "head of comissioning"): pure, so `sendbot role assign` can ask before it
// creates a role that would leave the real one's actions with their old holder.
import { distance } from 'fastest-levenshtein';

const STOP_WORDS = new Set(['of', 'the', 'and', 'for', 'to', 'in']);
const words = (s: string): string[] => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter((w) => w && !STOP_WORDS.has(w));

/**
 * Up to three existing role names close to `typed`, closest first: a small edit distance over the
 * whole name, or most of the typed words found in the role's name (or the other way round).
 */
export function suggestRoleNames(typed: string, roleNames: readonly string[]): string[] {
  const t = words(typed).join(' ');
  if (!t) return [];
  const scored: { name: string; score: number }[] = [];
  for (const name of roleNames) {
    const n = words(name).join(' ');
    const edits = distance(t, n);
    const tw = new Set(t.split(' '));
    const nw = new Set(n.split(' '));
    const shared = [...tw].filter((w) => nw.has(w)).length;
    const overlap = shared / Math.min(tw.size, nw.size);
    const close = edits <= Math.max(2, Math.floor(Math.max(t.length, n.length) / 5));
    if (close || (shared >= 1 && overlap >= 0.6 && !(tw.size === 1 && nw.size > 2))) scored.push({ name, score: close ? edits : 100 - shared * 10 + edits / 100 });
  }
  return scored.sort((a, b) => a.score - b.score).slice(0, 3).map((s) => s.name);
}
