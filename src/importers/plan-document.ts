// The neutral shape every plan source is read into (YAML, CSV, XLSX) before it touches the database.
// YAML files use exactly these snake_case keys; table importers build the same shape from rows.
//
// `number` (of a workstream or an action) means "stated by the file": a Ref / No. / ID cell
// ("ND-1.2", "1.2", "3"), a YAML `number:`, or a workstream title that starts with its number
// ("4. Joint commissioning"). It is absent otherwise, never filled in from a row's position: the store
// matches unnumbered rows by their text within their workstream and numbers them itself.
import { z } from 'zod';

const trimmed = z.string().trim();
const nonEmpty = trimmed.min(1, 'must not be empty');
/** Cells and YAML scalars sometimes arrive as numbers or dates ("2025", a spreadsheet date). */
const looseText = z.union([z.string(), z.number(), z.date()]).transform((v) => {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
});
const email = trimmed.toLowerCase().pipe(z.email('must be an email address, e.g. jo.bloggs@example.org'));
const roleList = z
  .union([z.string(), z.array(nonEmpty)])
  .transform((v) => (Array.isArray(v) ? v : splitRoleList(v)));

export const schoolTermSchema = z.object({
  name: z.enum(['autumn', 'spring', 'summer']),
  start: z.iso.date('must be a date written year-month-day, e.g. 2024-09-03'),
  end: z.iso.date('must be a date written year-month-day, e.g. 2024-12-20'),
});

export const partnershipSchema = z.object({
  name: nonEmpty,
  timezone: trimmed.default('Europe/London'),
  office_hours: z
    .object({
      start: z.string().regex(/^\d{2}:\d{2}$/, 'must be a 24-hour time with two digits each side, e.g. 09:00'),
      end: z.string().regex(/^\d{2}:\d{2}$/, 'must be a 24-hour time with two digits each side, e.g. 17:30'),
    })
    .optional(),
  school_terms: z.array(schoolTermSchema).optional(),
  programme_channel: trimmed.optional(),
});

export const roleSchema = z.object({
  name: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
});

export const personSchema = z.object({
  name: nonEmpty,
  email,
  roles: roleList.default([]),
  slack_user_id: trimmed.optional(),
  teams_user_id: trimmed.optional(),
  admin: z.boolean().default(false),
  weekly_digest: z.boolean().default(false),
});

export const meetingSchema = z.object({
  /** ISO date-time; without an offset it is London local time. */
  at: z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString() : v.trim())),
  title: trimmed.optional(),
  sample: z.boolean().default(false),
});

export const boardSchema = z.object({
  name: nonEmpty,
  chair_role: nonEmpty.optional(),
  slack_channel: trimmed.optional(),
  teams_channel: trimmed.optional(),
  lead_times: z
    .object({
      update_window: z.number().int().min(1).max(60).optional(),
      reminder: z.number().int().min(0).max(60).optional(),
      papers: z.number().int().min(0).max(60).optional(),
    })
    .optional(),
  meetings: z.array(meetingSchema).default([]),
});

/** A trajectory point: `{ target: "65%", by: "March 25" }` or the words "65% by March 25". */
export const kpiTargetSchema = z.union([z.object({ target: looseText, by: looseText }), nonEmpty]);

/** A reading given in the file (past figures, or the demo's samples). */
export const kpiReadingSchema = z.object({
  /** The period it is for: "Q2 24/25", "October 2024", "2023/24", "as at 15 Nov 2024". */
  period: looseText,
  /** "63%", "12 weeks", 140. */
  value: looseText,
  note: trimmed.optional(),
  /** True for illustrative figures (the demo): shown as samples, never as published statistics. */
  sample: z.boolean().default(false),
});

/**
 * A KPI of the plan. Only `name` is required; the older form (`name`, `baseline`, `trajectory` of
 * `{ target, by }`) still reads the same. Units, directions and frequencies are words checked by the
 * importer so its messages can name the value: see src/store/kpi-import.ts.
 */
export const kpiSchema = z.object({
  /** What people type: "HR1" (qualified with the plan code: HCP-HR1) or "HCP-HR1". Derived when absent. */
  code: trimmed.optional(),
  name: nonEmpty,
  /** The workstream's number in the plan, or its title. */
  workstream: z.union([z.number().int().positive(), nonEmpty]).optional(),
  /** Owner role; default the workstream's accountable lead. */
  owner: nonEmpty.optional(),
  /** "%"/percent, weeks, days, count or number; default read from how the targets are written. */
  unit: trimmed.optional(),
  /** higher or lower (is better); default from the baseline and the targets. */
  direction: trimmed.optional(),
  /** monthly, quarterly (financial quarters) or annual (financial years); default monthly. */
  frequency: trimmed.optional(),
  /** The baseline as the plan words it: "62–65% in 2023/24". */
  baseline: looseText.optional(),
  /** The baseline as one number, when the words give a range or none. */
  baseline_value: z.number().optional(),
  /** The period or date the baseline describes ("2023/24"), when the words do not say. */
  baseline_as_of: looseText.optional(),
  trajectory: z.union([z.array(kpiTargetSchema), nonEmpty]).default([]),
  readings: z.array(kpiReadingSchema).default([]),
  /** Line or row in the source file, for error messages and reports. */
  source_line: z.number().int().optional(),
});

/**
 * Progress the file states for an action (a RAG / Status, "% complete" or "Progress update (Nov 23)"
 * column): the store makes it the action's first update on a first import, dated `as_of` and
 * attributed to the plan file.
 */
export const actionProgressSchema = z.object({
  /** As written, obvious forms normalised: red, amber, green, blue, complete; else the words ("On track"). */
  status: trimmed.min(1).optional(),
  percent: z.number().int().min(0).max(100).optional(),
  /** The progress text. */
  note: trimmed.min(1).optional(),
  /** The date the column's heading names (end of the month for "Nov 23"); absent when it names none. */
  as_of: z.iso.date().optional(),
});

export const actionSchema = z.object({
  /**
   * Action number within the workstream, only when the file states it (a Ref column, YAML `number:`).
   * Absent, the row is matched to a stored action by its words, never by its position
   * (domain/row-matching.ts), and a new one is numbered after the last.
   */
  number: z.number().int().positive().optional(),
  text: nonEmpty,
  /** Owner role override (otherwise the workstream's lead). */
  owner: nonEmpty.optional(),
  /** Supporting roles for this action only, besides its workstream's. */
  with: roleList.optional(),
  /** A date phrase for this action; otherwise one is looked for in the text ("by Sep 24"). */
  due: looseText.optional(),
  status: trimmed.optional(),
  progress: actionProgressSchema.optional(),
  /** Line or row in the source file, for error messages and reports. */
  source_line: z.number().int().optional(),
});

const ACTION_KEYS = new Set(['number', 'text', 'owner', 'with', 'due', 'status', 'progress', 'source_line']);
const isSettledText = (v: unknown): v is string => typeof v === 'string' && v.trim() === v;
const isSettledName = (v: unknown): v is string => isSettledText(v) && v.length > 0;

/**
 * True when actionSchema would give this value back unchanged (known keys only, text already
 * trimmed and non-empty, whole numbers): such an action needs no parsing. A table file's actions are
 * built from trimmed cells, so nearly all of them are; checking that by hand is many times cheaper than
 * zod over 100k actions. Anything else returns false and goes through actionSchema. Keep in step with
 * actionSchema: when in doubt, return false.
 */
export function isSettledAction(value: unknown): value is ActionInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const [key, v] of Object.entries(value)) {
    if (!ACTION_KEYS.has(key)) return false;
    const ok =
      key === 'text' || key === 'owner'
        ? isSettledName(v)
        : key === 'with'
          ? Array.isArray(v) && v.every(isSettledName)
          : key === 'due' || key === 'status'
            ? isSettledText(v)
            : key === 'number'
              ? Number.isSafeInteger(v) && (v as number) > 0
              : key === 'progress'
                ? isSettledProgress(v)
                : Number.isSafeInteger(v); // source_line
    if (!ok) return false;
  }
  return isSettledName((value as { text?: unknown }).text);
}

function isSettledProgress(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const [key, x] of Object.entries(v)) {
    if (key === 'status' || key === 'note') {
      if (!isSettledName(x)) return false;
    } else if (key === 'percent') {
      if (!Number.isInteger(x) || !((x as number) >= 0 && (x as number) <= 100)) return false;
    } else return false; // as_of and anything else: let zod check it
  }
  return true;
}

export const workstreamSchema = z.object({
  /** Only when the file states it (see the top of this file). */
  number: z.number().int().positive().optional(),
  title: nonEmpty,
  lead: nonEmpty.optional(),
  with: roleList.default([]),
  /** The "Date of Completion" cell, verbatim: one milestone per line. */
  due: looseText.optional(),
  board: nonEmpty.optional(),
  actions: z.array(actionSchema).default([]),
});

export const planSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z][A-Z0-9]{0,9}$/, 'must be 1–10 letters or digits starting with a letter, e.g. ND')
    .optional(),
  title: nonEmpty,
  board: nonEmpty.optional(),
  area_for_improvement: trimmed.optional(),
  findings: trimmed.optional(),
  // Absent (a table file has no column for them): the plan's stored outcomes and evidence are kept.
  outcomes: z.array(nonEmpty).optional(),
  evidence: z.array(nonEmpty).optional(),
  kpis: z.array(kpiSchema).default([]),
  workstreams: z.array(workstreamSchema).default([]),
});

export const planDocumentSchema = z.object({
  partnership: partnershipSchema.optional(),
  roles: z.array(roleSchema).default([]),
  people: z.array(personSchema).default([]),
  boards: z.array(boardSchema).default([]),
  plans: z.array(planSchema).default([]),
});

export type PlanDocument = z.output<typeof planDocumentSchema>;
export type PlanDocumentInput = z.input<typeof planDocumentSchema>;
export type PlanInput = z.output<typeof planSchema>;
export type WorkstreamInput = z.output<typeof workstreamSchema>;
export type ActionInput = z.output<typeof actionSchema>;
export type KpiInput = z.output<typeof kpiSchema>;
export type PersonInput = z.output<typeof personSchema>;
export type BoardInput = z.output<typeof boardSchema>;

/** "With" cells list roles separated by `;`, `/` or new lines. */
export function splitRoleList(text: string): string[] {
  return text
    .split(/[;\n/]|\r\n/)
    .map((s) => s.replace(/^\s*with\s*:\s*/i, '').trim())
    .filter((s) => s.length > 0);
}
