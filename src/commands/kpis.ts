// `/send kpis`: the KPIs I own or support, with where each stands; `/send kpis all` (chairs and
// programme officers): every KPI, by plan.
import { z } from 'zod';
import { assessKpi } from '../domain/kpi-assessment.js';
import type { KpiPosition } from '../domain/kpi-types.js';
import { canReadAll } from '../domain/permissions.js';
import { plural } from '../render/format.js';
import { toKpiLine } from '../render/kpi-lines.js';
import { type KpiLine, type Reply, type ReplyBlock, reply, text } from '../render/reply.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { type KpiRecord, listKpiRecords } from '../store/kpis-repository.js';
import { holderLookup } from './shared.js';
import { type CommandContext, defineCommand, PermissionError, UserError } from './types.js';

export const kpisCommand = defineCommand({
  name: 'kpis',
  aliases: ['measures', 'mykpis'],
  summary: 'my KPIs and where each stands against its trajectory; `all` for chairs and admins',
  usage: '/send kpis [all]',
  examples: ['/send kpis', '/send kpis all'],
  access: 'anyone',
  readOnly: true,
  parse: (args) => ({ scope: args[0]?.toLowerCase() }),
  schema: z.object({ scope: z.string().optional() }),
  handle: async (ctx, input) => {
    if (input.scope === undefined || input.scope === 'mine') return await listMyKpis(ctx);
    if (input.scope !== 'all') throw new UserError(`"${input.scope}" isn't something I can list KPIs by.`, 'Try /send kpis (yours) or /send kpis all (chairs and programme officers).');
    const facts = await loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string);
    if (!canReadAll(facts)) throw new PermissionError('Only board chairs and programme officers can list every KPI. /send kpis lists yours; /send kpi <code> shows any one.');
    return await listAllKpis(ctx);
  },
});

/** KPIs whose owner role the caller holds, or whose workstream they support. */
export async function listMyKpis(ctx: CommandContext): Promise<Reply> {
  const today = ctx.clock.now().toISODate() as string;
  const facts = await loadCallerFacts(ctx.db, ctx.caller, today);
  const roles = new Set(facts.roleIds);
  const all = await listKpiRecords(ctx.db);
  const owned = all.filter((k) => k.ownerRoleId !== null && roles.has(k.ownerRoleId));
  const supported = all.filter((k) => !owned.includes(k) && k.supportingRoleIds.some((id) => roles.has(id)));
  if (owned.length + supported.length === 0) {
    return reply('info', 'You have no KPIs to report.', [
      text('/send kpi <code> shows any KPI. Chairs and programme officers can list them all with /send kpis all.'),
    ]);
  }
  const lines = await linesFor(ctx, today, [...owned, ...supported]);
  const blocks: ReplyBlock[] = [];
  if (owned.length) blocks.push({ type: 'kpis', heading: `Yours (${owned.length})`, items: lines.slice(0, owned.length) });
  if (supported.length) blocks.push({ type: 'kpis', heading: `You support (${supported.length})`, items: lines.slice(owned.length) });
  blocks.push(text('Record a reading: /send kpi <code> <value> [for <period>] [note]. The detail of one: /send kpi <code>', true));
  return reply('info', `You have ${plural(lines.length, 'KPI')}: ${countsText(lines)}.`, blocks);
}

async function listAllKpis(ctx: CommandContext): Promise<Reply> {
  const today = ctx.clock.now().toISODate() as string;
  const records = await listKpiRecords(ctx.db);
  if (records.length === 0) return reply('info', 'No KPIs are set up yet.', [text('Add them to the plan file (kpis) or import a KPI sheet: sendbot import kpis.csv', true)]);
  const lines = await linesFor(ctx, today, records);
  const blocks: ReplyBlock[] = [];
  let start = 0;
  while (start < records.length) {
    const plan = (records[start] as KpiRecord).series.planCode;
    let end = start;
    while (end < records.length && (records[end] as KpiRecord).series.planCode === plan) end += 1;
    blocks.push({ type: 'kpis', heading: `${plan}: ${(records[start] as KpiRecord).series.planTitle}`, items: lines.slice(start, end) });
    start = end;
  }
  return reply('info', `${plural(lines.length, 'KPI')}: ${countsText(lines)}.`, blocks);
}

async function linesFor(ctx: CommandContext, today: string, records: KpiRecord[]): Promise<KpiLine[]> {
  const holders = await holderLookup(ctx.db, records.map((r) => r.ownerRoleId));
  return records.map((r) => toKpiLine(r.series, assessKpi(r.series, today), { role: r.series.ownerRole, holders: holders(r.ownerRoleId) }));
}

const COUNT_WORDS: [KpiPosition, string][] = [
  ['on_track', 'on track'],
  ['off_track', 'off track'],
  ['no_reading', 'missing a reading'],
];

export function countsText(lines: { position: KpiPosition }[]): string {
  return COUNT_WORDS.map(([p, words]) => `${lines.filter((l) => l.position === p).length} ${words}`).join(', ');
}
