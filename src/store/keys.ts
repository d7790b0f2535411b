/** Match key for names typed by people and spreadsheets: case, spacing and apostrophe style ignored. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}
