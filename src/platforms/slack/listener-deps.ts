// What every Slack listener receives: the database, the clock and a logger. Nothing reads the
// environment or opens connections here; the composition root builds these once.
import type { Clock } from '../../clock.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';

export interface SlackListenerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** For `/send dashboard` links. */
  dashboard?: DashboardLinkSettings;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
}

/** What a person sees when something unexpected fails; the details go to the log. */
export const SORRY_TEXT = 'Sorry, that failed — the programme team has been told.';
