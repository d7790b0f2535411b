// Builds the Teams bot: botbuilder's CloudAdapter with Bot Framework authentication from the usual
// settings (see teams-auth.ts), the TeamsActivityHandler (teams-bot.ts), one turn-error handler, and
// the POST /api/messages route for the shared HTTP server (teams-http.ts).
//
// Without MicrosoftAppId botbuilder would accept unauthenticated requests: that is allowed only with
// TEAMS_ALLOW_UNAUTHENTICATED (local testing), logged as a warning on every start; otherwise
// createTeamsBot throws TeamsStartError naming both settings.
import { CloudAdapter, type TurnContext } from 'botbuilder';
import type { Clock } from '../../clock.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { HttpServer, RouteHandler } from '../../http/http-server.js';
import { componentLogger, type Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';
import { failureText } from '../failure-text.js';
import { SORRY_TEXT } from './handler-deps.js';
import { createBotFrameworkAuthentication, logTeamsAuthMode, type TeamsAuthMode, type TeamsConfig, type TokenKeyEndpoints } from './teams-auth.js';
import { SendbotTeamsBot } from './teams-bot.js';
import { createMessagesHandler, TEAMS_MESSAGES_PATH } from './teams-http.js';

export { TeamsStartError } from './teams-auth.js';
export { TEAMS_MESSAGES_PATH } from './teams-http.js';

export interface TeamsBotDeps {
  db: Db;
  clock: Clock;
  config: TeamsConfig;
  logger: Logger;
  /** Tests only: where token-signing keys are fetched (see TokenKeyEndpoints). */
  tokenKeys?: TokenKeyEndpoints;
  /** For `/send dashboard` links. */
  dashboard?: DashboardLinkSettings;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
}

export interface TeamsBot {
  adapter: CloudAdapter;
  bot: SendbotTeamsBot;
  /** The bot's app id ('' when authentication is off), for continueConversationAsync. */
  appId: string;
  authMode: TeamsAuthMode;
  /** The POST /api/messages handler (node:http request and response). */
  handle: RouteHandler;
}

/** Activity types where someone is waiting for an answer, so a failure is worth telling them about. */
const CONVERSATIONAL = new Set(['message', 'invoke']);

export function createTeamsBot(deps: TeamsBotDeps): TeamsBot {
  const log = componentLogger(deps.logger, 'teams');
  const authMode = logTeamsAuthMode(deps.config, log);
  if (authMode === 'authenticated' && !deps.config.tenantId) {
    log.warn(
      { teamsTenant: 'any' },
      'MicrosoftAppTenantId is not set: people in any Microsoft 365 organisation that adds this bot can reach it and be matched by email. Set it to your tenant id to accept only your organisation.',
    );
  }
  const auth = createBotFrameworkAuthentication(deps.config, log, deps.tokenKeys);
  const adapter = new CloudAdapter(auth);
  const bot = new SendbotTeamsBot({ db: deps.db, clock: deps.clock, logger: log, ...(deps.dashboard ? { dashboard: deps.dashboard } : {}), ...(deps.policy ? { policy: deps.policy } : {}) });

  // The one place unexpected failures in a turn end up: log with context, tell the person plainly.
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity = context.activity;
    log.error(
      { err: error, activityType: activity.type, conversationId: activity.conversation?.id, teamsUserId: activity.from?.id },
      'Teams turn failed',
    );
    if (!CONVERSATIONAL.has(activity.type)) return;
    await context.sendActivity(failureText(error, SORRY_TEXT)).catch((e: unknown) => log.error({ err: e }, 'could not tell the user the Teams turn failed'));
  };

  const handle = createMessagesHandler({
    adapter,
    requireToken: authMode === 'authenticated',
    ...(deps.config.tenantId ? { allowedTenantId: deps.config.tenantId } : {}),
    authenticate: (activity, authHeader) => auth.authenticateRequest(activity, authHeader),
    run: (context) => bot.run(context),
    logger: log,
  });
  return { adapter, bot, appId: deps.config.appId ?? '', authMode, handle };
}

/** Mounts POST /api/messages on the shared HTTP server. */
export function mountTeamsMessages(http: HttpServer, teams: Pick<TeamsBot, 'handle'>): void {
  http.addRoute('POST', TEAMS_MESSAGES_PATH, teams.handle);
}
