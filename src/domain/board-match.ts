// Finds a board from what someone typed: exact name first (any case, spacing or apostrophe style),
// then a unique partial match ("partnership" → SEND Partnership Board). Several partial matches are
// reported back rather than guessed.
import type { BoardState, PlanningState } from './planning-state.js';

export type BoardMatch<B> = { kind: 'found'; board: B } | { kind: 'ambiguous'; candidates: B[] } | { kind: 'none' };

function key(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

export function matchBoard<B extends { name: string }>(boards: B[], typed: string): BoardMatch<B> {
  const wanted = key(typed);
  if (!wanted) return { kind: 'none' };
  const exact = boards.find((b) => key(b.name) === wanted);
  if (exact) return { kind: 'found', board: exact };
  const words = wanted.split(' ');
  // Every typed word must appear in the name: "send board" finds "SEND Partnership Board".
  const partial = boards.filter((b) => {
    const name = key(b.name);
    return name.includes(wanted) || words.every((w) => name.split(' ').some((part) => part.startsWith(w)));
  });
  if (partial.length === 1 && partial[0]) return { kind: 'found', board: partial[0] };
  if (partial.length > 1) return { kind: 'ambiguous', candidates: partial };
  return { kind: 'none' };
}

/** What choosing a caller's board needs to know about them (a subset of CallerFacts). */
export interface BoardCaller {
  personId: number;
  roleIds: number[];
  chairedBoardIds: number[];
}

/**
 * The board a caller most likely means when they name none: one they chair (the one with the most
 * actions, then the soonest meeting), else the board most of their own actions report to.
 */
export function boardForCaller(state: PlanningState, caller: BoardCaller, nowUtcIso: string): BoardState | undefined {
  const actionsPerBoard = new Map<number, number>();
  const mine = new Map<number, number>();
  for (const a of state.actions) {
    if (a.boardId === null) continue;
    actionsPerBoard.set(a.boardId, (actionsPerBoard.get(a.boardId) ?? 0) + 1);
    const owns = a.ownerPersonId !== null ? a.ownerPersonId === caller.personId : a.ownerRoleId !== null && caller.roleIds.includes(a.ownerRoleId);
    if (owns) mine.set(a.boardId, (mine.get(a.boardId) ?? 0) + 1);
  }
  const nextMeeting = (b: BoardState) => b.meetings.find((m) => m.startsAt > nowUtcIso)?.startsAt ?? '\uffff';
  const chaired = state.boards.filter((b) => caller.chairedBoardIds.includes(b.id));
  if (chaired.length > 0) {
    return [...chaired].sort(
      (x, y) =>
        (actionsPerBoard.get(y.id) ?? 0) - (actionsPerBoard.get(x.id) ?? 0) || nextMeeting(x).localeCompare(nextMeeting(y)) || x.name.localeCompare(y.name),
    )[0];
  }
  return [...state.boards]
    .filter((b) => (mine.get(b.id) ?? 0) > 0)
    .sort((x, y) => (mine.get(y.id) ?? 0) - (mine.get(x.id) ?? 0) || x.name.localeCompare(y.name))[0];
}
