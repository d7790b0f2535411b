// What every Slack listener receives: the database, the clock, a logger and the work gate. Nothing
// reads the environment or opens connections here; the composition root builds these once.
import type { Clock } from '../../clock.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import type { WorkGate } from './work-gate.js';

export interface SlackListenerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Listeners that acknowledge first take their turn here, so a stopping app leaves unstarted work for a replay. */
  work: WorkGate;
  /** For `/send dashboard` links. */
  dashboard?: DashboardLinkSettings;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
}

/** What a person sees when something unexpected fails; the details go to the log. */
export const SORRY_TEXT = 'Sorry, that failed — the programme team has been told.';
