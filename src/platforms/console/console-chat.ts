// Local chat in the terminal: type `/send …` as a person. Non-interactive input (a pipe) is read
// line by line, each reply printed, and the chat ends at end of input.
import { createInterface, type Interface } from 'node:readline';
import type { Clock } from '../../clock.js';
import { type CommandDeps, runCommandText } from '../../commands/router.js';
import { readStatusWord } from '../../domain/status.js';
import type { Reply } from '../../render/reply.js';
import { renderText } from '../../render/text.js';
import type { Db } from '../../store/database.js';
import type { Person } from '../../store/people-repository.js';

export interface ConsoleChatOptions {
  db: Db;
  clock: Clock;
  caller: Person;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: { write(text: string): unknown };
}

export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { input, output, caller } = options;
  const deps: CommandDeps = { db: options.db, clock: options.clock };
  const interactive = Boolean(input.isTTY);
  const rl = createInterface({ input, output: interactive ? (output as NodeJS.WritableStream) : undefined, terminal: interactive });
  if (interactive) {
    output.write(`sendbot local chat — you are ${caller.name} <${caller.email}>. Type /send help, or Ctrl-D to leave.\n`);
    rl.setPrompt('> ');
    rl.prompt();
  }
  for await (const line of rl) {
    const textLine = line.trim();
    if (textLine) {
      let reply: Reply;
      try {
        reply = runCommandText(deps, caller, 'console', textLine);
      } catch (error) {
        reply = { tone: 'error', summary: `Sorry, that failed: ${(error as Error).message}`, blocks: [] };
      }
      output.write(`${renderText(reply)}\n\n`);
      if (interactive && reply.form && reply.form.choices.length > 0) {
        output.write(`${renderText(await promptForUpdate(rl, deps, caller, reply))}\n\n`);
      }
    }
    if (interactive) rl.prompt();
  }
}

/** The console's version of the update form: a few questions, then the same update as the command. */
async function promptForUpdate(rl: Interface, deps: CommandDeps, caller: Person, form: Reply): Promise<Reply> {
  const ask = (q: string) => new Promise<string>((resolve) => rl.question(q, (a) => resolve(a.trim())));
  const preset = form.form?.ref;
  const ref = (await ask(`Action ref${preset ? ` [${preset}]` : ''}: `)) || preset || '';
  if (!ref) return { tone: 'info', summary: 'No action chosen; nothing saved.', blocks: [] };
  const statusWord = await ask('Status (green, amber, red, complete, not-started; blank = unchanged): ');
  const percent = await ask('Percent complete (blank = unchanged): ');
  const note = await ask('Note: ');
  const status = statusWord ? readStatusWord(statusWord) : undefined;
  if (statusWord && !status) return { tone: 'error', summary: `"${statusWord}" is not a status; nothing saved.`, blocks: [] };
  const rawText = `update ${ref} ${statusWord} ${percent ? `${percent}%` : ''} ${note}`.replace(/\s+/g, ' ').trim();
  return runCommandText(deps, caller, 'console', rawText);
}
