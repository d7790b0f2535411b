// Who is talking: a platform identity (Slack user id, Teams user id) or an email, to a person.
import { eq } from 'drizzle-orm';
import { people } from '../../db/schema.js';
import { reply, type Reply, text } from '../render/reply.js';
import type { Db } from '../store/database.js';
import { findPersonByEmail, findPersonBySlackId, findPersonByTeamsId, listAdmins, type Person } from '../store/people-repository.js';

export interface PlatformIdentity {
  slackUserId?: string;
  teamsUserId?: string;
  email?: string;
}

export type CallerResolution = { person: Person } | { person?: undefined; reply: Reply };

/**
 * Resolves the caller. When a platform id is unknown but the email matches a registered person,
 * the id is remembered so the next lookup is direct.
 */
export function resolveCaller(db: Db, identity: PlatformIdentity): CallerResolution {
  let person =
    (identity.slackUserId && findPersonBySlackId(db, identity.slackUserId)) ||
    (identity.teamsUserId && findPersonByTeamsId(db, identity.teamsUserId)) ||
    undefined;
  if (!person && identity.email) {
    person = findPersonByEmail(db, identity.email);
    if (person) {
      const set: Partial<Person> = {};
      if (identity.slackUserId && !person.slackUserId) set.slackUserId = identity.slackUserId;
      if (identity.teamsUserId && !person.teamsUserId) set.teamsUserId = identity.teamsUserId;
      if (Object.keys(set).length) person = db.update(people).set(set).where(eq(people.id, person.id)).returning().get();
    }
  }
  if (person) return { person };
  return { reply: notRegisteredReply(db) };
}

export function notRegisteredReply(db: Db): Reply {
  const admins = listAdmins(db).map((a) => `${a.name} (${a.email})`);
  return reply('error', "You're not registered yet — ask a programme officer.", [
    text(admins.length ? `Programme officers: ${admins.join(', ')}.` : 'No programme officer is set up yet: whoever installed sendbot can add people with sendbot people import.'),
  ]);
}

/** Remembers which platform a person last used, so nudges reach them there. */
export function noteLastPlatform(db: Db, person: Person, platform: 'slack' | 'teams'): void {
  if (person.lastPlatform !== platform) db.update(people).set({ lastPlatform: platform }).where(eq(people.id, person.id)).run();
}
