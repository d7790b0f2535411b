// Whether two values are the same JSON, whatever the order of object keys. A JSON column read back
// from PostgreSQL's jsonb has its keys reordered (shortest first) and its spacing normalised, so the
// import cannot compare it with what it would write by text, as it can on SQLite.

/** `a` and `b` are equal as JSON values: undefined object fields left out, undefined in arrays as null. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => o[k] !== undefined);
  const xKeys = keys(x);
  if (xKeys.length !== keys(y).length) return false;
  for (const k of xKeys) if (y[k] === undefined || !sameJson(x[k], y[k])) return false;
  return true;
}

/** A JSON text column as stored (SQLite: as written; PostgreSQL: jsonb's text) equals `value`. */
export function sameJsonText(stored: string, value: unknown): boolean {
  return stored === JSON.stringify(value) || sameJson(JSON.parse(stored), JSON.parse(JSON.stringify(value)));
}
