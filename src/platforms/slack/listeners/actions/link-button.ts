// URL buttons (`send_link_<n>`, e.g. "Open the dashboard"): Slack opens the link in the browser and
// also sends the click here. There is nothing to do but acknowledge it, so Slack does not show the
// button as failed.
import type { BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';

export function linkButtonListener() {
  return async ({ ack }: SlackActionMiddlewareArgs<BlockButtonAction>): Promise<void> => {
    await ack();
  };
}
