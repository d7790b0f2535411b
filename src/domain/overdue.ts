import type { ActionStatus } from '../../db/types.js';

/** Overdue: has a due date before today and is not complete. Ongoing work past a checkpoint counts too. */
export function isOverdue(action: { due: string | null; status: ActionStatus }, todayIso: string): boolean {
  return action.status !== 'blue' && action.due !== null && action.due < todayIso;
}
