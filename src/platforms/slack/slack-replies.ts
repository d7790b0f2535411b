// Sending a neutral Reply back to a person in Slack: ephemerally through a response_url, or as a
// direct message from the bot. Rendering (escaping, splitting, buttons) is block-kit.ts's job.
import type { WebClient } from '@slack/web-api';
import { renderBlocks } from '../../render/block-kit.js';
import { type Reply, reply } from '../../render/reply.js';
import { failureText } from '../failure-text.js';
import { SORRY_TEXT } from './listener-deps.js';
import type { Respond } from './response-url.js';

/**
 * Slack did not take a reply (the response_url refused it or could not be reached). Whatever the
 * reply was about has been done or refused already; only telling the person failed.
 */
export class ReplyNotDeliveredError extends Error {
  constructor(cause: unknown) {
    super(`Slack did not take the reply: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ReplyNotDeliveredError';
  }
}

/**
 * Every message of the rendered reply, in order, visible only to the person (never replacing the
 * original). Throws ReplyNotDeliveredError when Slack does not take one.
 */
export async function respondWithReply(respond: Respond, answer: Reply): Promise<void> {
  for (const message of renderBlocks(answer)) {
    try {
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    } catch (error) {
      throw new ReplyNotDeliveredError(error);
    }
  }
}

/**
 * Posts the reply into the person's direct messages with the bot (chat.postMessage to a user id
 * lands in the app's Messages tab; chat:write is enough). Used where there is no response_url, such
 * as after a modal is submitted.
 */
export async function postReplyToUser(client: WebClient, userId: string, answer: Reply): Promise<void> {
  for (const message of renderBlocks(answer)) {
    await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false });
  }
}

/** "That failed", or — when `error` is a storage failure — that nothing was saved, and why. */
export const sorryReply = (error?: unknown): Reply => reply('error', failureText(error, SORRY_TEXT));

/**
 * Best effort: tells the person something failed (or, with `kept`, that it will be done later). A failure here is only logged by the caller.
 * Not when what failed was posting the answer itself: the work was done, and "that failed" would
 * be untrue (the person would send an update again that is already recorded).
 */
export async function respondSorry(respond: Respond, error?: unknown, kept = false): Promise<void> {
  if (error instanceof ReplyNotDeliveredError) return;
  await respondWithReply(respond, kept ? reply('warning', KEPT_FOR_REPLAY_TEXT) : sorryReply(error));
}

/** When the work failed because the database could not be reached and the request is kept for the sweep (durable-inbox.ts). */
export const KEPT_FOR_REPLAY_TEXT = 'sendbot’s database did not answer in time. What you sent is kept: it will be carried out as soon as the database answers, and the reply will appear here.';
