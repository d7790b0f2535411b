// Finding a KPI from what someone typed: "HCP-HR1", "hcp hr1", "HCPHR1", or just "HR1" when only one
// KPI ends that way. A miss explains itself and suggests the nearest codes.
import { distance } from 'fastest-levenshtein';
import { kpiCodeKey } from '../domain/kpi-codes.js';
import { DEMO_EXAMPLES } from '../domain/plan-examples.js';
import type { Db } from '../store/database.js';
import { findKpiByCode, type KpiRecord, listKpiCodes } from '../store/kpis-repository.js';
import { UserError } from './types.js';

export interface KpiMatch {
  record: KpiRecord;
  /** Words the code took ("HCP HR1" is two). */
  consumed: number;
}

type Known = { code: string; name: string };

function matchOne(known: Known[], typed: string): Known | undefined {
  const key = kpiCodeKey(typed);
  if (!key) return undefined;
  const exact = known.find((k) => kpiCodeKey(k.code) === key);
  if (exact) return exact;
  // "HR1" for HCP-HR1: only when exactly one KPI's code (after its plan code) is that.
  const bySuffix = known.filter((k) => kpiCodeKey(k.code.slice(k.code.indexOf('-') + 1)) === key);
  return bySuffix.length === 1 ? bySuffix[0] : undefined;
}

/** The KPI named by the first word or two of `words`, or undefined. */
export async function readKpi(db: Db, words: readonly string[]): Promise<KpiMatch | undefined> {
  const [a, b] = words;
  if (a === undefined) return undefined;
  const known = await listKpiCodes(db);
  const one = matchOne(known, a);
  const two = !one && b !== undefined ? matchOne(known, `${a}${b}`) : undefined;
  const found = one ?? two;
  if (!found) return undefined;
  const record = await findKpiByCode(db, found.code);
  return record ? { record, consumed: one ? 1 : 2 } : undefined;
}

/** The nearest KPI codes to a mistyped one (and KPIs whose name has the word), best first. */
export async function nearestKpis(db: Db, typed: string, limit = 3): Promise<Known[]> {
  const key = kpiCodeKey(typed);
  const word = typed.toLowerCase();
  return (await listKpiCodes(db))
    .map((k) => {
      const full = distance(kpiCodeKey(k.code), key);
      const suffix = distance(kpiCodeKey(k.code.slice(k.code.indexOf('-') + 1)), key);
      const named = word.length >= 3 && k.name.toLowerCase().includes(word) ? 0 : Number.POSITIVE_INFINITY;
      return { k, d: Math.min(full, suffix, named) };
    })
    .filter((x) => x.d <= Math.max(2, Math.floor(key.length / 3)))
    .sort((x, y) => x.d - y.d || x.k.code.localeCompare(y.k.code))
    .slice(0, limit)
    .map((x) => x.k);
}

export async function findKpiOrExplain(db: Db, words: readonly string[]): Promise<KpiMatch> {
  const match = await readKpi(db, words);
  if (match) return match;
  const typed = words[0] ?? '';
  const near = await nearestKpis(db, typed);
  const example = (await listKpiCodes(db))[0]?.code ?? DEMO_EXAMPLES.kpiCode;
  throw new UserError(
    `There is no KPI "${typed}".`,
    near.length
      ? `Did you mean ${near.map((k) => `${k.code} (${k.name})`).join(' or ')}? /send kpis lists yours.`
      : `KPI codes look like ${example} (plan code, then the KPI’s own). /send kpis lists yours.`,
  );
}
