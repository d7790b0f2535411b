// `/send kpi <code> <value> [for <period>] [note…]` records a reading; `/send kpi <code>` shows the
// series, the trajectory and where it stands. A refusal says exactly what was wrong and stores nothing.
import { z } from 'zod';
import { toStoredInstant } from '../clock.js';
import type { SchoolTerm } from '../domain/deadline-types.js';
import { assessKpi } from '../domain/kpi-assessment.js';
import { type KpiPeriod, latestCompletePeriod, readKpiPeriod } from '../domain/kpi-periods.js';
import type { KpiSeries } from '../domain/kpi-types.js';
import { checkValue, exampleValue, formatKpiValue, isLargeMove, readWrittenValue, UNIT_NAMES, unitWordsAt } from '../domain/kpi-values.js';
import { updateRight } from '../domain/permissions.js';
import { formatDate, formatShortInstant } from '../render/format.js';
import { positionSentence, targetText, trajectoryText } from '../render/kpi-lines.js';
import { sparkline } from '../render/kpi-text.js';
import { fields, heading, list, type Reply, reply, text } from '../render/reply.js';
import { recordAudit } from '../store/audit-repository.js';
import { auditActor } from './audit-actor.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { type Db, inTransaction } from '../store/database.js';
import { type KpiRecord, kpiReadingHistory, listKpiSeries, recordKpiReading, standingReading } from '../store/kpis-repository.js';
import { getPartnership } from '../store/partnership-repository.js';
import { listAdmins } from '../store/people-repository.js';
import { findKpiOrExplain } from './kpi-lookup.js';
import { listMyKpis } from './kpis.js';
import { describeRole, holderNames, joinOr } from './shared.js';
import { type CommandContext, defineCommand, PermissionError, UserError } from './types.js';

const WRITTEN_NAMES = { percent: 'a percentage', weeks: 'weeks', days: 'days', months: 'months', years: 'years' } as const;

/** Readings shown by `/send kpi <code>` (the most recent periods); the rest are counted. */
const HISTORY_LINES = 12;

const FREQUENCY_TEXT = { monthly: 'monthly', quarterly: 'quarterly (financial quarters)', annual: 'yearly (financial years)' } as const;
const FREQUENCY_PERIOD = { monthly: 'month', quarterly: 'quarter', annual: 'financial year' } as const;

/** Words that can be part of a period after "for": "Q3 24/25", "November 2024", "last quarter", "15 Nov 2024". */
const MONTH_RUN = '(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?[-–—/]?)+';
const PERIOD_WORD = new RegExp(
  `^(${MONTH_RUN}|q[1-4]|fy|\\d{1,4}(?:[/\\-–]\\d{2,4})?(?:st|nd|rd|th)?[,.]?|\\d{1,2}[/.]\\d{1,2}[/.]\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|end|of|the|last|previous|month|quarter|financial|year|term|autumn|spring|summer|to|[-–—]|w/c)$`,
  'i',
);

export const kpiCommand = defineCommand({
  name: 'kpi',
  aliases: ['measure'],
  summary: 'record a KPI reading, or show a KPI against its trajectory',
  usage: '/send kpi <code> [<value> [for <period>] [note…]] [confirm]',
  // A reading only for a KPI this caller may record; anyone may look one up.
  examples: (ex) => [...(ex.mayRecordKpi ? [`/send kpi ${ex.kpiCode} ${ex.kpiValue} for ${ex.kpiPeriod} ${ex.kpiNote}`] : []), `/send kpi ${ex.kpiCode}`],
  examplesNote: (ex) =>
    ex.mayRecordKpi ? undefined : 'You can’t record readings for any KPI yet: a KPI’s owner, a supporting role, a delegate or a programme officer records them.',
  access: 'anyone',
  parse: (args) => ({ words: args }),
  schema: z.object({ words: z.array(z.string()) }),
  handle: async (ctx, input) => {
    if (input.words.length === 0) return await listMyKpis(ctx);
    const { record, consumed } = await findKpiOrExplain(ctx.db, input.words);
    const rest = input.words.slice(consumed);
    if (rest.length === 0 || (rest.length === 1 && /^(show|history|status|trend)$/i.test(rest[0] as string))) return await showKpi(ctx, record);
    if (/^(for|as)$/i.test(rest[0] as string)) {
      const s = record.series;
      // Their own figure, moved to the front, when they gave one.
      const at = rest.findIndex((w, i) => i > 0 && readWrittenValue([w]) !== undefined && !/\//.test(w));
      const value = at > 0 ? (rest[at] as string) : exampleValue(s.unit);
      const others = at > 0 ? rest.filter((_, i) => i !== at) : rest;
      throw new UserError(`Put the value before the period: /send kpi ${s.code} ${value} ${others.join(' ')}`, 'Nothing was saved.');
    }
    return await recordReading(ctx, record, rest);
  },
});

interface ReadingInput {
  value: number;
  period: KpiPeriod;
  /** True when no period was given and the latest complete one was taken. */
  defaulted: boolean;
  note: string | null;
}

/** Reads "<value> [for <period>] [note…]" for this KPI, or throws a UserError naming what was wrong. */
export function readReadingWords(series: KpiSeries, words: string[], today: string, terms?: SchoolTerm[]): ReadingInput {
  const code = series.code;
  const example = `/send kpi ${code} ${exampleValue(series.unit)}`;
  const written = readWrittenValue(words);
  if (!written) {
    throw new UserError(`"${words[0]}" is not a number. ${code} is ${UNIT_NAMES[series.unit]}.`, `Try: ${example}. Nothing was saved.`);
  }
  const problem = checkValue(written, series.unit);
  if (problem?.kind === 'wrong_unit') {
    const fits = checkValue({ value: written.value, unit: null }, series.unit) === undefined;
    const suggestion = problem.suggestion ?? (fits ? formatKpiValue(written.value, series.unit) : exampleValue(series.unit));
    throw new UserError(
      `${code} is ${UNIT_NAMES[series.unit]}, not ${WRITTEN_NAMES[problem.written]}: try /send kpi ${code} ${suggestion}`,
      `${series.name}. Nothing was saved.`,
    );
  }
  if (problem) throw new UserError(`That reading for ${code} can't be right: ${problem.message}.`, `Example: ${example}. Nothing was saved.`);

  let rest = words.slice(written.consumed);
  refuseStrayAfterValue(series, words, written.consumed);
  let period: KpiPeriod | undefined;
  const frequency = series.frequency ?? 'monthly';
  const lead = rest[0]?.toLowerCase();
  const asAt = lead === 'as' && /^(at|of)$/i.test(rest[1] ?? '');
  if (lead === 'for' || asAt) {
    const start = asAt ? 2 : 1;
    let end = start;
    while (end < rest.length && PERIOD_WORD.test(rest[end] as string)) end += 1;
    // A quoted period ("Q3 24/25") arrives as one word with spaces.
    if (end === start && rest[start]?.includes(' ')) end = start + 1;
    // The longest run of those words that reads as a period; the rest is the note.
    for (let n = end; n > start && !period; n -= 1) {
      const read = readKpiPeriod(rest.slice(start, n).join(' '), today, { frequency, terms });
      if (read.ok) {
        period = read.period;
        rest = rest.slice(n);
      } else if (read.problem === 'not_ended') {
        throw new UserError(
          `${read.period.label} has not ended yet, so its figure can't be recorded.`,
          `Give a finished period (e.g. for ${latestCompletePeriod(frequency, today).label}), or the day a count was taken (e.g. as at ${formatDate(today)}). Nothing was saved.`,
        );
      }
    }
    if (!period) {
      const typed = rest.slice(start, Math.max(end, start + 1)).join(' ');
      throw new UserError(
        `I couldn't read "${typed}" as a period.`,
        `Write it like for Q3 24/25, for November 2024, for 2024/25, for last quarter or as at 30 Nov 2024. Example: ${example} for ${latestCompletePeriod(frequency, today).label}. Nothing was saved.`,
      );
    }
  }
  // "note:" starts a note that may begin with a number ("note: 12 new clinics").
  if (/^note:/i.test(rest[0] ?? '')) rest = [(rest[0] as string).slice(5), ...rest.slice(1)];
  const note = rest.join(' ').trim();
  return { value: written.value, period: period ?? latestCompletePeriod(frequency, today), defaulted: !period, note: note || null };
}

/**
 * A value followed straight away by another number or a unit ("7 8%", "2 4 weeks", "63% %") was
 * almost always one figure typed with a space: refused with the figure probably meant, never read
 * as the first number with the rest as the note.
 */
function refuseStrayAfterValue(series: KpiSeries, words: string[], consumed: number): void {
  const rest = words.slice(consumed);
  const after = rest[0];
  if (after === undefined) return;
  const strayValue = readWrittenValue(rest);
  const strayUnit = strayValue ? 0 : unitWordsAt(rest);
  if (!strayValue && strayUnit === 0) return;
  const typed = words.slice(0, consumed + (strayValue ? strayValue.consumed : strayUnit)).join(' ');
  let meant: string | undefined;
  if (strayValue && consumed === 1 && /^\d+$/.test(words[0] as string) && /^\d/.test(after)) {
    const joined = readWrittenValue([`${words[0]}${after}`, ...rest.slice(1)]);
    if (joined && checkValue(joined, series.unit) === undefined) meant = formatKpiValue(joined.value, series.unit);
  }
  const what = strayValue ? 'a second number' : 'a unit';
  throw new UserError(
    `"${typed}" has ${what} after the value${meant ? `: did you mean ${meant}?` : '.'}`,
    `Give one value, e.g. /send kpi ${series.code} ${meant ?? exampleValue(series.unit)}. If the note starts with a number, write note: before it. Nothing was saved.`,
  );
}

/** Who may record readings for this KPI, as the refusal names them. */
export async function whoCanRecord(db: Db, record: KpiRecord): Promise<string> {
  const parts: string[] = [`the owner, ${await describeRole(db, record.ownerRoleId, record.series.ownerRole)}`];
  for (const [i, id] of record.supportingRoleIds.entries()) {
    const names = await holderNames(db, id);
    if (names.length) parts.push(`${names.join(', ')} (${record.supportingRoles[i]}, supporting)`);
  }
  const admins = (await listAdmins(db)).map((a) => a.name);
  if (admins.length) parts.push(`a programme officer (${admins.join(', ')})`);
  return `Readings for ${record.series.code} can be recorded by ${joinOr(parts)}.`;
}

async function recordReading(ctx: CommandContext, record: KpiRecord, words: string[]): Promise<Reply> {
  const now = ctx.clock.now();
  const today = now.toISODate() as string;
  const series = record.series;
  const facts = await loadCallerFacts(ctx.db, ctx.caller, today);
  const right = updateRight(facts, { ownerRoleId: record.ownerRoleId, ownerPersonId: null, supportingRoleIds: record.supportingRoleIds, boardId: record.boardId });
  if (!right) throw new PermissionError(`You can't record readings for ${series.code}. ${await whoCanRecord(ctx.db, record)}`);
  const terms = (await getPartnership(ctx.db)).schoolTerms;
  // A trailing "confirm" (the button, or typed) answers the question asked about a large move; on
  // any other reading it is a word of the note and kept.
  const confirmed = words.length > 1 && /^confirm$/i.test(words[words.length - 1] as string);
  let input = readReadingWords(series, confirmed ? words.slice(0, -1) : words, today, terms);
  const before = await standingReading(ctx.db, series.id, input.period.end);
  const last = before ?? previousReading(series, input.period.end);
  const large = last !== undefined && isLargeMove(last.value, input.value);
  if (confirmed && !large) input = readReadingWords(series, words, today, terms);
  if (large && !confirmed && last) {
    const command = `/send kpi ${series.code} ${words.join(' ')} confirm`;
    const from = formatKpiValue(last.value, series.unit);
    const to = formatKpiValue(input.value, series.unit);
    return reply(
      'warning',
      `${series.code}: record ${to} for ${input.period.label}? The last reading was ${from} (${last.periodLabel}), so this moves it by more than half.`,
      [text(`Nothing is stored yet. If ${to} is right: ${command}. If not, send the reading again.`)],
      { buttons: [{ id: 'confirm', label: `Record ${to}`, value: command, style: 'primary' }] },
    );
  }

  const at = toStoredInstant(now);
  // The same figure again for a period confirms it: kept in the history, but not a "correction".
  const same = before !== undefined && before.value === input.value;
  await inTransaction(ctx.db, async () => {
    const id = await recordKpiReading(ctx.db, {
      kpiId: series.id,
      value: input.value,
      periodLabel: input.period.label,
      periodStart: input.period.start,
      periodEnd: input.period.end,
      recordedAt: at,
      personId: ctx.caller.id,
      platform: ctx.platform,
      kind: before && !same ? 'correction' : 'reading',
      note: input.note,
      rawText: ctx.rawText,
    });
    if (right === 'admin' || right === 'delegate') {
      await recordAudit(ctx.db, { at, ...auditActor(ctx), event: `kpi_reading.by_${right}`, entity: series.code, detail: { readingId: id } });
    }
  });

  const after = (await listKpiSeries(ctx.db, { ids: [series.id] }))[0] as KpiSeries;
  const assessment = assessKpi(after, today);
  const value = formatKpiValue(input.value, series.unit);
  const on = right === 'owner' ? '' : right === 'supporting' ? ' (as a supporting role)' : right === 'delegate' ? ' (as delegate)' : ' (as admin)';
  const summary = same
    ? `${series.code} for ${input.period.label} stays ${value}: the same figure as recorded before${on}.`
    : before
    ? `Corrected ${series.code} for ${input.period.label}: ${value}, was ${formatKpiValue(before.value, series.unit)}${on}.`
    : `Recorded ${series.code}: ${value} for ${input.period.label}${on}.`;
  const blocks = [
    fields([
      ['KPI', `${series.code} ${series.name}`],
      ['Period', periodText(input.period)],
      ['Position', positionSentence(after, assessment)],
      ['Trend', trendText(after)],
      ['Next target', assessment.nextTarget ? targetText(after, assessment.nextTarget) : null],
      ['Note', input.note],
    ]),
  ];
  if (before && !same) {
    blocks.push(text(`The earlier figure (${formatKpiValue(before.value, series.unit)}, ${whoAndWhen(before)}) is kept in the history; the latest for a period counts.`, true));
  }
  if (input.defaulted) {
    blocks.push(
      text(
        `No period given, so this is for ${input.period.label}, the latest complete ${FREQUENCY_PERIOD[series.frequency ?? 'monthly']}. For another, send it again with for <period>, e.g. /send kpi ${series.code} ${value} for ${latestCompletePeriod(series.frequency ?? 'monthly', input.period.start ?? input.period.end).label}.`,
        true,
      ),
    );
  }
  return reply('success', summary, blocks);
}

/** The latest reading for a period before `periodEnd`: what a new period's figure is compared with. */
function previousReading(series: KpiSeries, periodEnd: string): { value: number; periodLabel: string } | undefined {
  const earlier = series.readings.filter((r) => r.periodEnd < periodEnd);
  return earlier[earlier.length - 1];
}

async function showKpi(ctx: CommandContext, record: KpiRecord): Promise<Reply> {
  const today = ctx.clock.now().toISODate() as string;
  const s = record.series;
  const a = assessKpi(s, today);
  const supporting = await Promise.all(record.supportingRoleIds.map(async (id, i) => await describeRole(ctx.db, id, record.supportingRoles[i] ?? null)));
  const blocks = [
    heading(`${s.code} · ${s.name}`),
    fields([
      ['Position', positionSentence(s, a)],
      ['Trajectory', trajectoryText(s)],
      ['Next target', a.nextTarget ? targetText(s, a.nextTarget) : null],
      ['Baseline', baselineText(s)],
      ['Measure', `${UNIT_NAMES[s.unit]}, ${s.direction === 'higher' ? 'higher' : 'lower'} is better, reported ${FREQUENCY_TEXT[s.frequency ?? 'monthly']}`],
      ['Owner', await describeRole(ctx.db, record.ownerRoleId, s.ownerRole)],
      ['Supporting', supporting.length ? supporting.join('; ') : null],
      ['Plan', `${s.planCode}: ${s.planTitle}${s.workstreamNumber !== null ? ` (workstream ${s.planCode}-${s.workstreamNumber}${s.workstreamTitle ? ` ${s.workstreamTitle}` : ''})` : ''}`],
      ['Board', record.boardName],
      ['Trend', s.readings.length ? trendText(s) : null],
    ]),
  ];
  if (a.basis === 'baseline') blocks.push(text('No trajectory is set, so readings are judged against the baseline: no worse than it is on track.', true));
  if (a.basis === 'first_reading') blocks.push(text('No trajectory or baseline figure is set, so readings are judged against the first reading: no worse than it is on track.', true));
  const history = await kpiReadingHistory(ctx.db, s.id);
  const lastOfPeriod = new Map(history.map((r) => [r.periodEnd, r.id]));
  const lines = [...history].reverse().map((r) => {
    const replaced = lastOfPeriod.get(r.periodEnd) !== r.id;
    const value = formatKpiValue(r.value, s.unit);
    return `${r.periodLabel}: ${value} (${whoAndWhen(r)}${r.kind === 'correction' ? ', a correction' : ''}${r.isSample ? ', sample figure' : ''})${replaced ? ' — replaced by a later figure' : ''}${r.note ? `: ${r.note}` : ''}`;
  });
  blocks.push(heading(`Readings (${history.length})`));
  if (lines.length === 0) blocks.push(text('None recorded yet.'));
  else blocks.push(list(lines.slice(0, HISTORY_LINES)));
  if (lines.length > HISTORY_LINES) blocks.push(text(`and ${lines.length - HISTORY_LINES} earlier`, true));
  blocks.push(text(`Record one: /send kpi ${s.code} ${exampleValue(s.unit)} [for <period>] [note]`, true));
  return reply('info', `${s.code} ${s.name} — ${positionSentence(s, a)}`, blocks);
}

function periodText(p: KpiPeriod): string {
  return p.start ? `${p.label} (${formatDate(p.start)} – ${formatDate(p.end)})` : p.label;
}

function trendText(s: KpiSeries): string {
  const shown = s.readings.slice(-8);
  return `${sparkline(shown.map((r) => r.value))} ${shown.map((r) => formatKpiValue(r.value, s.unit)).join(' → ')} (oldest first)`;
}

function baselineText(s: KpiSeries): string | null {
  const { value, text: words, asOf } = s.baseline;
  if (value === null) return words;
  const figure = `${formatKpiValue(value, s.unit)}${asOf ? ` at ${formatDate(asOf)}` : ''}`;
  return words && words !== String(value) ? `${words} (judged from ${figure})` : figure;
}

function whoAndWhen(r: { recordedBy: string | null; platform: string; recordedAt: string }): string {
  const who = r.recordedBy ?? (r.platform === 'import' ? 'plan file' : 'unknown');
  return `${who}, ${formatShortInstant(r.recordedAt)}`;
}
