// `/send who <ref | words>`: who is accountable, who supports, and where the action stands.
import { z } from 'zod';
import { STATUS_SHORT } from '../domain/status.js';
import { shortTitle } from '../render/format.js';
import { type ActionLine, fields, heading, reply, type Reply, text } from '../render/reply.js';
import { type ActionView, listActionViews } from '../store/actions-repository.js';
import type { Db } from '../store/database.js';
import { RANKED_CANDIDATES, searchIndexFor } from '../store/search-index.js';
import { listUpdates } from '../store/updates-repository.js';
import { planExamples } from './command-examples.js';
import { completedOn, describeDue } from './due-wording.js';
import { findActionOrExplain, looksLikeRef, readRef } from './action-lookup.js';
import { actionLine, describeOwnerWith, describeRoleWith, holderLookup, lastUpdateText } from './shared.js';
import { defineCommand, UserError } from './types.js';

export const whoCommand = defineCommand({
  name: 'who',
  aliases: ['owner', 'whois'],
  summary: 'who owns an action, by ref or by searching the plan',
  usage: '/send who <ref | words>',
  examples: (ex) => [`/send who ${ex.ref}`, `/send who ${ex.whoWords}`],
  access: 'anyone',
  readOnly: true,
  parse: (args, rawArgs) => {
    const match = readRef(args);
    if (match && match.consumed === args.length) return { ref: match.ref, typed: rawArgs };
    if (args.length === 1 && looksLikeRef(args[0]) && /\d/.test(args[0] ?? '')) return { typed: rawArgs, refOnly: true };
    return { words: rawArgs };
  },
  schema: z.object({
    ref: z.string().optional(),
    typed: z.string().optional(),
    refOnly: z.boolean().optional(),
    words: z.string().trim().min(1, 'Say which action: its ref, or some words from it.').optional(),
  }).refine((v) => v.ref || v.words || v.refOnly, 'Say which action: its ref, or some words from it.'),
  handle: async (ctx, input) => {
    if (input.ref || input.refOnly) {
      const action = await findActionOrExplain(ctx.db, input.typed ?? '', input.ref);
      return await describeAction(ctx.db, action);
    }
    const { hits, capped } = await searchIndexFor(ctx.db).search(input.words ?? '', 5);
    if (hits.length === 0) {
      const ex = await planExamples(ctx);
      throw new UserError(`Nothing in the plan matches "${input.words}".`, `Try other words from the action (e.g. ${ex.whoWords}), or a ref like ${ex.ref}.`);
    }
    const byId = new Map((await listActionViews(ctx.db, { ids: hits.map((h) => h.actionId) })).map((a) => [a.id, a]));
    const today = ctx.clock.now().toISODate() as string;
    const found = hits.map((h) => byId.get(h.actionId)).filter((a): a is ActionView => a !== undefined);
    const holders = await holderLookup(ctx.db, found.map((a) => a.ownerRoleId));
    const items: ActionLine[] = found.map((a) => actionLine(a, today, holders, `${a.planCode}-${a.workstreamNumber} ${a.workstreamTitle}`));
    return reply('info', `${items.length} best match${items.length === 1 ? '' : 'es'} for "${input.words}"`, [
      { type: 'actions', items },
      ...(capped
        ? [text(`More than ${RANKED_CANDIDATES} actions match: these are the first in the plan with the words in their workstream's title, then in the action. More words, or a ref, narrow it down.`, true)]
        : []),
      text('For the full picture of one: /send who <ref>', true),
    ]);
  },
});

export async function describeAction(db: Db, action: ActionView): Promise<Reply> {
  // The owner's and the supporting roles' holders in one statement.
  const holders = await holderLookup(db, [action.ownerPersonId !== null ? null : action.ownerRoleId, ...action.supportingRoleIds]);
  const supporting = action.supportingRoleIds.map((id, i) => describeRoleWith(holders, id, action.supportingRoles[i] ?? null));
  const title = shortTitle(action.text, 140);
  const owner = describeOwnerWith(holders, action);
  return reply('info', `${action.ref}: ${owner}`, [
    heading(`${action.ref} · ${title}`),
    fields([
      ['Accountable', owner],
      ['Supporting', supporting.length ? supporting.join('; ') : 'none'],
      ['Workstream', `${action.planCode}-${action.workstreamNumber} ${action.workstreamTitle}`],
      ['Plan', action.planTitle],
      ['Board', action.boardName],
      ['Due', describeDue(action, action.status === 'blue' ? completedOn(await listUpdates(db, action.id)) : null)],
      ['Status', `${STATUS_SHORT[action.status]}${action.percent !== null ? ` (${action.percent}%)` : ''}`],
      ['Last update', lastUpdateText(action)],
    ]),
    // The whole text only when the heading had to shorten it: otherwise it would be said twice.
    ...(title !== action.text.replace(/\s+/g, ' ').trim() ? [text(action.text)] : []),
  ]);
}
