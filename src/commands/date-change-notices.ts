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

/** Who decides a request for this action: the chair(s) of its board, else the programme officers. */
export function dateDeciders(db: Db, action: ActionView): number[] {
  const board = action.boardId !== null ? getBoard(db, action.boardId) : undefined;
  const chairs = board?.chairRoleId ? currentHolders(db, board.chairRoleId).map((h) => h.personId) : [];
  return chairs.length > 0 ? chairs : listAdmins(db).map((a) => a.id);
}

function queue(db: Db, key: string, kind: NotificationKind, personId: number, action: ActionView, message: Reply, at: string): boolean {
  return enqueueNotification(db, {
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

/** One message to each chair of the action's board (not to the requester, if they chair it). */
export function queueDateRequestNotices(db: Db, action: ActionView, request: NewRequest, requester: Person, at: string): number {
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
  let queued = 0;
  for (const personId of dateDeciders(db, action)) {
    if (personId === requester.id) continue;
    if (queue(db, `date-request:${request.id}:${personId}`, 'date_request', personId, action, message, at)) queued += 1;
  }
  return queued;
}

/**
 * The requester is told the decision (unless they made it themselves); chairs' notices of the
 * request that have not gone out yet are dropped, since there is nothing left to decide.
 */
export function queueDateDecisionNotice(
  db: Db,
  action: ActionView,
  change: DateChange,
  decision: { state: 'approved' | 'rejected'; by: Person; note: string | null },
  at: string,
): boolean {
  skipOpenByKeyPrefix(db, `date-request:${change.id}:`, `${decision.state} by ${decision.by.name} before it was sent`, at);
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
  return queue(db, `date-decision:${change.id}`, 'date_decision', change.requestedBy, action, message, at);
}
