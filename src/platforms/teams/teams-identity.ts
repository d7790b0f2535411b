// Teams user → person. A known Teams user id (activity.from.id, "29:…") resolves straight from the
// database; an unknown one is looked up once in the conversation roster (TeamsInfo.getMember gives
// the work email or UPN) and matched by email, and resolveCaller then remembers the id so the next
// message is direct.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { type Clock, toStoredInstant } from '../../clock.js';
import { type CallerResolution, notRegisteredReply, resolveCaller } from '../../commands/identity.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../store/database.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function resolveTeamsCaller(db: Db, context: TurnContext, logger: Logger, clock: Clock): Promise<CallerResolution> {
  const userId = context.activity.from?.id;
  if (!userId) return { reply: await notRegisteredReply(db) };
  const direct = await resolveCaller(db, { teamsUserId: userId });
  if (direct.person) return direct;
  let email: string | undefined;
  try {
    const member = await TeamsInfo.getMember(context, userId);
    email = [member.email, member.userPrincipalName].find((value): value is string => typeof value === 'string' && EMAIL.test(value));
  } catch (error) {
    // Without an email we cannot match the person; they get the "not registered" reply naming the
    // programme officers, which is also the right answer when the roster lookup is refused.
    logger.warn({ err: error, teamsUserId: userId }, 'TeamsInfo.getMember failed while identifying a Teams user');
    return { reply: await notRegisteredReply(db) };
  }
  if (!email) {
    logger.info({ teamsUserId: userId }, 'Teams user has no email or UPN in the roster');
    return { reply: await notRegisteredReply(db) };
  }
  const resolved = await resolveCaller(db, { teamsUserId: userId, email }, toStoredInstant(clock.now()));
  if (resolved.person) logger.info({ teamsUserId: userId, personId: resolved.person.id }, 'matched a Teams user to a person by email');
  return resolved;
}
