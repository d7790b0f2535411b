// What every Slack listener receives: the database, the clock and a logger. Nothing reads the
// environment or opens connections here; the composition root builds these once.
import type { Clock } from '../../clock.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import type { AckPacing } from './ack-pacing.js';
import type { SlashCommandRunner } from './command-worker.js';

export interface SlackListenerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** For `/send dashboard` links. */
  dashboard?: DashboardLinkSettings;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
  /** Where `/send` work runs (the command worker); unset: on the main thread, with the request's client. */
  commands?: SlashCommandRunner;
  /** Slash commands' acknowledgements, kept from running far ahead of their work (ack-pacing.ts). */
  pacing?: AckPacing;
}

/** What a person sees when something unexpected fails; the details go to the log. */
export const SORRY_TEXT = 'Sorry, that failed — the programme team has been told.';
