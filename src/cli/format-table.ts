/** Renders rows as a plain fixed-width text table for terminals and logs. */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][], maxWidth = 48): string {
  const cells = rows.map((r) => r.map((c) => truncate(c === null || c === undefined ? '' : String(c), maxWidth)));
  // A loop, not Math.max(...column): spreading a column of a few hundred thousand rows overflows the stack.
  const widths = headers.map((h) => h.length);
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
