// The words of the two messages a date-change request causes: the chair is told a request arrived,
// and the person who asked is told the decision. Pure functions returning a neutral Reply.
import { formatDate, shortTitle } from '../../messages/format.js';
import { fields, type Reply, reply, text } from '../../messages/reply.js';

export interface DateRequestFacts {
  ref: string;
  actionText: string;
  boardName: string | null;
  requestedBy: string;
  fromDue: string | null;
  toDue: string;
  /** The date as the requester wrote it. */
  phrase: string;
  reason: string | null;
  baselineDue: string | null;
}

/** To each chair of the action's board: a request is waiting for their decision. */
export function dateRequestReply(f: DateRequestFacts): Reply {
  const approve = `/send approve ${f.ref} to:${f.toDue}`;
  return reply(
    'info',
    `${f.requestedBy} asks to move ${f.ref} from ${formatDate(f.fromDue)} to ${formatDate(f.toDue)}`,
    [
      fields([
        ['Action', shortTitle(f.actionText, 140)],
        ['Board', f.boardName],
        ['Asked for', `${formatDate(f.toDue)} ("${f.phrase}")`],
        ['Due now', formatDate(f.fromDue)],
        ['Baseline', formatDate(f.baselineDue)],
        ['Reason', f.reason],
      ]),
      text(`To approve: ${approve}. To reject, say why: /send reject ${f.ref} <reason>. The due date stays ${formatDate(f.fromDue)} until you decide.`),
    ],
    { buttons: [{ id: 'confirm', label: `Approve ${formatDate(f.toDue)}`, value: approve, style: 'primary' }] },
  );
}

export interface DateDecisionFacts {
  ref: string;
  actionText: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  fromDue: string | null;
  toDue: string | null;
  note: string | null;
}

/** To the person who asked: what was decided, by whom, and why. */
export function dateDecisionReply(f: DateDecisionFacts): Reply {
  const approved = f.decision === 'approved';
  return reply(
    approved ? 'success' : 'warning',
    approved
      ? `${f.decidedBy} approved your new date for ${f.ref}: now due ${formatDate(f.toDue)}`
      : `${f.decidedBy} rejected your new date for ${f.ref}: it stays due ${formatDate(f.fromDue)}`,
    [
      fields([
        ['Action', shortTitle(f.actionText, 140)],
        ['You asked for', formatDate(f.toDue)],
        [approved ? 'Was due' : 'Due', formatDate(f.fromDue)],
        [approved ? 'Note' : 'Reason', f.note],
      ]),
    ],
  );
}
