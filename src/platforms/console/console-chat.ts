// Local chat in the terminal: type `/send …` as a person. Non-interactive input (a pipe) is read
// line by line, each reply printed, and the chat ends at end of input.
import { createInterface, type Interface } from 'node:readline';
import type { Clock } from '../../clock.js';
import { type CommandDeps, runCommandText } from '../../commands/router.js';
import type { ActionStatus } from '../../../db/types.js';
import { readPercentText } from '../../commands/update-words.js';
import { readStatusWord, STATUS_CHOICES, suggestStatusWord } from '../../domain/status.js';
import { type Reply, reply, text } from '../../render/reply.js';
import type { CommandPolicy, DashboardLinkSettings } from '../../commands/types.js';
import { failureText } from '../failure-text.js';
import { renderText } from '../../render/text.js';
import type { Db } from '../../store/database.js';
import { getPerson, type Person } from '../../store/people-repository.js';

export interface ConsoleChatOptions {
  db: Db;
  clock: Clock;
  caller: Person;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: { write(text: string): unknown };
  /** For `/send dashboard` links (local mode serves the dashboard). */
  dashboard?: DashboardLinkSettings;
  /** Partnership rules from config (ALLOW_SELF_APPROVAL). */
  policy?: CommandPolicy;
}

export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { input, output, caller } = options;
  const interactive = Boolean(input.isTTY);
  // Piped input gets no form: the questions would read the next lines of the pipe as answers.
  const deps: CommandDeps = {
    db: options.db,
    clock: options.clock,
    noForms: !interactive,
    ...(options.dashboard ? { dashboard: options.dashboard } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  };
  const rl = createInterface({ input, output: interactive ? (output as NodeJS.WritableStream) : undefined, terminal: interactive });
  if (interactive) {
    output.write(`sendbot local chat — you are ${caller.name} <${caller.email}>. Type /send help, or Ctrl-D to leave.\n`);
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    const textLine = line.trim();
    if (textLine) {
      // A transcript of piped input shows each command above its reply, as a terminal session would.
      if (!interactive) output.write(`> ${textLine}\n`);
      let reply: Reply;
      let current = caller;
      try {
        // Read afresh for every command: `away`, `back` or a handover change what the next one sees.
        // Inside the try: a database that has gone away is a reply, not the end of the chat.
        current = (await getPerson(options.db, caller.id)) ?? caller;
        reply = await runCommandText(deps, current, 'console', textLine);
      } catch (error) {
        reply = { tone: 'error', summary: failureText(error, `Sorry, that failed: ${(error as Error).message}`), blocks: [] };
      }
      output.write(`${renderText(reply)}\n\n`);
      if (interactive && reply.form && reply.form.choices.length > 0) {
        output.write(`${renderText(await promptForUpdate(rl, deps, await getPerson(options.db, caller.id) ?? current, reply))}\n\n`);
      }
    }
    if (interactive) rl.prompt();
  }
}

/** The status word the update command reads for each status. */
const STATUS_WORD: Record<ActionStatus, string> = { green: 'green', amber: 'amber', red: 'red', blue: 'complete', not_started: 'not-started' };

/** The console's version of the update form: a few questions, then the same update as the command. */
async function promptForUpdate(rl: Interface, deps: CommandDeps, caller: Person, form: Reply): Promise<Reply> {
  const ask = (q: string) => new Promise<string>((resolve) => rl.question(q, (a) => resolve(a.trim())));
  const preset = form.form?.ref;
  const ref = (await ask(`Action ref${preset ? ` [${preset}]` : ''}: `)) || preset || '';
  if (!ref) return { tone: 'info', summary: 'No action chosen; nothing saved.', blocks: [] };
  const statusWord = await ask('Status (green, amber, red, complete, not-started; blank = unchanged): ');
  const percentText = await ask('Percent complete (blank = unchanged): ');
  const note = await ask('Note: ');
  // The same rules as the Slack and Teams forms: a field that cannot be read is refused, not guessed.
  const status = statusWord ? readStatusWord(statusWord) : undefined;
  if (statusWord && !status) {
    const meant = suggestStatusWord(statusWord);
    return reply('error', meant ? `'${statusWord}' isn't a status, did you mean ${meant}?` : `'${statusWord}' isn't a status. Give one of: ${STATUS_CHOICES}.`, [text('Nothing was saved.')]);
  }
  let percent: number | undefined;
  if (percentText) {
    // "55" and "55%" both mean 55%: the form's answer is a number, never pasted after another "%".
    const read = readPercentText(percentText);
    if ('problem' in read) return reply('error', read.problem, [text('Nothing was saved.')]);
    percent = read.percent;
  }
  // Typed as the command would be, with note: so the note is kept word for word, never read as fields.
  const rawText = ['update', ref, status ? STATUS_WORD[status] : null, percent !== undefined ? `${percent}%` : null, note ? `note: ${note}` : null]
    .filter(Boolean)
    .join(' ');
  return await runCommandText(deps, caller, 'console', rawText);
}
