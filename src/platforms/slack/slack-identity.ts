// Slack user id → person. Known ids resolve straight from the database; an unknown id is looked up
// once with users.info (needs users:read.email) and matched by work email, and resolveCaller then
// remembers the id so the next request is direct — unless that person is already linked to another
// Slack id, which is refused (see resolveCaller). Requests from other workspaces never get this far
// (workspace-guard.ts).
import type { WebClient } from '@slack/web-api';
import { type Clock, toStoredInstant } from '../../clock.js';
import { type CallerResolution, notRegisteredReply, resolveCaller } from '../../commands/identity.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';

export async function resolveSlackCaller(db: Db, client: WebClient, userId: string, logger: Logger, clock: Clock): Promise<CallerResolution> {
  const direct = await resolveCaller(db, { slackUserId: userId });
  if (direct.person) return direct;
  let email: string | undefined;
  try {
    const info = await client.users.info({ user: userId });
    email = info.user?.profile?.email ?? undefined;
  } catch (error) {
    // Without an email we cannot match the person; they get the "not registered" reply naming the
    // programme officers, which is also the right answer when the lookup itself is refused.
    logger.warn({ err: error, slackUserId: userId }, 'users.info failed while identifying a Slack user');
    return { reply: await notRegisteredReply(db) };
  }
  if (!email) {
    logger.info({ slackUserId: userId }, 'Slack user has no visible email (is users:read.email granted?)');
    return { reply: await notRegisteredReply(db) };
  }
  const resolved = await resolveCaller(db, { slackUserId: userId, email }, toStoredInstant(clock.now()));
  if (resolved.person) logger.info({ slackUserId: userId, personId: resolved.person.id }, 'matched a Slack user to a person by email');
  return resolved;
}
