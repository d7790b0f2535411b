// Admin commands: `assign`, `handover`; chairs and admins: `approve`, `reject` date changes.
import { z } from 'zod';
import { toStoredInstant } from '../clock.js';
import { canDecideDateChange } from '../domain/permissions.js';
import { formatDate, plural } from '../render/format.js';
import { reply, text } from '../render/reply.js';
import { assignActionToPerson, assignActionToRole } from '../store/action-ownership-repository.js';
import { listActionViews } from '../store/actions-repository.js';
import { recordAudit } from '../store/audit-repository.js';
import { auditActor } from './audit-actor.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { inTransaction } from '../store/database.js';
import { currentHolders, findRole, handOverRole } from '../store/roles-repository.js';
import { decideDateChange, pendingDateChange } from '../store/updates-repository.js';
import { findActionOrExplain, readRef } from './action-lookup.js';
import { everyDecider, queueDateDecisionNotice } from './date-change-notices.js';
import { findPersonOrExplain } from './person-lookup.js';
import { describeOwner, describeOwnerInline, joinAnd, joinOr } from './shared.js';
import { defineCommand, PermissionError, UserError } from './types.js';

/** Said in help instead of an assign or handover example to someone who may not run them. */
const ONLY_ADMINS = 'Only programme officers (admins) can do this: ask one of them.';

export const assignCommand = defineCommand({
  name: 'assign',
  summary: 'admins: make a named person (or another role) accountable for one action',
  usage: '/send assign <ref> <person email | role>',
  examples: (ex) => (ex.isAdmin ? [`/send assign ${ex.ref} ${ex.person}`, `/send assign ${ex.ref} role ${ex.roleName}`] : []),
  examplesNote: (ex) => (ex.isAdmin ? undefined : ONLY_ADMINS),
  access: 'admin',
  parse: (args) => {
    const m = readRef(args);
    const rest = args.slice(m?.consumed ?? 1);
    const asRole = rest[0]?.toLowerCase() === 'role';
    return { ref: m?.ref, typed: args[0] ?? '', target: (asRole ? rest.slice(1) : rest).join(' '), asRole };
  },
  schema: z.object({
    ref: z.string({ message: 'Start with the action ref, then the person’s email or "role <role name>".' }),
    typed: z.string(),
    target: z.string().min(1, 'Say who: a person’s email, or "role <role name>".'),
    asRole: z.boolean(),
  }),
  handle: async (ctx, input) => {
    const action = await findActionOrExplain(ctx.db, input.typed, input.ref);
    const at = toStoredInstant(ctx.clock.now());
    const before = await describeOwner(ctx.db, action);
    // The reply brackets the earlier owner itself, so both are written without brackets of their own.
    const was = await describeOwnerInline(ctx.db, action);
    if (input.asRole) {
      const role = await findRole(ctx.db, input.target);
      if (!role) throw new UserError(`No role called "${input.target}".`, 'sendbot people lists roles and who holds them.');
      if (action.ownerRoleId === role.id && action.ownerPersonId === null) {
        return reply('info', `${action.ref} is already owned by ${was}; nothing changed.`);
      }
      // The named owner holds the role too: the same person stays accountable, only the route changes.
      const samePerson = action.ownerPersonId !== null && (await currentHolders(ctx.db, role.id)).some((h) => h.personId === action.ownerPersonId);
      await inTransaction(ctx.db, async () => {
        await assignActionToRole(ctx.db, action.id, role.id, at);
        await recordAudit(ctx.db, { at, ...auditActor(ctx), event: 'action.assigned', entity: action.ref, detail: { role: role.name, before } });
      });
      if (samePerson) {
        return reply(
          'success',
          `${action.ref} stays with ${action.ownerPersonName}, who holds ${role.name}: it is now owned through the role rather than by name, so a handover of ${role.name} moves it.`,
        );
      }
    } else {
      const person = await findPersonOrExplain(ctx.db, input.target);
      if (action.ownerPersonId === person.id) return reply('info', `${action.ref} is already owned by ${was}; nothing changed.`);
      // The person already answers for it through the role they hold: say so, and what naming them changes.
      const holders = action.ownerPersonId === null && action.ownerRoleId !== null ? await currentHolders(ctx.db, action.ownerRoleId) : [];
      const heldThroughRole = holders.some((h) => h.personId === person.id);
      const sharers = holders.filter((h) => h.personId !== person.id).map((h) => h.name);
      await inTransaction(ctx.db, async () => {
        await assignActionToPerson(ctx.db, action.id, person.id, at);
        await recordAudit(ctx.db, { at, ...auditActor(ctx), event: 'action.assigned', entity: action.ref, detail: { person: person.email, before } });
      });
      if (heldThroughRole) {
        const role = action.ownerRole ?? 'their role';
        return reply(
          'success',
          `${person.name} already held ${action.ref} as ${role}. It is now assigned to ${person.name} by name, so a handover of ${role} no longer moves it${
            sharers.length ? `, and ${joinAnd(sharers)}, who also hold${sharers.length === 1 ? 's' : ''} ${role}, no longer answer${sharers.length === 1 ? 's' : ''} for it` : ''
          }.`,
        );
      }
    }
    const after = (await listActionViews(ctx.db, { ids: [action.id] }))[0];
    return reply('success', `${action.ref} is now owned by ${after ? await describeOwnerInline(ctx.db, after) : input.target} (was ${was}).`);
  },
});

export const handoverCommand = defineCommand({
  name: 'handover',
  summary: 'admins: hand a role to a person; all of that role’s actions move, history is kept',
  usage: '/send handover <role> to <person email> [confirm]',
  examples: (ex) => (ex.isAdmin ? [`/send handover ${ex.roleName} to ${ex.person}`] : []),
  examplesNote: (ex) => (ex.isAdmin ? undefined : ONLY_ADMINS),
  access: 'admin',
  parse: (_args, rawArgs) => {
    const confirm = /\s+confirm$/i.test(rawArgs);
    const body = rawArgs.replace(/\s+confirm$/i, '').trim();
    const m = /^(.+?)\s+(?:to\s+)?(\S+@\S+|<@[A-Z0-9|]+[^>]*>)$/i.exec(body) ?? /^(.+?)\s+to\s+(.+)$/i.exec(body);
    return { role: m?.[1]?.trim() ?? '', person: m?.[2]?.trim() ?? '', confirm };
  },
  schema: z.object({
    role: z.string().min(1, 'Say which role and who takes it over: the role’s name, then to and their email.'),
    person: z.string().min(1, 'Say who takes the role over: their email, after "to".'),
    confirm: z.boolean(),
  }),
  handle: async (ctx, input) => {
    const role = await findRole(ctx.db, input.role);
    if (!role) throw new UserError(`No role called "${input.role}".`, 'sendbot people lists roles and who holds them.');
    const person = await findPersonOrExplain(ctx.db, input.person);
    const holders = await currentHolders(ctx.db, role.id);
    const count = (await listActionViews(ctx.db, { ownerRoleIds: [role.id] })).filter((a) => a.ownerPersonId === null).length;
    const from = holders.length ? holders.map((h) => h.name).join(', ') : 'nobody';
    if (!input.confirm) {
      const command = `/send handover ${role.name} to ${person.email} confirm`;
      return reply(
        'warning',
        `Hand ${role.name} from ${from} to ${person.name}? ${plural(count, 'action')} will move.`,
        [text(`To go ahead: ${command}`)],
        { buttons: [{ id: 'confirm', label: `Hand over ${plural(count, 'action')}`, value: command, style: 'primary' }] },
      );
    }
    const at = toStoredInstant(ctx.clock.now());
    await inTransaction(ctx.db, async () => {
      const { ended } = await handOverRole(ctx.db, role.id, person.id, at);
      await recordAudit(ctx.db, { at, ...auditActor(ctx), event: 'role.handover', entity: role.name, detail: { to: person.email, from: ended.map((h) => h.email), actions: count } });
    });
    return reply('success', `${role.name} handed from ${from} to ${person.name}; ${count} action${count === 1 ? '' : 's'} moved. The earlier holders stay in the history.`);
  },
});

/** A reason has at least this many letters: "no", "n/a" and "x" tell the person who asked nothing. */
const REASON_MIN_LETTERS = 6;
/** Words that fill the reason field without giving one. */
const NOT_A_REASON = /^(no|nope|none|nah|n\/?a|na|x+|-+|\.+|\?+|rejected|reject|refused|declined|no reason|not agreed|because|see above|as discussed|tbc)$/i;

/**
 * Single words that say nothing about why: a reason made only of these, however many times
 * ("no no no", "nope, n/a", "rejected - rejected"), is still no reason.
 */
const FILLER_WORDS = new Set(['no', 'nope', 'none', 'nah', 'n/a', 'na', 'nil', 'nothing', 'not', 'rejected', 'reject', 'refused', 'refuse', 'declined', 'decline', 'denied', 'deny', 'tbc', 'sorry', 'because', 'reason', 'ok', 'okay']);
const isFillerWord = (word: string): boolean => {
  const w = word.toLowerCase().replace(/^[.!,;:?'"()]+|[.!,;:?'"()]+$/g, '');
  return w === '' || FILLER_WORDS.has(w) || /^(x+|-+|–+|—+|\.+|\?+|!+)$/.test(w);
};

/** True when `note` gives a reason: enough letters, and not only filler words. */
export function isReason(note: string | undefined): boolean {
  if (!note) return false;
  const t = note.trim().replace(/[.!,;:]+$/, '');
  if (NOT_A_REASON.test(t)) return false;
  if (t.split(/[\s,;]+/).every(isFillerWord)) return false;
  return (t.match(/\p{L}/gu) ?? []).length >= REASON_MIN_LETTERS;
}

function decide(decision: 'approved' | 'rejected') {
  const verb = decision === 'approved' ? 'approve' : 'reject';
  return defineCommand({
    name: verb,
    summary: `chairs and admins: ${verb} a requested new due date${decision === 'rejected' ? ', saying why' : ''}`,
    usage: decision === 'approved' ? '/send approve <ref> [note]' : '/send reject <ref> <reason>',
    examples: (ex) => {
      if (!ex.decideRef) return [];
      return decision === 'approved' ? [`/send approve ${ex.decideRef}`, `/send approve ${ex.decideRef} agreed at the October board`] : [`/send reject ${ex.decideRef} no capacity until April`];
    },
    examplesNote: (ex) => (ex.decideRef ? undefined : `Date changes are decided by the chair of the action’s board or a programme officer, so you can’t ${verb} one.`),
    access: 'anyone',
    parse: (args) => {
      const m = readRef(args);
      const rest = args.slice(m?.consumed ?? 1);
      // "to:2025-04-30" (the Approve button adds it): the decision is for that date only, so an old
      // message cannot approve a newer request.
      const guard = /^to:(\d{4}-\d{2}-\d{2})$/i.exec(rest[0] ?? '');
      const note = (guard ? rest.slice(1) : rest).join(' ').trim();
      return { ref: m?.ref, typed: args[0] ?? '', toDue: guard?.[1], note: note || undefined };
    },
    schema: z.object({
      ref: z.string().optional(),
      typed: z.string().min(1, `Say which action: its ref${decision === 'rejected' ? ', then why' : ''}.`),
      toDue: z.string().optional(),
      note: z.string().max(3000, 'That note is over 3,000 characters: please shorten it.').optional(),
    }),
    handle: async (ctx, input) => {
      const action = await findActionOrExplain(ctx.db, input.typed, input.ref);
      const facts = await loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string);
      if (!canDecideDateChange(facts, action)) {
        throw new PermissionError(`Only the chair of ${action.boardName ?? 'the board'} or a programme officer can decide date changes for ${action.ref}.`);
      }
      const pending = await pendingDateChange(ctx.db, action.id);
      if (!pending) throw new UserError(`${action.ref} has no date change waiting for a decision.`);
      // Nobody decides their own request, admins included, unless the deployment allows it.
      const own = pending.requestedBy === ctx.caller.id;
      if (own && !ctx.policy?.allowSelfApproval) {
        const others = (await everyDecider(ctx.db, action)).filter((p) => p.id !== ctx.caller.id).map((p) => p.name);
        throw new PermissionError(
          `You asked for this new date for ${action.ref}, so someone else must ${verb} it: ${others.length ? joinOr(others) : 'nobody else can yet (add another programme officer, or for a one-officer partnership set ALLOW_SELF_APPROVAL=true)'}. Nothing was changed.`,
        );
      }
      if (input.toDue && input.toDue !== pending.toDue) {
        throw new UserError(
          `The request for ${action.ref} has changed: it now asks for ${formatDate(pending.toDue)}, not ${formatDate(input.toDue)}.`,
          `To decide the new request: /send ${verb} ${action.ref}${decision === 'rejected' ? ' <reason>' : ''}. Nothing was changed.`,
        );
      }
      // The person who asked is told why; a rejection without a reason leaves them guessing.
      if (decision === 'rejected' && !isReason(input.note)) {
        const said = input.note ? `"${input.note}" isn't a reason` : 'Say why you are rejecting the new date';
        throw new UserError(
          `${said} for ${action.ref}: ${pending.requestedByName ?? 'the person who asked'} is told your reason.`,
          `Give a few words they can act on (at least ${REASON_MIN_LETTERS} letters, not just "no" or "n/a"). Example: /send reject ${action.ref} no capacity until April. Nothing was changed.`,
        );
      }
      const at = toStoredInstant(ctx.clock.now());
      const note = input.note ?? null;
      const told = await inTransaction(ctx.db, async () => {
        if (!(await decideDateChange(ctx.db, pending.id, decision, ctx.caller.id, at, note))) {
          throw new UserError(`The date change for ${action.ref} was already decided by someone else a moment ago.`, `See the decision with /send status ${action.ref}. Nothing was changed.`);
        }
        await recordAudit(ctx.db, { at, ...auditActor(ctx), event: `date_change.${decision}`, entity: action.ref, detail: { from: pending.fromDue, to: pending.toDue, note, ...(own ? { self: true } : {}) } });
        return await queueDateDecisionNotice(ctx.db, action, pending, { state: decision, by: ctx.caller, note }, at);
      });
      const toldWho = told && pending.requestedByName ? ` ${pending.requestedByName} will be told.` : own ? ` Marked self-${decision} in the history and the digest.` : '';
      return reply(
        'success',
        decision === 'approved'
          ? `Approved: ${action.ref} is now due ${formatDate(pending.toDue)} (was ${formatDate(pending.fromDue)}; baseline ${formatDate(action.baselineDue)} kept).${toldWho}`
          : `Rejected: ${action.ref} stays due ${formatDate(action.due)}.${toldWho}`,
      );
    },
  });
}

export const approveCommand = decide('approved');
export const rejectCommand = decide('rejected');
