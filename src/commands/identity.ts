// Who is talking: a platform identity (Slack user id, Teams user id) or an email, to a person.
import { reply, type Reply, text } from '../render/reply.js';
import { recordAudit } from '../store/audit-repository.js';
import { type Db, inTransaction } from '../store/database.js';
import { findPersonByEmail, findPersonBySlackId, findPersonByTeamsId, listAdmins, type Person } from '../store/people-repository.js';
import { linkPlatformAccounts, type PlatformAccountIds, recordLastPlatform } from '../store/platform-identity-repository.js';

export interface PlatformIdentity {
  slackUserId?: string;
  teamsUserId?: string;
  email?: string;
}

export type CallerResolution = { person: Person } | { person?: undefined; reply: Reply };

/**
 * Resolves the caller. When a platform id is unknown but the email matches a registered person who
 * has no id on that platform yet, the id is remembered (and the link audited, with the platform
 * account) so the next lookup is direct. A person already linked to a different account on that
 * platform is never re-linked, nor taken to be the caller: another account showing the same email
 * is not that person (another workspace, tenant or organisation controls its own accounts' emails).
 * `at` (a stored instant) dates the audit row.
 */
export async function resolveCaller(db: Db, identity: PlatformIdentity, at?: string): Promise<CallerResolution> {
  let person =
    (identity.slackUserId && await findPersonBySlackId(db, identity.slackUserId)) ||
    (identity.teamsUserId && await findPersonByTeamsId(db, identity.teamsUserId)) ||
    undefined;
  if (!person && identity.email) {
    const byEmail = await findPersonByEmail(db, identity.email);
    if (byEmail) {
      const slackTaken = identity.slackUserId && byEmail.slackUserId && byEmail.slackUserId !== identity.slackUserId;
      const teamsTaken = identity.teamsUserId && byEmail.teamsUserId && byEmail.teamsUserId !== identity.teamsUserId;
      if (slackTaken || teamsTaken) return { reply: await alreadyLinkedReply(db, slackTaken ? 'Slack' : 'Teams') };
      person = await linkPlatformIds(db, byEmail, identity, at);
    }
  }
  if (person) return { person };
  return { reply: await notRegisteredReply(db) };
}

async function linkPlatformIds(db: Db, person: Person, identity: PlatformIdentity, at: string | undefined): Promise<Person> {
  const set: PlatformAccountIds = {};
  if (identity.slackUserId && !person.slackUserId) set.slackUserId = identity.slackUserId;
  if (identity.teamsUserId && !person.teamsUserId) set.teamsUserId = identity.teamsUserId;
  if (Object.keys(set).length === 0) return person;
  return await inTransaction(db, async () => {
    const linked = await linkPlatformAccounts(db, person.id, set);
    if (at) {
      const platform = set.slackUserId ? 'slack' : 'teams';
      await recordAudit(db, {
        at,
        actorPersonId: person.id,
        event: `person.linked_${platform}`,
        entity: person.email,
        platform,
        platformUserId: set.slackUserId ?? set.teamsUserId ?? null,
      });
    }
    return linked;
  });
}

/** The email belongs to someone already linked to another account on this platform. */
export async function alreadyLinkedReply(db: Db, platform: 'Slack' | 'Teams'): Promise<Reply> {
  const admins = (await listAdmins(db)).map((a) => `${a.name} (${a.email})`);
  return reply('error', `Your email is already linked to a different ${platform} account, so I can't tell it's you.`, [
    text(admins.length ? `Ask a programme officer to check your ${platform} id: ${admins.join(', ')}.` : `Ask whoever installed sendbot to check your ${platform} id (sendbot people).`),
  ]);
}

export async function notRegisteredReply(db: Db): Promise<Reply> {
  const admins = (await listAdmins(db)).map((a) => `${a.name} (${a.email})`);
  return reply('error', "You're not registered yet — ask a programme officer.", [
    text(admins.length ? `Programme officers: ${admins.join(', ')}.` : 'No programme officer is set up yet: whoever installed sendbot can add people with sendbot people import.'),
  ]);
}

/** Remembers which platform a person last used, so nudges reach them there. */
export async function noteLastPlatform(db: Db, person: Person, platform: 'slack' | 'teams'): Promise<void> {
  if (person.lastPlatform !== platform) await recordLastPlatform(db, person.id, platform);
}
