import type { Command } from 'commander';
import { isOverdue } from '../domain/overdue.js';
import { listActionViews, listPlanCodes } from '../store/actions-repository.js';
import { findBoard } from '../store/boards-repository.js';
import { findRole } from '../store/roles-repository.js';
import { CliUsageError, type CliContext } from './context.js';
import { formatTable } from './format-table.js';
import { plural } from '../render/format.js';

export function registerActionsCommand(program: Command, context: () => CliContext): void {
  program
    .command('actions')
    .description('list actions with owner, dates, status and last update')
    .option('--json', 'print JSON (import report fields plus status and last update)')
    .option('--plan <code>', 'only this plan (code, e.g. ND)')
    .option('--board <name>', 'only actions reporting to this board')
    .option('--owner <role>', 'only actions owned by this role')
    .option('--overdue', 'only actions past their due date and not complete')
    .action(async (opts: { json?: boolean; plan?: string; board?: string; owner?: string; overdue?: boolean }) => {
      const ctx = context();
      if (opts.plan) {
        const codes = await listPlanCodes(await ctx.database());
        if (!codes.includes(opts.plan.trim().toUpperCase())) {
          throw new CliUsageError(`No plan with code "${opts.plan}". Plans: ${codes.join(', ') || 'none yet (sendbot import adds them)'}`);
        }
      }
      let boardId: number | undefined;
      if (opts.board) {
        const board = await findBoard(await ctx.database(), opts.board);
        if (!board) throw new CliUsageError(`No board called "${opts.board}". See: sendbot boards`);
        boardId = board.id;
      }
      let ownerRoleIds: number[] | undefined;
      if (opts.owner) {
        const role = await findRole(await ctx.database(), opts.owner);
        if (!role) throw new CliUsageError(`No role called "${opts.owner}". See: sendbot people`);
        ownerRoleIds = [role.id];
      }
      const today = ctx.clock.now().toISODate() as string;
      let rows = await listActionViews(await ctx.database(), { planCode: opts.plan, boardId, ownerRoleIds });
      if (opts.overdue) rows = rows.filter((a) => isOverdue(a, today));
      if (opts.json) {
        ctx.printJson(
          rows.map((a) => ({
            ref: a.ref,
            plan: a.planTitle,
            plan_code: a.planCode,
            workstream: a.workstreamTitle,
            action: a.text,
            lead: a.leadRole,
            owner: a.ownerRole,
            with: a.supportingRoles,
            board: a.boardName,
            due: a.due,
            baseline_due: a.baselineDue,
            start: a.start,
            ongoing: a.ongoing,
            completed: a.status === 'blue',
            date_text: a.dateText,
            date_source: a.dateSource,
            flags: a.flags,
            status: a.status,
            percent: a.percent,
            overdue: isOverdue(a, today),
            last_update: a.lastUpdate
              ? {
                  at: a.lastUpdate.at,
                  by: a.lastUpdate.personName,
                  status: a.lastUpdate.status,
                  percent: a.lastUpdate.percent,
                  note: a.lastUpdate.note,
                  platform: a.lastUpdate.platform,
                }
              : null,
          })),
        );
        return;
      }
      ctx.print(
        formatTable(
          ['ref', 'owner', 'due', 'status', 'last update', 'action'],
          rows.map((a) => [
            a.ref,
            a.ownerRole,
            a.due ?? '—',
            a.status.replace('_', ' ') + (isOverdue(a, today) ? ' (overdue)' : ''),
            a.lastUpdate ? a.lastUpdate.at.slice(0, 10) : 'none',
            a.text,
          ]),
          36,
        ),
      );
      ctx.print(`${plural(rows.length, 'action')}.`);
    });
}
