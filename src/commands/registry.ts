// Every /send subcommand, in the order help lists them.
import { approveCommand, assignCommand, handoverCommand, rejectCommand } from './admin.js';
import { awayCommand, backCommand } from './away.js';
import { boardsCommand } from './boards.js';
import { dashboardCommand } from './dashboard.js';
import { digestCommand } from './digest.js';
import { dueCommand, overdueCommand } from './due.js';
import { helpCommand } from './help.js';
import { kpiCommand } from './kpi.js';
import { kpisCommand } from './kpis.js';
import { mineCommand } from './mine.js';
import { statusCommand } from './status.js';
import type { CommandDefinition } from './types.js';
import { updateCommand } from './update.js';
import { whoCommand } from './who.js';

export const commands: CommandDefinition<any>[] = [
  updateCommand,
  whoCommand,
  mineCommand,
  dueCommand,
  overdueCommand,
  statusCommand,
  boardsCommand,
  awayCommand,
  backCommand,
  digestCommand,
  kpiCommand,
  kpisCommand,
  dashboardCommand,
  helpCommand,
  assignCommand,
  handoverCommand,
  approveCommand,
  rejectCommand,
];
