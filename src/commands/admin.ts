// Admin commands: `assign`, `handover`; chairs and admins: `approve`, `reject` date changes.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { actions } from '../../db/schema.js';
import { toStoredInstant } from '../clock.js';
import { canDecideDateChange } from '../domain/permissions.js';
import { formatDate } from '../render/format.js';
import { reply, text } from '../render/reply.js';
import { listActionViews } from '../store/actions-repository.js';
import { recordAudit } from '../store/audit-repository.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import { inTransaction } from '../store/database.js';
import { currentHolders, findRole, handOverRole } from '../store/roles-repository.js';
import { decideDateChange, pendingDateChange } from '../store/updates-repository.js';
import { findActionOrExplain, readRef } from './action-lookup.js';
import { findPersonOrExplain } from './person-lookup.js';
import { describeOwner } from './shared.js';
import { defineCommand, PermissionError, UserError } from './types.js';

export const assignCommand = defineCommand({
  name: 'assign',
  summary: 'admins: make a named person (or another role) accountable for one action',
  usage: '/send assign <ref> <person email | role>',
  examples: ['/send assign ND-1.2 jamie.example@example.org', '/send assign ND-1.2 role Head of SEND'],
  access: 'admin',
  parse: (args) => {
    const m = readRef(args);
    const rest = args.slice(m?.consumed ?? 1);
    const asRole = rest[0]?.toLowerCase() === 'role';
    return { ref: m?.ref, typed: args[0] ?? '', target: (asRole ? rest.slice(1) : rest).join(' '), asRole };
  },
  schema: z.object({
    ref: z.string({ message: 'start with the action ref, e.g. /send assign ND-1.2 jamie@example.org' }),
    typed: z.string(),
    target: z.string().min(1, 'say who: a person’s email, or "role <role name>"'),
    asRole: z.boolean(),
  }),
  handle: (ctx, input) => {
    const action = findActionOrExplain(ctx.db, input.typed, input.ref);
    const at = toStoredInstant(ctx.clock.now());
    const before = describeOwner(ctx.db, action);
    if (input.asRole) {
      const role = findRole(ctx.db, input.target);
      if (!role) throw new UserError(`No role called "${input.target}".`, 'sendbot people lists roles and who holds them.');
      inTransaction(ctx.db, () => {
        ctx.db.update(actions).set({ ownerRoleId: role.id, ownerPersonId: null, updatedAt: at }).where(eq(actions.id, action.id)).run();
        recordAudit(ctx.db, { at, actorPersonId: ctx.caller.id, event: 'action.assigned', entity: action.ref, detail: { role: role.name, before } });
      });
    } else {
      const person = findPersonOrExplain(ctx.db, input.target);
      inTransaction(ctx.db, () => {
        ctx.db.update(actions).set({ ownerPersonId: person.id, updatedAt: at }).where(eq(actions.id, action.id)).run();
        recordAudit(ctx.db, { at, actorPersonId: ctx.caller.id, event: 'action.assigned', entity: action.ref, detail: { person: person.email, before } });
      });
    }
    const after = listActionViews(ctx.db, { ids: [action.id] })[0];
    return reply('success', `${action.ref} is now owned by ${after ? describeOwner(ctx.db, after) : input.target} (was ${before}).`);
  },
});

export const handoverCommand = defineCommand({
  name: 'handover',
  summary: 'admins: hand a role to a person; all of that role’s actions move, history is kept',
  usage: '/send handover <role> to <person email> [confirm]',
  examples: ['/send handover Head of SEND to riley.new@example.org'],
  access: 'admin',
  parse: (_args, rawArgs) => {
    const confirm = /\s+confirm$/i.test(rawArgs);
    const body = rawArgs.replace(/\s+confirm$/i, '').trim();
    const m = /^(.+?)\s+(?:to\s+)?(\S+@\S+|<@[A-Z0-9|]+[^>]*>)$/i.exec(body) ?? /^(.+?)\s+to\s+(.+)$/i.exec(body);
    return { role: m?.[1]?.trim() ?? '', person: m?.[2]?.trim() ?? '', confirm };
  },
  schema: z.object({
    role: z.string().min(1, 'say which role and who takes it over, e.g. /send handover Head of SEND to riley@example.org'),
    person: z.string().min(1, 'say who takes the role over, e.g. … to riley@example.org'),
    confirm: z.boolean(),
  }),
  handle: (ctx, input) => {
    const role = findRole(ctx.db, input.role);
    if (!role) throw new UserError(`No role called "${input.role}".`, 'sendbot people lists roles and who holds them.');
    const person = findPersonOrExplain(ctx.db, input.person);
    const holders = currentHolders(ctx.db, role.id);
    const count = listActionViews(ctx.db, { ownerRoleIds: [role.id] }).filter((a) => a.ownerPersonId === null).length;
    const from = holders.length ? holders.map((h) => h.name).join(', ') : 'nobody';
    if (!input.confirm) {
      const command = `/send handover ${role.name} to ${person.email} confirm`;
      return reply(
        'warning',
        `Hand ${role.name} from ${from} to ${person.name}? ${count} action${count === 1 ? '' : 's'} will move.`,
        [text(`To go ahead: ${command}`)],
        { buttons: [{ id: 'confirm', label: `Hand over ${count} actions`, value: command, style: 'primary' }] },
      );
    }
    const at = toStoredInstant(ctx.clock.now());
    inTransaction(ctx.db, () => {
      const { ended } = handOverRole(ctx.db, role.id, person.id, at);
      recordAudit(ctx.db, { at, actorPersonId: ctx.caller.id, event: 'role.handover', entity: role.name, detail: { to: person.email, from: ended.map((h) => h.email), actions: count } });
    });
    return reply('success', `${role.name} handed from ${from} to ${person.name}; ${count} action${count === 1 ? '' : 's'} moved. The earlier holders stay in the history.`);
  },
});

function decide(decision: 'approved' | 'rejected') {
  return defineCommand({
    name: decision === 'approved' ? 'approve' : 'reject',
    summary: `chairs and admins: ${decision === 'approved' ? 'approve' : 'reject'} a requested new due date`,
    usage: `/send ${decision === 'approved' ? 'approve' : 'reject'} <ref> [note]`,
    examples: [`/send ${decision === 'approved' ? 'approve' : 'reject'} ND-1.2`],
    access: 'anyone',
    parse: (args) => ({ ref: readRef(args)?.ref, typed: args[0] ?? '' }),
    schema: z.object({ ref: z.string().optional(), typed: z.string().min(1, 'say which action, e.g. ND-1.2') }),
    handle: (ctx, input) => {
      const action = findActionOrExplain(ctx.db, input.typed, input.ref);
      const facts = loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string);
      if (!canDecideDateChange(facts, action)) {
        throw new PermissionError(`Only the chair of ${action.boardName ?? 'the board'} or a programme officer can decide date changes for ${action.ref}.`);
      }
      const pending = pendingDateChange(ctx.db, action.id);
      if (!pending) throw new UserError(`${action.ref} has no date change waiting for a decision.`);
      const at = toStoredInstant(ctx.clock.now());
      inTransaction(ctx.db, () => {
        decideDateChange(ctx.db, pending.id, decision, ctx.caller.id, at);
        recordAudit(ctx.db, { at, actorPersonId: ctx.caller.id, event: `date_change.${decision}`, entity: action.ref, detail: { from: pending.fromDue, to: pending.toDue } });
      });
      return reply(
        'success',
        decision === 'approved'
          ? `Approved: ${action.ref} is now due ${formatDate(pending.toDue)} (was ${formatDate(pending.fromDue)}; baseline ${formatDate(action.baselineDue)} kept).`
          : `Rejected: ${action.ref} stays due ${formatDate(action.due)}.`,
      );
    },
  });
}

export const approveCommand = decide('approved');
export const rejectCommand = decide('rejected');
