// What a /send subcommand is: a name, help with an example, a zod schema for its arguments and a
// handler that returns a platform-neutral Reply. Handlers never import Slack or Teams code.
import type { ZodType } from 'zod';
import type { Clock } from '../clock.js';
import type { PlanExamples } from '../domain/plan-examples.js';
import type { Reply } from '../render/reply.js';
import type { Db } from '../store/database.js';
import type { Person } from '../store/people-repository.js';

export type Platform = 'slack' | 'teams' | 'console' | 'cli';

export interface CommandContext {
  db: Db;
  clock: Clock;
  caller: Person;
  platform: Platform;
  /** Exactly what the person typed (or a summary of a submitted form), kept with every update. */
  rawText: string;
  /** The caller's id on `platform` for this request (Slack U…, Teams 29:…), recorded in the audit log. */
  platformUserId?: string;
  /** How to make dashboard links; absent where this process cannot make them. */
  dashboard?: DashboardLinkSettings;
  /** True where a reply's form cannot be shown (the CLI, a console reading a pipe): replies then never offer one. */
  noForms?: boolean;
  /** Partnership rules the deployment sets (config); absent means the defaults. */
  policy?: CommandPolicy;
}

/** Rules a deployment sets for every command (from config; see README's configuration table). */
export interface CommandPolicy {
  /** ALLOW_SELF_APPROVAL: a one-officer partnership may decide its own date-change requests (marked self-approved). */
  allowSelfApproval: boolean;
}

/** What `/send dashboard` needs to make a signed link (the composition root builds it from config). */
export interface DashboardLinkSettings {
  /** The address people reach sendbot at (PUBLIC_URL, or the local address); null when unknown. */
  baseUrl: string | null;
  /** Signs the links (DASHBOARD_SECRET or the key kept in the database). */
  secret: string;
  /** How many days a link works. */
  linkDays: number;
}

export interface CommandDefinition<Input = unknown> {
  name: string;
  /** Other words that run this command (e.g. 'overdue' for due overdue-only is separate; 'history' for status). */
  aliases?: string[];
  summary: string;
  usage: string;
  /** Examples for help and usage hints; a function of the loaded plan's refs and codes where they quote any. */
  examples: string[] | ((ex: PlanExamples) => string[]);
  /**
   * For a command that changes something: a plain sentence shown by help when the caller may run
   * none of (or only some of) its examples, e.g. someone who owns no action asking about update.
   */
  examplesNote?: (ex: PlanExamples) => string | undefined;
  /** Who may run it; checked by the router before the handler. */
  access: 'anyone' | 'admin' | 'admin-or-chair';
  /**
   * Set on commands that change nothing (tests/commands/read-only-commands.test.ts runs each with
   * writes refused). A slash command that changes nothing does its work without the write lock and
   * then claims its inbox row (durable-inbox.ts), so many can run at once across instances.
   */
  readOnly?: true;
  /**
   * For a command that writes only with some arguments: true when these words (after the
   * subcommand) cannot change anything, e.g. `update <ref>` alone only opens the form. Decided from
   * the words, before anything runs, like readOnly.
   */
  changesNothingWith?: (args: string[]) => boolean;
  /** Turns the words after the subcommand into raw fields for the schema. */
  parse: (args: string[], rawArgs: string) => unknown;
  schema: ZodType<Input>;
  handle: (ctx: CommandContext, input: Input) => Promise<Reply>;
}

/** A mistake in what the user typed or asked for: becomes a helpful reply, never a crash. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    /** The form field the mistake is about ('percent', 'due'…), so a form can show it there. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The caller may not do this; the message names who can. */
export class PermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

/** Helper so each command file gets type inference from its schema. */
export function defineCommand<Input>(def: CommandDefinition<Input>): CommandDefinition<Input> {
  return def;
}
