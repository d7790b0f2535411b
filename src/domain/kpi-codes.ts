// KPI codes: the short handle people type (`/send kpi HCP-HR1 63%`). A plan file may give one; else
// it is derived from the plan code and the KPI's name, and then kept, so it is stable across
// re-imports even when the name is reworded.
const SKIP = new Set(['of', 'the', 'and', 'for', 'to', 'in', 'a', 'an', 'on', 'at', 'by', 'with', 'who', 'have', 'has', 'had', 'are', 'is', 'from', 'number', 'percentage', 'rate', '%']);

/** "HCP-HR1", "ND-WAIT": a letter first, then letters, digits and single hyphens; up to 24 characters. */
export const KPI_CODE_PATTERN = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*$/;

/** Upper case, spaces and underscores as hyphens, dashes unified: "hcp hr1" → "HCP-HR1". */
export function normaliseKpiCode(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/[\s_–—]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The match key for a typed code: letters and digits only, so "HCP-HR1", "hcp hr1" and "HCPHR1" agree. */
export function kpiCodeKey(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** A plan file's code for a KPI: "HR1" means HR1 in its plan ("HCP-HR1"); "HCP-HR1" stays as it is. */
export function qualifyKpiCode(planCode: string, code: string): string {
  const c = normaliseKpiCode(code);
  return c.startsWith(`${planCode}-`) ? c : `${planCode}-${c}`;
}

/**
 * A code from the KPI's name: a code-like word in it ("HR1 (12-month review) coverage" → HR1), else
 * the initials of its first four significant words ("Wait for an ADHD assessment" → WAA), prefixed with
 * the plan code.
 */
export function deriveKpiCode(planCode: string, name: string): string {
  const words = name.replace(/[()[\],;:'’"]/g, ' ').split(/\s+/).filter(Boolean);
  const codeLike = words.find((w) => /^[A-Z]{1,6}\d{1,3}[A-Z]?$/.test(w));
  if (codeLike) return `${planCode}-${codeLike}`;
  const significant = words.filter((w) => /^[A-Za-z]/.test(w) && !SKIP.has(w.toLowerCase()));
  let suffix = significant
    .slice(0, 4)
    .map((w) => (w[0] as string).toUpperCase())
    .join('');
  if (suffix.length < 2) suffix = (significant[0] ?? words[0] ?? 'KPI').replace(/[^A-Za-z0-9]/g, '').slice(0, 4).toUpperCase() || 'KPI';
  return `${planCode}-${suffix.slice(0, 12)}`;
}

/** `code`, or `code-2`, `code-3`… whichever is not yet taken. */
export function uniqueKpiCode(code: string, taken: ReadonlySet<string>): string {
  if (!taken.has(code)) return code;
  for (let n = 2; ; n += 1) if (!taken.has(`${code}-${n}`)) return `${code}-${n}`;
}
