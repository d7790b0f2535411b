// Reads a settings sheet (two columns, Setting | Value) into the PlanDocument's partnership: its name,
// programme channel, office hours and school term dates. Pure.
//
// Settings are recognised by name (any case and punctuation): "Partnership name", "Programme channel",
// "Office hours" ("09:00-17:30") or "Office hours start" / "Office hours end", "Timezone", and a term
// as "Autumn term 2024" with "3 Sep 2024 to 20 Dec 2024" (or "Autumn term 2024 start" and "… end"
// on two rows). A setting it does not know is listed as unused by the caller, never dropped silently.
import type { ImportProblem } from './import-errors.js';
import { normaliseHeader } from './match-headers.js';
import type { PlanDocumentInput } from './plan-document.js';
import { cellText, type TableRow } from './table-cells.js';

type PartnershipInput = NonNullable<PlanDocumentInput['partnership']>;
type Term = { name: 'autumn' | 'spring' | 'summer'; start?: string; end?: string; row: number };

export const SETTING_HEADINGS = { setting: ['Setting', 'Settings', 'Name', 'Key'], value: ['Value', 'Values'] } as const;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "2024-09-03", "03/09/2024", "3 Sep 2024", "3 September 2024" → "2024-09-03"; else undefined. */
export function readDay(text: string): string | undefined {
  const t = text.trim();
  const pad = (n: number | string) => String(n).padStart(2, '0');
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (iso) return t;
  const uk = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (uk) return `${uk[3]}-${pad(uk[2] as string)}-${pad(uk[1] as string)}`;
  const words = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$/i.exec(t);
  if (words) {
    const m = MONTHS.indexOf((words[2] as string).slice(0, 3).toLowerCase());
    if (m >= 0) return `${words[3]}-${pad(m + 1)}-${pad(words[1] as string)}`;
  }
  return undefined;
}

export interface SettingsRead {
  partnership?: PartnershipInput;
  problems: ImportProblem[];
  /** Settings on the sheet that sendbot does not know, by name, for the unused report. */
  unknown: Array<{ row: number; name: string }>;
  /** The Setting and Value column headings. */
  columns: { setting?: string; value?: string };
}

export function readSettingsTable(rows: TableRow[], headers: readonly string[], opts: { file?: string } = {}): SettingsRead {
  const problems: ImportProblem[] = [];
  const fileField = opts.file !== undefined ? { file: opts.file } : {};
  const problem = (message: string, line?: number, column?: string): void => {
    problems.push({ ...fileField, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}), message });
  };
  const settingKeys = new Set(SETTING_HEADINGS.setting.map(normaliseHeader));
  const valueKeys = new Set(SETTING_HEADINGS.value.map(normaliseHeader));
  const settingCol = headers.find((h) => settingKeys.has(normaliseHeader(h)));
  const valueCol = headers.find((h) => valueKeys.has(normaliseHeader(h)));
  const unknown: SettingsRead['unknown'] = [];
  if (settingCol === undefined || valueCol === undefined) return { problems, unknown, columns: {} };

  const p: Partial<PartnershipInput> & { office_start?: string; office_end?: string } = {};
  const terms = new Map<string, Term>();
  for (const { row, cells } of rows) {
    const name = cellText(cells[settingCol]);
    const value = cellText(cells[valueCol]);
    if (!name.ok || !value.ok) {
      problem(!name.ok ? name.message : (value as { message: string }).message, row, !name.ok ? settingCol : valueCol);
      continue;
    }
    if (name.text === '') continue;
    const key = normaliseHeader(name.text);
    const v = value.text;
    if (v === '') continue;
    if (key === 'partnership' || key === 'partnershipname' || key === 'localarea' || key === 'localareapartnership') p.name = v;
    else if (key === 'programmechannel' || key === 'programmeslackchannel' || key === 'programmeteamschannel') p.programme_channel = v;
    else if (key === 'timezone' || key === 'timezone') p.timezone = v;
    else if (key === 'officehours') {
      const m = /^(\d{1,2}[:.]\d{2})\s*(?:-|–|to)\s*(\d{1,2}[:.]\d{2})$/i.exec(v);
      if (!m) problem(`"${v}" is not office hours; write the start and end, e.g. 09:00-17:30`, row, valueCol);
      else {
        p.office_start = hhmm(m[1] as string);
        p.office_end = hhmm(m[2] as string);
      }
    } else if (key === 'officehoursstart' || key === 'officehoursend') {
      if (!/^\d{1,2}[:.]\d{2}$/.test(v)) problem(`"${v}" is not a time; write e.g. 09:00`, row, valueCol);
      else if (key.endsWith('start')) p.office_start = hhmm(v);
      else p.office_end = hhmm(v);
    } else {
      const term = /^(autumn|spring|summer)term(\d{4}(?:\d{2,4})?)?(start|end|dates)?$/.exec(key);
      if (!term) {
        unknown.push({ row, name: name.text });
        continue;
      }
      const id = `${term[1]}${term[2] ?? ''}`;
      const t = terms.get(id) ?? { name: term[1] as Term['name'], row };
      terms.set(id, t);
      if (term[3] === 'start' || term[3] === 'end') {
        const day = readDay(v);
        if (day === undefined) problem(`"${v}" is not a date; write e.g. 3 Sep 2024 or 2024-09-03`, row, valueCol);
        else t[term[3]] = day;
      } else {
        const parts = v.split(/\s+(?:to|until|-|–)\s+/i);
        const [start, end] = parts.map(readDay);
        if (parts.length !== 2 || start === undefined || end === undefined) {
          problem(`"${v}" is not a term's first and last day; write e.g. 3 Sep 2024 to 20 Dec 2024`, row, valueCol);
        } else Object.assign(t, { start, end });
      }
    }
  }
  const school_terms = [...terms.values()].flatMap((t) => {
    if (t.start === undefined || t.end === undefined) {
      problem(`the ${t.name} term needs both its first and last day`, t.row, settingCol);
      return [];
    }
    return [{ name: t.name, start: t.start, end: t.end }];
  });
  const given = Object.keys(p).length > 0 || school_terms.length > 0;
  if (!given) return { problems, unknown, columns: { setting: settingCol, value: valueCol } };
  if (p.name === undefined) {
    problem('the settings give no "Partnership name"; add a row "Partnership name" with the partnership\'s name, so the other settings can be kept');
    return { problems, unknown, columns: { setting: settingCol, value: valueCol } };
  }
  const partnership: PartnershipInput = { name: p.name };
  if (p.timezone !== undefined) partnership.timezone = p.timezone;
  if (p.programme_channel !== undefined) partnership.programme_channel = p.programme_channel;
  if (p.office_start !== undefined || p.office_end !== undefined) {
    if (p.office_start === undefined || p.office_end === undefined) problem('office hours need both a start and an end, e.g. 09:00-17:30');
    else partnership.office_hours = { start: p.office_start, end: p.office_end };
  }
  if (school_terms.length > 0) partnership.school_terms = school_terms;
  return { partnership, problems, unknown, columns: { setting: settingCol, value: valueCol } };
}

function hhmm(text: string): string {
  const [h, m] = text.split(/[:.]/);
  return `${(h as string).padStart(2, '0')}:${m}`;
}
