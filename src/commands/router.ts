// Turns what someone typed into a Reply: finds the subcommand (forgiving case and typos), checks
// access, validates with the command's zod schema and runs it. Every failure becomes a clear reply;
// a handler that throws leaves the database as it was because handlers write in one transaction.
import { distance } from 'fastest-levenshtein';
import type { Clock } from '../clock.js';
import { canReadAll } from '../domain/permissions.js';
import { checkUserText, describeTextProblem, stripUnsafeCharacters } from '../domain/text-safety.js';
import { reply, type Reply, text } from '../render/reply.js';
import { loadCallerFacts } from '../store/caller-repository.js';
import type { Db } from '../store/database.js';
import type { Person } from '../store/people-repository.js';
import { commandExamples, planExamples } from './command-examples.js';
import { commands } from './registry.js';
import { type CommandContext, type CommandDefinition, type CommandPolicy, type DashboardLinkSettings, PermissionError, type Platform, UserError } from './types.js';
import { splitWords, stripSendPrefix } from './words.js';

export interface CommandDeps {
  db: Db;
  clock: Clock;
  /** The caller's id on the platform for this request, for the audit log. */
  platformUserId?: string;
  /** Passed on to commands that make dashboard links. */
  dashboard?: DashboardLinkSettings;
  /** No form can be shown here (see CommandContext.noForms). */
  noForms?: boolean;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
}

export function findCommand(word: string): CommandDefinition | undefined {
  const w = word.toLowerCase();
  return commands.find((c) => c.name === w || c.aliases?.includes(w));
}

/** The closest subcommand name to a mistyped word, if any is close enough to be a plausible typo. */
export function suggestCommand(word: string): string | undefined {
  const w = word.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const c of commands) {
    for (const name of [c.name, ...(c.aliases ?? [])]) {
      const d = name.startsWith(w) && w.length >= 2 ? 0 : distance(w, name);
      if (!best || d < best.d) best = { name: c.name, d };
    }
  }
  return best && best.d <= Math.max(2, Math.floor(w.length / 3)) ? best.name : undefined;
}

/**
 * True when running `typed` cannot change anything: a read-only command, or text that only gets
 * an answer (help, an unknown command, text refused for its characters). Decided from the words,
 * before anything runs, so the caller can choose to run it without the write lock.
 */
export function changesNothing(typed: string): boolean {
  const rawText = stripUnsafeCharacters(typed);
  if (checkUserText(rawText)) return true;
  const [first, ...rest] = splitWords(stripSendPrefix(rawText));
  if (first === undefined) return true;
  const command = findCommand(first);
  return command === undefined || command.readOnly === true || command.changesNothingWith?.(rest) === true;
}

export async function runCommandText(deps: CommandDeps, caller: Person, platform: Platform, typed: string): Promise<Reply> {
  // Control and bidi-override characters never reach a command (or the store): see text-safety.ts.
  const rawText = stripUnsafeCharacters(typed);
  // Checked before anything else so no command ever stores or echoes such text.
  const problem = checkUserText(rawText);
  if (problem) return reply('error', problem.kind === 'too-long' ? 'That message is too long.' : 'I can’t accept that text.', [text(describeTextProblem(problem)), text('Nothing was saved.', true)]);
  const body = stripSendPrefix(rawText);
  const words = splitWords(body);
  const [first, ...rest] = words;
  if (first === undefined) return await runDefinition(deps, caller, platform, rawText, findCommand('help') as CommandDefinition, [], '');
  const command = findCommand(first);
  if (!command) {
    const suggestion = suggestCommand(first);
    return reply('error', `I don't know the command "${first}".`, [
      text(suggestion ? `Did you mean ${suggestion}? Try: /send ${suggestion} ${rest.join(' ')}`.trimEnd() : 'Type /send help to see what I can do.'),
    ]);
  }
  const rawArgs = body.slice(body.toLowerCase().indexOf(first.toLowerCase()) + first.length).trim();
  return await runDefinition(deps, caller, platform, rawText, command, rest, rawArgs);
}

async function runDefinition(
  deps: CommandDeps,
  caller: Person,
  platform: Platform,
  rawText: string,
  command: CommandDefinition,
  args: string[],
  rawArgs: string,
): Promise<Reply> {
  const ctx: CommandContext = {
    db: deps.db,
    clock: deps.clock,
    caller,
    platform,
    rawText,
    ...(deps.platformUserId ? { platformUserId: deps.platformUserId } : {}),
    ...(deps.dashboard ? { dashboard: deps.dashboard } : {}),
    ...(deps.noForms || platform === 'cli' ? { noForms: true } : {}),
    ...(deps.policy ? { policy: deps.policy } : {}),
  };
  try {
    await checkAccess(ctx, command);
    // Each schema words its own messages; anything it left to zod's defaults ("Invalid input: expected
    // string…") is replaced here, and field names are never shown: they are ours, not the user's.
    const parsed = command.schema.safeParse(command.parse(args, rawArgs), { error: () => `I couldn't follow that ${command.name} command.` });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply('error', issue?.message ?? `I couldn't follow that ${command.name} command.`, [
        text(`Usage: ${command.usage}`),
        text(`Example: ${commandExamples(command, await planExamples(ctx))[0] ?? command.usage}`, true),
      ]);
    }
    return await command.handle(ctx, parsed.data);
  } catch (error) {
    if (error instanceof UserError) {
      return reply('error', error.message, error.hint ? [text(error.hint)] : []);
    }
    if (error instanceof PermissionError) return reply('error', error.message);
    throw error;
  }
}

async function checkAccess(ctx: CommandContext, command: CommandDefinition): Promise<void> {
  if (command.access === 'anyone') return;
  if (command.access === 'admin' && !ctx.caller.isAdmin) {
    throw new PermissionError(`Only programme officers (admins) can use ${command.name}.`);
  }
  if (command.access === 'admin-or-chair') {
    const facts = await loadCallerFacts(ctx.db, ctx.caller, ctx.clock.now().toISODate() as string);
    if (!canReadAll(facts)) throw new PermissionError(`Only board chairs and programme officers can use ${command.name}.`);
  }
}
