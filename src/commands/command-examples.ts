// One way for every command to quote examples from the loaded plan (see src/domain/plan-examples.ts).
import type { PlanExamples } from '../domain/plan-examples.js';
import { loadPlanExamples } from '../store/plan-examples-repository.js';
import type { CommandContext, CommandDefinition } from './types.js';

/** The examples for this caller: their own action where they have one, the plan's otherwise. */
export async function planExamples(ctx: Pick<CommandContext, 'db' | 'clock' | 'caller'>): Promise<PlanExamples> {
  return await loadPlanExamples(ctx.db, ctx.clock.now().toISODate() as string, ctx.caller.id);
}

/** What help says about examples this caller could not run, if anything. */
export function commandExamplesNote(command: Pick<CommandDefinition, 'examplesNote'>, ex: PlanExamples): string | undefined {
  return command.examplesNote?.(ex);
}

export function commandExamples(command: Pick<CommandDefinition, 'examples'>, ex: PlanExamples): string[] {
  return typeof command.examples === 'function' ? command.examples(ex) : command.examples;
}
