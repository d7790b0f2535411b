// Teams conversation references: what the bot needs to message a conversation proactively (service
// URL, conversation id, bot and user accounts), kept in SQLite so nudges and digests still reach
// people and channels after a restart. One row per conversation:
//
// - personal: the bot's 1:1 chat with one person (person_id once we know who they are);
// - channel: a team channel, keyed by the channel id without any ";messageid=…" thread suffix, so
//   `teams:<conversation id>` in a board's teams_channel names it;
// - groupChat: a group chat the bot was added to.
//
// Uninstalling, removing the bot, or a 403 on send disables the row (it is kept, with the reason);
// any later message or install in that conversation enables it again.
import type { Db } from './database.js';
import { sql } from 'drizzle-orm';
import { jsonField } from './dialect.js';
import { all, get, run } from './statements.js';
import { storeCall } from './unit-of-work.js';

export type ConversationType = 'personal' | 'channel' | 'groupChat';

/**
 * The Bot Framework ConversationReference as stored (its JSON shape; botbuilder's type is not
 * imported here so the store stays free of platform libraries), plus the team it belongs to.
 */
export interface StoredConversationReference {
  activityId?: string;
  channelId: string;
  serviceUrl: string;
  locale?: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  bot: { id: string; name?: string };
  user?: { id: string; name?: string; aadObjectId?: string };
  /** Team id (channel conversations), so removing the bot from a team disables all its channels. */
  teamId?: string;
}

export interface ConversationReferenceRow {
  id: number;
  conversationId: string;
  conversationType: ConversationType;
  personId: number | null;
  teamsUserId: string | null;
  serviceUrl: string;
  tenantId: string | null;
  reference: StoredConversationReference;
  disabledAt: string | null;
  disabledReason: string | null;
  updatedAt: string;
}

export interface ConversationReferenceInput {
  conversationId: string;
  conversationType: ConversationType;
  /** The person a personal chat reaches; undefined/null keeps whatever was linked before. */
  personId?: number | null;
  teamsUserId?: string | null;
  serviceUrl: string;
  tenantId?: string | null;
  reference: StoredConversationReference;
  /** UTC ISO instant. */
  at: string;
}

const COLUMNS = sql.raw(`id, conversation_id as "conversationId", conversation_type as "conversationType", person_id as "personId",
  teams_user_id as "teamsUserId", service_url as "serviceUrl", tenant_id as "tenantId", reference,
  disabled_at as "disabledAt", disabled_reason as "disabledReason", updated_at as "updatedAt"`);

type RawRow = Omit<ConversationReferenceRow, 'reference'> & { reference: string };
const toRow = (r: RawRow): ConversationReferenceRow => ({ ...r, reference: JSON.parse(r.reference) as StoredConversationReference });

/**
 * Stores (or refreshes) the reference for a conversation and enables it. The service URL can change
 * (Teams moves tenants between regions), so every message refreshes it. A person linked earlier stays
 * linked when this call does not know who it is (e.g. an install before the person was registered).
 */
export function upsertConversationReference(db: Db, input: ConversationReferenceInput): Promise<ConversationReferenceRow> {
  return storeCall(db, async () => {
    const row = (await get<RawRow>(
      db,
      sql`insert into conversation_references
       (conversation_id, conversation_type, person_id, teams_user_id, service_url, tenant_id, reference, disabled_at, disabled_reason, updated_at)
     values (${input.conversationId}, ${input.conversationType}, ${input.personId ?? null}, ${input.teamsUserId ?? null}, ${input.serviceUrl},
             ${input.tenantId ?? null}, ${JSON.stringify(input.reference)}, null, null, ${input.at})
     on conflict(conversation_id) do update set
       conversation_type = excluded.conversation_type,
       person_id = coalesce(excluded.person_id, conversation_references.person_id),
       teams_user_id = coalesce(excluded.teams_user_id, conversation_references.teams_user_id),
       service_url = excluded.service_url,
       tenant_id = coalesce(excluded.tenant_id, conversation_references.tenant_id),
       reference = excluded.reference,
       disabled_at = null,
       disabled_reason = null,
       updated_at = excluded.updated_at
     returning ${COLUMNS}`,
    ))!;
    return toRow(row);
  });
}

/** Disables one conversation's reference. True when an enabled row was disabled. */
export function disableConversationReference(db: Db, conversationId: string, reason: string, at: string): Promise<boolean> {
  return storeCall(db, async () => {
    const result = await run(
      db,
      sql`update conversation_references set disabled_at = ${at}, disabled_reason = ${reason}, updated_at = ${at}
        where conversation_id = ${conversationId} and disabled_at is null`,
    );
    return result.changes > 0;
  });
}

/** Disables every channel reference of a team (the bot was removed from the team). Returns how many. */
export function disableTeamReferences(db: Db, teamId: string, reason: string, at: string): Promise<number> {
  return storeCall(db, async () => {
    const result = await run(
      db,
      sql`update conversation_references set disabled_at = ${at}, disabled_reason = ${reason}, updated_at = ${at}
     where disabled_at is null and (conversation_id = ${teamId} or ${jsonField(sql`reference`, 'teamId')} = ${teamId})`,
    );
    return result.changes;
  });
}

/** The reference for a conversation, enabled or not. */
export function findConversationReference(db: Db, conversationId: string): Promise<ConversationReferenceRow | undefined> {
  return storeCall(db, async () => {
    const row = await get<RawRow>(db, sql`select ${COLUMNS} from conversation_references where conversation_id = ${conversationId}`);
    return row ? toRow(row) : undefined;
  });
}

/** The enabled reference for a channel or group chat conversation. */
export function findEnabledConversationReference(db: Db, conversationId: string): Promise<ConversationReferenceRow | undefined> {
  return storeCall(db, async () => {
    const row = await get<RawRow>(db, sql`select ${COLUMNS} from conversation_references where conversation_id = ${conversationId} and disabled_at is null`);
    return row ? toRow(row) : undefined;
  });
}

/**
 * The enabled personal chat that reaches a person: linked to them, or with their Teams user id (a
 * chat installed before they were registered). The most recently refreshed one wins.
 */
export function findPersonalReference(db: Db, person: { id: number; teamsUserId: string | null }): Promise<ConversationReferenceRow | undefined> {
  return storeCall(db, async () => {
    const row = await get<RawRow>(
      db,
      sql`select ${COLUMNS} from conversation_references
     where conversation_type = 'personal' and disabled_at is null
       and (person_id = ${person.id} or teams_user_id = ${person.teamsUserId})
     order by updated_at desc, id desc limit 1`,
    );
    return row ? toRow(row) : undefined;
  });
}

/** Every stored reference, for diagnostics and tests. */
export function listConversationReferences(db: Db): Promise<ConversationReferenceRow[]> {
  return storeCall(db, async () => {
    return (await all<RawRow>(db, sql`select ${COLUMNS} from conversation_references order by id`)).map(toRow);
  });
}
