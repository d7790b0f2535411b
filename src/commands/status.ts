// `/send status <ref>` and `/send history <ref>`: the full update trail, date changes included.
import { z } from 'zod';
import { STATUS_SHORT } from '../domain/status.js';
import { formatDate, formatShortInstant, plural, shortTitle } from '../render/format.js';
import { fields, heading, list, reply, text } from '../render/reply.js';
import { listDateChanges, listUpdates } from '../store/updates-repository.js';
import { findActionOrExplain, readRef } from './action-lookup.js';
import { completedOn, describeDue } from './due-wording.js';
import { describeOwner } from './shared.js';
import { defineCommand } from './types.js';

export const statusCommand = defineCommand({
  name: 'status',
  aliases: ['history', 'trail'],
  summary: 'the update trail of an action, with date changes',
  usage: '/send status <ref>   (or /send history <ref>)',
  examples: (ex) => [`/send status ${ex.ownRef}`, `/send history ${ex.otherRef}`],
  access: 'anyone',
  readOnly: true,
  parse: (args, rawArgs) => ({ ref: readRef(args)?.ref, typed: rawArgs }),
  schema: z.object({ ref: z.string().optional(), typed: z.string().min(1, 'Say which action: its ref.') }),
  handle: async (ctx, input) => {
    const action = await findActionOrExplain(ctx.db, input.typed, input.ref);
    const updates = await listUpdates(ctx.db, action.id);
    const trail = updates.map((u) => ({
      at: u.at,
      line: `${formatShortInstant(u.at)} · ${u.personName ?? (u.platform === 'import' ? 'plan import' : 'unknown')}${u.onBehalfOfName ? ` as delegate for ${u.onBehalfOfName}` : ''} (${u.platform}): ${
        u.kind === 'no_change'
          ? 'no change'
          : [u.status ? STATUS_SHORT[u.status] : null, u.percent !== null ? `${u.percent}%` : null, u.note, u.evidenceUrl ? `evidence ${u.evidenceUrl}` : null]
              .filter(Boolean)
              .join(', ') || '(no details)'
      }${u.kind === 'correction' ? ' [correction]' : ''}`,
    }));
    // A request and its decision are two entries: who asked and why, then who decided, when and why.
    const changes = (await listDateChanges(ctx.db, action.id)).flatMap((c) => {
      const move = `${formatDate(c.fromDue)} → ${formatDate(c.toDue)}`;
      if (c.state === 'imported') return [{ at: c.requestedAt, line: `${formatShortInstant(c.requestedAt)} · date changed by plan file: ${move}` }];
      const open = c.state === 'pending' ? ', waiting for a decision' : c.state === 'superseded' ? ', replaced by a later request' : '';
      const entries = [
        {
          at: c.requestedAt,
          line: `${formatShortInstant(c.requestedAt)} · date change requested by ${c.requestedByName ?? 'unknown'}: ${move}${c.reason ? ` (reason: ${c.reason})` : ''}${open}`,
        },
      ];
      if ((c.state === 'approved' || c.state === 'rejected') && c.decidedAt) {
        const said = c.decisionNote ? ` (${c.state === 'rejected' ? 'reason' : 'note'}: ${c.decisionNote})` : '';
        const self = c.decidedBy !== null && c.decidedBy === c.requestedBy ? ` (self-${c.state})` : '';
        entries.push({ at: c.decidedAt, line: `${formatShortInstant(c.decidedAt)} · date change ${c.state} by ${c.decidedByName ?? 'unknown'}${self}: ${move}${said}` });
      }
      return entries;
    });
    const lines = [...trail, ...changes].sort((a, b) => a.at.localeCompare(b.at)).map((l) => l.line);
    return reply('info', `${action.ref}: ${STATUS_SHORT[action.status]}, ${plural(lines.length, 'entry', 'entries')}`, [
      heading(`${action.ref} · ${shortTitle(action.text, 140)}`),
      fields([
        ['Accountable', await describeOwner(ctx.db, action)],
        ['Status', `${STATUS_SHORT[action.status]}${action.percent !== null ? ` (${action.percent}%)` : ''}`],
        ['Due', describeDue({ ...action, baselineDue: null }, action.status === 'blue' ? completedOn(updates) : null)],
        ['Baseline', formatDate(action.baselineDue)],
      ]),
      lines.length ? list(lines) : text('No updates yet.'),
    ]);
  },
});
