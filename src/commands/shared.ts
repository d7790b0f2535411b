// Small pieces several commands share: who holds a role, "who can update", action lines.
import { workingDaysOverdue } from '../domain/notifications/calendar-memo.js';
import { isOverdue } from '../domain/overdue.js';
import { STATUS_SHORT } from '../domain/status.js';
import { formatDate, shortTitle } from '../render/format.js';
import type { ActionLine } from '../render/reply.js';
import { type ActionView, listActionViews } from '../store/actions-repository.js';
import type { Db } from '../store/database.js';
import { listAdmins } from '../store/people-repository.js';
import { currentHolders, currentHoldersOfRoles, type Holder } from '../store/roles-repository.js';
import { dueInstead } from './due-wording.js';
import type { CommandContext } from './types.js';

export async function holderNames(db: Db, roleId: number | null): Promise<string[]> {
  if (roleId === null) return [];
  return (await currentHolders(db, roleId)).map((h) => h.name);
}

/** Who currently holds a role (names), for a reply's lines; loaded before the lines are built. */
export type HolderNames = (roleId: number | null) => string[];

/** The current holders of the given roles, read in one statement, as a lookup for actionLine and KPI lines. */
export async function holderLookup(db: Db, roleIds: Iterable<number | null>): Promise<HolderNames> {
  const ids = [...roleIds].filter((id): id is number => id !== null);
  // One statement for every role: on PostgreSQL each query is a round trip.
  return namesOf(await currentHoldersOfRoles(db, ids));
}

/** holderLookup over holders already loaded (by role id). */
export function namesOf(byRole: Map<number, Holder[]>): HolderNames {
  const names = new Map([...byRole].map(([roleId, holders]) => [roleId, holders.map((h) => h.name)]));
  return (roleId) => (roleId === null ? [] : (names.get(roleId) ?? []));
}

/** "Morgan Demo (Head of SEND)" or "Head of SEND (nobody holds this role yet)". */
export async function describeRole(db: Db, roleId: number | null, roleName: string | null): Promise<string> {
  if (roleId === null || !roleName) return 'no accountable role';
  return describeRoleWith(await holderLookup(db, [roleId]), roleId, roleName);
}

/** describeRole with the holders already loaded (holderLookup). */
export function describeRoleWith(holders: HolderNames, roleId: number | null, roleName: string | null): string {
  if (roleId === null || !roleName) return 'no accountable role';
  const names = holders(roleId);
  return names.length ? `${names.join(', ')} (${roleName})` : `${roleName} (nobody holds this role yet)`;
}

/** Who is accountable for an action right now, as one phrase. */
export async function describeOwner(db: Db, action: ActionView): Promise<string> {
  return describeOwnerWith(await holderLookup(db, action.ownerPersonId !== null ? [] : [action.ownerRoleId]), action);
}

/** describeOwner with the holders already loaded (holderLookup). */
export function describeOwnerWith(holders: HolderNames, action: ActionView): string {
  if (action.ownerPersonId !== null) return `${action.ownerPersonName} (assigned by name)`;
  return describeRoleWith(holders, action.ownerRoleId, action.ownerRole);
}

/**
 * The same, without brackets, for a sentence that brackets something itself ("… (was …)"):
 * "Pat Forum, assigned by name", "Jo Commissioner, Head of Joint Commissioning".
 */
export async function describeOwnerInline(db: Db, action: ActionView): Promise<string> {
  if (action.ownerPersonId !== null) return `${action.ownerPersonName}, assigned by name`;
  if (action.ownerRoleId === null || !action.ownerRole) return 'no accountable role';
  const names = await holderNames(db, action.ownerRoleId);
  return names.length ? `${names.join(', ')}, ${action.ownerRole}` : `${action.ownerRole}, a role nobody holds yet`;
}

/** The refusal text: names the people who can update this action. */
export async function whoCanUpdate(db: Db, action: ActionView): Promise<string> {
  const holders = await holderLookup(db, [action.ownerPersonId !== null ? null : action.ownerRoleId, ...action.supportingRoleIds]);
  const parts: string[] = [`the owner, ${describeOwnerWith(holders, action)}`];
  for (const [i, id] of action.supportingRoleIds.entries()) {
    const names = holders(id);
    if (names.length) parts.push(`${names.join(', ')} (${action.supportingRoles[i]}, supporting)`);
  }
  const admins = (await listAdmins(db)).map((a) => a.name);
  if (admins.length) parts.push(`a programme officer (${admins.join(', ')})`);
  return `It can be updated by ${joinOr(parts)}.`;
}

/** "A", "A and B", "A, B and C". */
export function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function joinOr(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join('; ')}; or ${parts[parts.length - 1]}`;
}

/** Actions the caller is accountable for (roles held now, or assigned by name). */
export async function myActions(ctx: CommandContext): Promise<ActionView[]> {
  return await listActionViews(ctx.db, { accountablePersonId: ctx.caller.id });
}

/** The caller's actions that are not complete, for the update form's choice list. */
export async function myActionChoices(ctx: CommandContext) {
  return (await myActions(ctx))
    .filter((a) => a.status !== 'blue')
    .map((a) => ({ ref: a.ref, title: shortTitle(a.text, 60), status: a.status, due: a.due }));
}

export function actionLine(action: ActionView, today: string, holders: HolderNames, detail?: string): ActionLine {
  const overdue = isOverdue(action, today);
  return {
    ref: action.ref,
    title: shortTitle(action.text),
    owner: action.ownerPersonId !== null ? action.ownerPersonName : action.ownerRole,
    ownerHolders: action.ownerPersonId !== null ? undefined : holders(action.ownerRoleId),
    due: action.due,
    dueInstead: dueInstead(action),
    status: action.status,
    percent: action.percent,
    daysOverdue: overdue && action.due ? workingDaysOverdue(action.due, today) : null,
    detail: detail ?? null,
  };
}

export function lastUpdateText(action: ActionView): string {
  const u = action.lastUpdate;
  if (!u) return 'no updates yet';
  const who = u.personName ?? (u.platform === 'import' ? 'plan import' : 'unknown');
  // "complete", as the status is said everywhere else; its 100% goes without saying.
  const percent = u.percent !== null && !(u.status === 'blue' && u.percent === 100) ? `${u.percent}%` : null;
  const what = u.kind === 'no_change' ? 'no change' : [u.status ? STATUS_SHORT[u.status] : null, percent, u.note].filter(Boolean).join(', ');
  return `${formatDate(u.at.slice(0, 10))} by ${who}${what ? `: ${what}` : ''}`;
}
