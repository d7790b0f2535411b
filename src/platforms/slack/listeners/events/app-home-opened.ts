// The App Home tab: my actions (what is overdue, what needs an update before which meeting, what is
// due soon) and the next board meetings — the `mine` and `boards` replies, one under the other.
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { runCommandText } from '../../../../commands/router.js';
import { renderAppHome } from '../../../../render/block-kit.js';
import { type Reply, reply } from '../../../../render/reply.js';
import { SORRY_TEXT, type SlackListenerDeps } from '../../listener-deps.js';
import { resolveSlackCaller } from '../../slack-identity.js';

export function appHomeOpenedListener(deps: SlackListenerDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    // The event also fires for the Messages tab, which has nothing to draw.
    if (event.tab !== 'home') return;
    const log = deps.logger.child({ listener: 'app-home-opened', slackUserId: event.user });
    try {
      const caller = await resolveSlackCaller(deps.db, client, event.user, log, deps.clock);
      let home: Reply;
      if (!caller.person) home = caller.reply;
      else {
        const commandDeps = { db: deps.db, clock: deps.clock };
        const mine = await runCommandText(commandDeps, caller.person, 'slack', 'mine');
        const boards = await runCommandText(commandDeps, caller.person, 'slack', 'boards');
        home = reply(mine.tone, mine.summary, [
          ...mine.blocks,
          { type: 'divider' },
          { type: 'heading', text: 'Next board meetings' },
          ...boards.blocks,
        ]);
      }
      await client.views.publish({ user_id: event.user, view: renderAppHome(home) });
    } catch (error) {
      log.error({ err: error }, 'App Home failed');
      await client.views
        .publish({ user_id: event.user, view: renderAppHome(reply('error', SORRY_TEXT)) })
        .catch((e: unknown) => log.error({ err: e }, 'could not publish the App Home error'));
    }
  };
}
