// The work a `/send` slash command does after its acknowledgement: identify the caller, then run the
// text through the command layer once (runOnce claims the request's inbox row in the same
// transaction). It returns the Reply; answering through the response_url, opening the update form
// and telling the person something failed stay with the listener (send-command.ts).
//
// Kept apart from the listener so that the same code runs on the main thread or in the command
// worker (command-worker.ts), whose job and outcome are plain data: everything here crosses a
// thread boundary by structured clone.
import type { WebClient } from '@slack/web-api';
import { type Clock, fixedClock } from '../../clock.js';
import { noteLastPlatform } from '../../commands/identity.js';
import { runCommandText } from '../../commands/router.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import type { Logger } from '../../logger.js';
import type { Reply } from '../../render/reply.js';
import type { Db } from '../../store/database.js';
import { type InboxContext, runOnce } from './durable-inbox.js';
import { decodeSlackEntities } from './slack-entities.js';
import { resolveSlackCaller } from './slack-identity.js';

/** One slash command to carry out. */
export interface SlashCommandJob {
  userId: string;
  text: string;
  /** The request's inbox row (see durable-inbox.ts): the claim that makes the work run once. */
  inbox: Pick<InboxContext, 'inboxId'>;
  /** The instant the work counts as done at (stored UTC ISO): the app's clock, or a replay's arrival. */
  now: string;
}

/** An error as it crosses a thread: enough for the log and for failureText (its code, its causes). */
export interface CarriedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  cause?: CarriedError;
}

export type SlashCommandOutcome =
  /** `settled`: the inbox row was claimed or kept as failed by runOnce (else the middleware deletes it). */
  | { kind: 'reply'; reply: Reply; settled: boolean }
  /** Another run already carried it out (a replay after a restart). */
  | { kind: 'already-done'; settled: true }
  | { kind: 'failed'; error: CarriedError; settled: boolean };

export interface SlashCommandWorkDeps {
  db: Db;
  /** For users.info, when the Slack user id is not known yet. */
  client: WebClient;
  logger: Logger;
  dashboard?: DashboardLinkSettings;
  policy?: CommandPolicy;
}

/** Runs one job. Never throws: a failure comes back as `{ kind: 'failed' }` for the listener to answer. */
export async function carryOutSlashCommand(deps: SlashCommandWorkDeps, job: SlashCommandJob): Promise<SlashCommandOutcome> {
  const clock: Clock = fixedClock(job.now);
  const inbox: InboxContext = { ...job.inbox };
  try {
    const caller = await resolveSlackCaller(deps.db, deps.client, job.userId, deps.logger, clock);
    if (!caller.person) return { kind: 'reply', reply: caller.reply, settled: false };
    const person = caller.person;
    const once = await runOnce(deps.db, inbox, clock, async () => {
      await noteLastPlatform(deps.db, person, 'slack');
      return await runCommandText(
        { db: deps.db, clock, platformUserId: job.userId, ...(deps.dashboard ? { dashboard: deps.dashboard } : {}), ...(deps.policy ? { policy: deps.policy } : {}) },
        person,
        'slack',
        `/send ${decodeSlackEntities(job.text)}`.trim(),
      );
    });
    if (!once.ran) return { kind: 'already-done', settled: true };
    return { kind: 'reply', reply: once.value, settled: true };
  } catch (error) {
    return { kind: 'failed', error: carryError(error), settled: inbox.inboxSettled === true };
  }
}

/** `error` as plain data (structured clone keeps neither an error's code nor its class). */
export function carryError(error: unknown, depth = 0): CarriedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: carryError(error.cause, depth + 1) } : {}),
  };
}

/** The Error a CarriedError stands for, with its code and causes (what storageFailure looks at). */
export function restoreError(carried: CarriedError): Error {
  const error = new Error(carried.message, carried.cause ? { cause: restoreError(carried.cause) } : undefined) as Error & { code?: string };
  error.name = carried.name;
  if (carried.stack) error.stack = carried.stack;
  if (carried.code !== undefined) error.code = carried.code;
  return error;
}
