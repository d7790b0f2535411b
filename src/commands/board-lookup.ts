// Finding the board someone named in a chat command (`/send digest <board>`, `/send dashboard
// <board>`): a miss or several matches becomes a reply that lists the boards, with an example.
import { DEMO_EXAMPLES } from '../domain/plan-examples.js';
import { matchBoard } from '../domain/board-match.js';
import { UserError } from './types.js';

/** The board `typed` names; `command` is the command word, for the example in the refusal. */
export function findBoardOrExplain<B extends { name: string }>(boards: B[], typed: string, command: string): B {
  const match = matchBoard(boards, typed);
  if (match.kind === 'found') return match.board;
  if (match.kind === 'ambiguous') {
    throw new UserError(`"${typed}" matches several boards: ${match.candidates.map((b) => b.name).join(', ')}.`, 'Give more of the name.');
  }
  const names = boards.map((b) => b.name);
  throw new UserError(`No board matches "${typed}".`, `Boards: ${names.join(', ')}. Example: /send ${command} ${names[0] ?? DEMO_EXAMPLES.boardName}`);
}
