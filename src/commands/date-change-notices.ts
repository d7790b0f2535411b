// The messages a date-change request causes, queued in the outbox in the same transaction as the
// request or decision they tell of, so neither can happen without the other. Keys are unique per
// request (and per chair), so a retried command never queues a message twice; jobs/deliver sends
// them like any nudge.
import { dateDecisionReply, dateRequestReply } from '../domain/notifications/date-change-messages.js';
import type { NotificationKind } from '../jobs/delivery-types.js';
import type { Reply } from '../render/reply.js';
import type { ActionView } from '../store/actions-repository.js';
import { getBoard } from '../store/boards-repository.js';
import type { Db } from '../store/database.js';
import { enqueueNotification, skipOpenByKeyPrefix } from '../store/outbox-repository.js';
import type { Person } from '../store/people-repository.js';
import { listAdmins } from '../store/people-repository.js';
import { currentHolders } from '../store/roles-repository.js';
import type { DateChange } from '../store/updates-repository.js';

/** Who is sent a request for this action: the chair(s) of its board, else the programme officers. */
export async function dateDeciders(db: Db, action: ActionView): Promise<{ people: { id: number; name: string }[]; chairs: boolean }> {
  const board = action.boardId !== null ? await getBoard(db, action.boardId) : undefined;
  const chairs = board?.chairRoleId ? (await currentHolders(db, board.chairRoleId)).map((h) => ({ id: h.personId, name: h.name })) : [];
  return chairs.length > 0 ? { people: chairs, chairs: true } : { people: (await listAdmins(db)).map((a) => ({ id: a.id, name: a.name })), chairs: false };
}

/** Everyone who may decide a request for this action (its board's chairs and every programme officer), by name. */
export async function everyDecider(db: Db, action: ActionView): Promise<{ id: number; name: string }[]> {
  const board = action.boardId !== null ? await getBoard(db, action.boardId) : undefined;
  const chairs = board?.chairRoleId ? (await currentHolders(db, board.chairRoleId)).map((h) => ({ id: h.personId, name: `${h.name} (chair)` })) : [];
  const admins = (await listAdmins(db)).map((a) => ({ id: a.id, name: `${a.name} (programme officer)` }));
  return [...chairs, ...admins.filter((a) => !chairs.some((c) => c.id === a.id))];
}

/** A request replaced by a newer one is withdrawn: its notices not yet sent never go out. */
export async function withdrawDateRequestNotices(db: Db, changeId: number, at: string): Promise<number> {
  return await skipOpenByKeyPrefix(db, `date-request:${changeId}:`, 'withdrawn: replaced by a newer request before it was sent', at);
}

async function queue(db: Db, key: string, kind: NotificationKind, personId: number, action: ActionView, message: Reply, at: string): Promise<boolean> {
  return await enqueueNotification(db, {
    key,
    kind,
    recipientPersonId: personId,
    recipientChannel: null,
    payload: { kind, reply: message, refs: [action.ref], boardId: action.boardId, meetingId: null, onBehalfOfPersonId: null, expiresAt: null },
    notBefore: at,
    createdAt: at,
  });
}

export interface NewRequest {
  id: number;
  fromDue: string | null;
  toDue: string;
  phrase: string;
  reason: string | null;
}

export interface RequestNotices {
  /** Who was sent it (not the requester). */
  to: string[];
  /** True when they are the board's chairs; false when the board has none and programme officers were. */
  chairs: boolean;
}

/** One message to each chair of the action's board (else each programme officer), never to the requester. */
export async function queueDateRequestNotices(db: Db, action: ActionView, request: NewRequest, requester: Person, at: string): Promise<RequestNotices> {
  const message = dateRequestReply({
    ref: action.ref,
    actionText: action.text,
    boardName: action.boardName,
    requestedBy: requester.name,
    fromDue: request.fromDue,
    toDue: request.toDue,
    phrase: request.phrase,
    reason: request.reason,
    baselineDue: action.baselineDue,
  });
  let deciders = await dateDeciders(db, action);
  // A chair asking about their own board's action cannot decide it: the programme officers are sent it.
  if (deciders.chairs && deciders.people.every((p) => p.id === requester.id)) deciders = { people: (await listAdmins(db)).map((a) => ({ id: a.id, name: a.name })), chairs: false };
  const to: string[] = [];
  for (const person of deciders.people) {
    if (person.id === requester.id) continue;
    await queue(db, `date-request:${request.id}:${person.id}`, 'date_request', person.id, action, message, at);
    to.push(person.name);
  }
  return { to, chairs: deciders.chairs };
}

/**
 * The requester is told the decision (unless they made it themselves); chairs' notices of the
 * request that have not gone out yet are dropped, since there is nothing left to decide.
 */
export async function queueDateDecisionNotice(
  db: Db,
  action: ActionView,
  change: DateChange,
  decision: { state: 'approved' | 'rejected'; by: Person; note: string | null },
  at: string,
): Promise<boolean> {
  await skipOpenByKeyPrefix(db, `date-request:${change.id}:`, `${decision.state} by ${decision.by.name} before it was sent`, at);
  if (change.requestedBy === null || change.requestedBy === decision.by.id) return false;
  const message = dateDecisionReply({
    ref: action.ref,
    actionText: action.text,
    decision: decision.state,
    decidedBy: decision.by.name,
    fromDue: change.fromDue,
    toDue: change.toDue,
    note: decision.note,
  });
  return await queue(db, `date-decision:${change.id}`, 'date_decision', change.requestedBy, action, message, at);
}
