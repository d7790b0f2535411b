// The single source of truth for sendbot's tables. drizzle-kit generates db/migrations from this file;
// never edit a generated migration by hand (add a new one instead).
//
// Conventions: calendar dates (due, start) are ISO `YYYY-MM-DD` text in Europe/London; instants are
// ISO-8601 UTC text (`2024-11-18T09:00:00.000Z`). JSON columns hold small lists only.
import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { ActionFileBase, ActionStatus, KpiTarget, KpiTargetRow, MilestoneRow, OutboxStatus, SchoolTermRow } from './types.js';

// Row and enum types live in db/types.ts (no database library), so code outside src/store can use
// them without importing the schema; they are re-exported here for the store's convenience.
export { actionStatuses, outboxStatuses } from './types.js';
export type { ActionFileBase, ActionStatus, KpiTarget, KpiTargetRow, MilestoneRow, OutboxStatus, SchoolTermRow } from './types.js';

const createdAt = () => text('created_at').notNull();

/** One row (id = 1): the local area partnership this database serves. */
export const partnership = sqliteTable('partnership', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Europe/London'),
  officeHoursStart: text('office_hours_start').notNull().default('09:00'),
  officeHoursEnd: text('office_hours_end').notNull().default('17:30'),
  /** JSON: SchoolTerm[] ({ name, start, end }); empty means the built-in defaults. */
  schoolTerms: text('school_terms', { mode: 'json' }).$type<SchoolTermRow[]>().notNull().default(sql`'[]'`),
  /** Channel for the weekly digest (Slack channel id or Teams channel id). */
  programmeChannel: text('programme_channel'),
  updatedAt: text('updated_at').notNull(),
});

/** A job title such as "Head of SEND": plans name roles, never people. */
export const roles = sqliteTable(
  'roles',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    /** Lower-cased, whitespace-collapsed name: the match key for imports and commands. */
    key: text('key').notNull(),
    /**
     * Emails of the holders the last import file (plan YAML people, or people.csv) named for this
     * role, sorted; null until a file names any. A re-import changes the holders only when the file's
     * list differs from this, so a handover made since (in chat or `role assign`) is never undone.
     */
    importedHolders: text('imported_holders', { mode: 'json' }).$type<string[]>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('roles_key_unique').on(t.key)],
);

/** Other spellings of a role in source documents ("SCC Head of SEND" for "Head of SEND"). */
export const roleAliases = sqliteTable('role_aliases', {
  key: text('key').primaryKey(),
  alias: text('alias').notNull(),
  roleId: integer('role_id')
    .notNull()
    .references(() => roles.id),
});

export const people = sqliteTable(
  'people',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    slackUserId: text('slack_user_id'),
    teamsUserId: text('teams_user_id'),
    isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
    /** While set and in the future, nudges go to the delegate or wait until this date (inclusive). */
    awayUntil: text('away_until'),
    delegateId: integer('delegate_id'),
    /** Receives the weekly digest by direct message. */
    weeklyDigest: integer('weekly_digest', { mode: 'boolean' }).notNull().default(false),
    /** 'slack' | 'teams': where the person last used the bot; nudges go there. */
    lastPlatform: text('last_platform'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('people_email_unique').on(t.email),
    uniqueIndex('people_slack_unique').on(t.slackUserId),
    uniqueIndex('people_teams_unique').on(t.teamsUserId),
  ],
);

/** Who holds a role, and when. A handover ends one row and starts another: history is kept. */
export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    id: integer('id').primaryKey(),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id),
    personId: integer('person_id')
      .notNull()
      .references(() => people.id),
    startedAt: text('started_at').notNull(),
    endedAt: text('ended_at'),
  },
  (t) => [
    index('role_assignments_role').on(t.roleId, t.endedAt),
    index('role_assignments_person').on(t.personId),
    // A role may have several current holders, but a person holds it once at a time: two instances
    // adding the same holder together cannot both succeed (addHolder inserts `on conflict do nothing`).
    uniqueIndex('role_assignments_current').on(t.roleId, t.personId).where(sql`ended_at is null`),
  ],
);

export const boards = sqliteTable(
  'boards',
  {
    id: integer('id').primaryKey(),
    name: text('name').notNull(),
    key: text('key').notNull(),
    chairRoleId: integer('chair_role_id').references(() => roles.id),
    /** Slack channel id for the chair's digest. */
    slackChannel: text('slack_channel'),
    /** Teams channel (conversation) id for the chair's digest. */
    teamsChannel: text('teams_channel'),
    /** Lead times in working days before a meeting. */
    updateWindowDays: integer('update_window_days').notNull().default(10),
    reminderDays: integer('reminder_days').notNull().default(7),
    papersDays: integer('papers_days').notNull().default(5),
    /** A committee calendar feed (http(s)) the scheduler refreshes the board's meetings from daily. */
    feedUrl: text('feed_url'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('boards_key_unique').on(t.key)],
);

export const meetings = sqliteTable(
  'meetings',
  {
    id: integer('id').primaryKey(),
    boardId: integer('board_id')
      .notNull()
      .references(() => boards.id),
    startsAt: text('starts_at').notNull(),
    /** True for the demo's illustrative calendar: never a real council date. */
    isSample: integer('is_sample', { mode: 'boolean' }).notNull().default(false),
    /** iCal UID when imported from a committee calendar feed. */
    sourceUid: text('source_uid'),
    /**
     * The calendar that last gave this meeting: the feed's address, or the file's name. A followed
     * feed cancels only meetings it gave itself, never those another calendar gave the board.
     */
    sourceFeed: text('source_feed'),
    title: text('title'),
    cancelled: integer('cancelled', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('meetings_board_start_unique').on(t.boardId, t.startsAt),
    index('meetings_starts_at').on(t.startsAt),
  ],
);

export const plans = sqliteTable(
  'plans',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    areaForImprovement: text('area_for_improvement'),
    findings: text('findings'),
    outcomes: text('outcomes', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    evidence: text('evidence', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    boardId: integer('board_id').references(() => boards.id),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('plans_code_unique').on(t.code)],
);

/**
 * A measure with a trajectory, e.g. Healthy Child Programme HR1 coverage: 62% in 2023/24, 65% by
 * March 2025, 85% in 2025/26. Readings are in kpi_readings. A KPI dropped from the plan file is
 * marked removed, never deleted: its readings are evidence.
 */
export const kpis = sqliteTable(
  'kpis',
  {
    id: integer('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id),
    /**
     * What people type: `/send kpi HCP-HR1 63%`. Set by every import; rows from before KPI codes
     * existed get one derived from their plan code and name when the database is opened.
     */
    code: text('code'),
    name: text('name').notNull(),
    /** The workstream it belongs to, if any: its supporting roles may record readings. */
    workstreamId: integer('workstream_id').references(() => workstreams.id),
    /** Whoever holds this role records readings and is nudged for them. */
    ownerRoleId: integer('owner_role_id').references(() => roles.id),
    /** 'percent' | 'weeks' | 'days' | 'count' | 'number' (KpiUnit). */
    unit: text('unit').notNull().default('number'),
    /** 'higher' | 'lower': which way is better. */
    direction: text('direction').notNull().default('higher'),
    /** 'monthly' | 'quarterly' | 'annual' (financial years): sets the reporting periods. */
    frequency: text('frequency').notNull().default('monthly'),
    /** The baseline as the plan words it ("62–65% in 2023/24"). */
    baseline: text('baseline'),
    baselineValue: real('baseline_value'),
    /** ISO date the baseline value describes (the end of the period it was measured over). */
    baselineAsOf: text('baseline_as_of'),
    /** JSON: KpiTargetRow[] (older rows: KpiTarget[], read by the store either way). */
    trajectory: text('trajectory', { mode: 'json' }).$type<KpiTargetRow[] | KpiTarget[]>().notNull().default(sql`'[]'`),
    position: integer('position').notNull().default(0),
    removedAt: text('removed_at'),
  },
  (t) => [uniqueIndex('kpis_plan_name_unique').on(t.planId, t.name), uniqueIndex('kpis_code_unique').on(t.code)],
);

/**
 * Append-only: every KPI reading ever given. A second reading for the same period is a correction:
 * a new row, the latest wins, and the earlier one stays as evidence.
 */
export const kpiReadings = sqliteTable(
  'kpi_readings',
  {
    id: integer('id').primaryKey(),
    kpiId: integer('kpi_id')
      .notNull()
      .references(() => kpis.id),
    value: real('value').notNull(),
    /** "Q2 2024/25", "October 2024", "15 Nov 2024", or the words as written. */
    periodLabel: text('period_label').notNull(),
    /** First day of the period; null for a single day ("as at 15 Nov 2024"). */
    periodStart: text('period_start'),
    /** Last day of the period: what "the same period" compares, and the x position on a chart. */
    periodEnd: text('period_end').notNull(),
    recordedAt: text('recorded_at').notNull(),
    personId: integer('person_id').references(() => people.id),
    /** 'slack' | 'teams' | 'console' | 'cli' | 'import' */
    platform: text('platform').notNull(),
    /** 'reading' | 'correction' (the period already had one) | 'import' (from a plan file) */
    kind: text('kind').notNull().default('reading'),
    note: text('note'),
    /** Exactly what the person typed, or the file's cell. */
    rawText: text('raw_text').notNull(),
    /** True for the demo's illustrative readings: never a real published figure. */
    isSample: integer('is_sample', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('kpi_readings_kpi_period').on(t.kpiId, t.periodEnd, t.recordedAt)],
);

export const workstreams = sqliteTable(
  'workstreams',
  {
    id: integer('id').primaryKey(),
    planId: integer('plan_id')
      .notNull()
      .references(() => plans.id),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    leadRoleId: integer('lead_role_id').references(() => roles.id),
    /** Optional board override: a workstream can report to a different board from its plan. */
    boardId: integer('board_id').references(() => boards.id),
    dateText: text('date_text'),
    milestones: text('milestones', { mode: 'json' }).$type<MilestoneRow[]>().notNull().default(sql`'[]'`),
    start: text('start'),
    due: text('due'),
    ongoing: integer('ongoing', { mode: 'boolean' }).notNull().default(false),
    flags: text('flags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    removedAt: text('removed_at'),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [uniqueIndex('workstreams_plan_number_unique').on(t.planId, t.number), index('workstreams_lead_role').on(t.leadRoleId)],
);

/** "With: …" roles that support a workstream (and so may update its actions). */
export const workstreamSupportingRoles = sqliteTable(
  'workstream_supporting_roles',
  {
    workstreamId: integer('workstream_id')
      .notNull()
      .references(() => workstreams.id),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('workstream_supporting_roles_unique').on(t.workstreamId, t.roleId)],
);

/** Supporting roles of one action only (a plan table row's own "With"), besides its workstream's. */
export const actionSupportingRoles = sqliteTable(
  'action_supporting_roles',
  {
    actionId: integer('action_id')
      .notNull()
      .references(() => actions.id),
    roleId: integer('role_id')
      .notNull()
      .references(() => roles.id),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('action_supporting_roles_unique').on(t.actionId, t.roleId)],
);

export const actions = sqliteTable(
  'actions',
  {
    id: integer('id').primaryKey(),
    workstreamId: integer('workstream_id')
      .notNull()
      .references(() => workstreams.id),
    number: integer('number').notNull(),
    /** Stable reference: <PLAN CODE>-<workstream no>.<action no>, e.g. ND-1.2. */
    ref: text('ref').notNull(),
    text: text('text').notNull(),
    /** Owner override; null means the workstream's accountable lead. */
    ownerRoleId: integer('owner_role_id').references(() => roles.id),
    /** A named person made accountable by an admin (`/send assign`); wins over any role. */
    ownerPersonId: integer('owner_person_id').references(() => people.id),
    /** The date phrase this action's dates came from (its own "by …", or null when inherited). */
    dateText: text('date_text'),
    /** 'action' (own phrase), 'workstream' (inherited) or 'none'. */
    dateSource: text('date_source').notNull().default('none'),
    start: text('start'),
    due: text('due'),
    /** The first due date ever recorded: kept forever, so slippage stays visible. */
    baselineDue: text('baseline_due'),
    ongoing: integer('ongoing', { mode: 'boolean' }).notNull().default(false),
    flags: text('flags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    status: text('status').$type<ActionStatus>().notNull().default('not_started'),
    percent: integer('percent'),
    /** Status as last written by an import file, so a re-import only applies changes made in the file. */
    importedStatus: text('imported_status'),
    /**
     * The owner role as the plan file last gave it: the role's name, or '' for "the workstream's
     * lead"; null for actions imported before this was kept. A re-import changes the owner only when
     * the file's owner differs from this, so an `assign` made since is never undone.
     */
    importedOwner: text('imported_owner'),
    /**
     * What the plan file last said for this action's fields (text, dates, supporting roles, progress):
     * the base of the three-way merge on re-import (src/domain/plan-merge.ts). Null for actions
     * imported before it was kept: a re-import then treats every difference as a conflict.
     */
    fileBase: text('file_base', { mode: 'json' }).$type<ActionFileBase>(),
    removedAt: text('removed_at'),
    createdAt: createdAt(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('actions_ref_unique').on(t.ref),
    uniqueIndex('actions_workstream_number_unique').on(t.workstreamId, t.number),
    index('actions_due').on(t.due),
    index('actions_owner_role').on(t.ownerRoleId),
    index('actions_owner_person').on(t.ownerPersonId),
  ],
);

/** Append-only: every status update ever given. Corrections are new rows, never edits. */
export const updates = sqliteTable(
  'updates',
  {
    id: integer('id').primaryKey(),
    actionId: integer('action_id')
      .notNull()
      .references(() => actions.id),
    personId: integer('person_id').references(() => people.id),
    createdAt: createdAt(),
    /** 'slack' | 'teams' | 'console' | 'cli' | 'import' */
    platform: text('platform').notNull(),
    /** 'update' | 'no_change' | 'correction' | 'import' */
    kind: text('kind').notNull().default('update'),
    status: text('status').$type<ActionStatus>(),
    percent: integer('percent'),
    note: text('note'),
    evidenceUrl: text('evidence_url'),
    /** Exactly what the person typed or submitted. */
    rawText: text('raw_text').notNull(),
    /** Set when the person updated as a delegate: the away owner they were covering for. */
    onBehalfOfPersonId: integer('on_behalf_of_person_id').references(() => people.id),
  },
  (t) => [
    index('updates_action_time').on(t.actionId, t.createdAt),
    index('updates_person').on(t.personId),
    // Owner reports only (plan imports left out): each action's latest report is one seek, and the
    // tick reads every action's from this index alone.
    index('updates_reported').on(t.actionId, t.createdAt).where(sql`kind <> 'import'`),
    // The weekly digest reads the last seven days of reports across every board.
    index('updates_created_at').on(t.createdAt),
  ],
);

/** Requests and changes to an action's due date. The baseline on the action is never overwritten. */
export const dueDateChanges = sqliteTable(
  'due_date_changes',
  {
    id: integer('id').primaryKey(),
    actionId: integer('action_id')
      .notNull()
      .references(() => actions.id),
    requestedBy: integer('requested_by').references(() => people.id),
    requestedAt: text('requested_at').notNull(),
    fromDue: text('from_due'),
    toDue: text('to_due'),
    phrase: text('phrase').notNull(),
    reason: text('reason'),
    /** 'pending' | 'approved' | 'rejected' | 'imported' (a plan file changed the date) */
    state: text('state').notNull(),
    decidedBy: integer('decided_by').references(() => people.id),
    decidedAt: text('decided_at'),
    /** What the chair or officer said when deciding (a rejection's reason). */
    decisionNote: text('decision_note'),
    updateId: integer('update_id').references(() => updates.id),
  },
  (t) => [
    index('due_date_changes_action').on(t.actionId, t.requestedAt),
    // The date a report asked for, looked up per report in the digest's update trail.
    index('due_date_changes_update').on(t.updateId),
  ],
);

/** Transactional outbox: planning writes rows under a deterministic key, delivery sends them. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey(),
    key: text('key').notNull(),
    kind: text('kind').notNull(),
    recipientPersonId: integer('recipient_person_id').references(() => people.id),
    /** For channel messages: 'slack:C123' or 'teams:19:abc…'. */
    recipientChannel: text('recipient_channel'),
    payload: text('payload', { mode: 'json' }).notNull(),
    notBefore: text('not_before').notNull(),
    attempts: integer('attempts').notNull().default(0),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    lastError: text('last_error'),
    platform: text('platform'),
    platformMessageId: text('platform_message_id'),
    /** Delivery lease: a worker owns the row until this instant, so two processes never both send it. */
    leaseUntil: text('lease_until'),
    createdAt: createdAt(),
    sentAt: text('sent_at'),
  },
  (t) => [uniqueIndex('outbox_key_unique').on(t.key), index('outbox_due').on(t.status, t.notBefore)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey(),
    at: text('at').notNull(),
    actorPersonId: integer('actor_person_id').references(() => people.id),
    /** Who or what acted when not a person: 'cli', 'import', 'scheduler'. */
    actorLabel: text('actor_label'),
    event: text('event').notNull(),
    entity: text('entity'),
    detail: text('detail', { mode: 'json' }),
    /** Where a person acted from ('slack', 'teams', 'console', 'cli'), and their id there (U…, 29:…). */
    platform: text('platform'),
    platformUserId: text('platform_user_id'),
  },
  (t) => [index('audit_log_at').on(t.at)],
);

/**
 * Signatures of Slack requests already accepted, kept until Slack's five-minute window has passed
 * for them: the same signed request arriving again is a replay and is refused. In SQLite (not
 * memory) so the cache holds across restarts and across processes sharing the database.
 */
export const slackRequestSignatures = sqliteTable(
  'slack_request_signatures',
  {
    signature: text('signature').primaryKey(),
    /** Unix seconds after which the request's timestamp is stale anyway and the row can go. */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('slack_request_signatures_expires').on(t.expiresAt)],
);

/**
 * Slack requests acknowledged before their work ran (slash commands and the buttons that write).
 * A row is written, and committed, before the acknowledgement; the work deletes it in the same
 * transaction as its own writes. A row still here after a crash is replayed on the next start, so
 * an acknowledged command is carried out exactly once. `failed` rows (the work threw) are kept so
 * what the person sent is never lost.
 */
export const slackInbox = sqliteTable('slack_inbox', {
  // AUTOINCREMENT: an id is never handed out twice (plain rowids reuse a deleted largest id), so a
  // request that finishes late, or another process, can only ever remove its own row.
  id: integer('id').primaryKey({ autoIncrement: true }),
  receivedAt: text('received_at').notNull(),
  /** The request body as Bolt parsed it (JSON). */
  body: text('body').notNull(),
  /** 'pending' | 'failed' */
  state: text('state').notNull().default('pending'),
  failedAt: text('failed_at'),
  /**
   * Unix seconds until which the instance working on the row holds it (set on intake, renewed by a
   * replay); the sweep replays only rows whose lease ran out, so no live instance's work is doubled.
   */
  leaseUntil: integer('lease_until'),
});

/**
 * Teams conversation references, stored on install and on every message so proactive nudges and
 * digests survive restarts. A reference is disabled (not deleted) on uninstall or a 403.
 */
export const conversationReferences = sqliteTable(
  'conversation_references',
  {
    id: integer('id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    /** 'personal' | 'channel' | 'groupChat' */
    conversationType: text('conversation_type').notNull(),
    /** The person this 1:1 chat reaches (personal chats only). */
    personId: integer('person_id').references(() => people.id),
    /** Teams user id (29:…) of the member, for personal chats. */
    teamsUserId: text('teams_user_id'),
    serviceUrl: text('service_url').notNull(),
    tenantId: text('tenant_id'),
    /** The full Bot Framework ConversationReference as JSON. */
    reference: text('reference', { mode: 'json' }).notNull(),
    disabledAt: text('disabled_at'),
    disabledReason: text('disabled_reason'),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('conversation_references_conversation_unique').on(t.conversationId),
    index('conversation_references_person').on(t.personId),
    index('conversation_references_teams_user').on(t.teamsUserId),
  ],
);

/**
 * Secrets sendbot makes for itself when none is configured, e.g. the key that signs dashboard links
 * (`dashboard`) when DASHBOARD_SECRET is not set. Same trust boundary as the data: whoever can read
 * this file can read the plan anyway.
 */
export const appSecrets = sqliteTable('app_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
