// Shared row and enum types of sendbot's tables, free of any database library: code outside
// src/store (domain, commands, renderers, platforms) imports these, never db/schema.ts, so the store
// can change database without them noticing. db/schema.ts takes its enum value lists from here.

/** An action's RAG status, plus blue for complete. */
export const actionStatuses = ['not_started', 'green', 'amber', 'red', 'blue'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

/** Where an outbox message is in its delivery. */
export const outboxStatuses = ['pending', 'sent', 'failed', 'dead', 'skipped'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** One school term as stored on the partnership (partnership.schoolTerms). */
export interface SchoolTermRow {
  name: 'autumn' | 'spring' | 'summer';
  start: string;
  end: string;
}

/** The trajectory as first stored (before KPI readings): targets as text. */
export interface KpiTarget {
  target: string;
  by: string;
  due: string | null;
}

/** One trajectory point as stored: the number, the words the plan used, and the dates read from them. */
export interface KpiTargetRow {
  target: number;
  targetText: string;
  byText: string;
  due: string | null;
  start: string | null;
  flags: string[];
}

/** The plan file's last word on an action's fields; see actions.fileBase. */
export interface ActionFileBase {
  text: string;
  /** The date phrase as written, and the dates read from it (the action's own or its workstream's). */
  dateText: string | null;
  start: string | null;
  due: string | null;
  /** The action's own supporting roles, by name. */
  with: string[];
  /** The progress the file gave (status word, percent, note), as one comparable string; null for none. */
  progress: string | null;
}

/** A milestone read from a workstream's "Date of Completion" cell (one per line). */
export interface MilestoneRow {
  text: string;
  start: string | null;
  due: string | null;
  ongoing: boolean;
  completed: boolean;
  flags: string[];
}
