// `sendbot tick [--dry-run] [--json]` runs one scheduler tick (then delivers through the console), and
// `sendbot outbox [--status S] [--json]` lists the outbox. Registered through src/cli/all-commands.ts.
import type { Command } from 'commander';
import { type OutboxStatus, outboxStatuses } from '../../db/types.js';
import { CliUsageError, type CliContext } from '../cli/context.js';
import type { Config } from '../config.js';
import { formatTable } from '../cli/format-table.js';
import type { PlannedNotification } from '../domain/notification-planner.js';
import { createConsoleDelivery } from '../platforms/console/console-delivery.js';
import { formatShortInstant, plural } from '../render/format.js';
import { listAllMeetings, listBoards } from '../store/boards-repository.js';
import type { Db } from '../store/database.js';
import { listOutbox } from '../store/outbox-repository.js';
import { listPeople } from '../store/people-repository.js';
import { deliverDue } from './deliver.js';
import type { DeliveryAdapter } from './delivery-types.js';
import { runTick } from './tick.js';

interface Names {
  person(id: number | null): { email: string; name: string } | undefined;
  board(id: number | null): string | null;
  meeting(id: number | null): string | null;
}

async function loadNames(db: Db): Promise<Names> {
  const people = new Map((await listPeople(db)).map((p) => [p.id, p]));
  const boards = new Map((await listBoards(db)).map((b) => [b.id, b.name]));
  const meetings = new Map((await listAllMeetings(db)).map((m) => [m.id, m.startsAt]));
  return {
    person: (id) => (id === null ? undefined : people.get(id)),
    board: (id) => (id === null ? null : (boards.get(id) ?? null)),
    meeting: (id) => (id === null ? null : (meetings.get(id) ?? null)),
  };
}

function plannedJson(p: PlannedNotification, names: Names) {
  const onBehalf = names.person(p.payload.onBehalfOfPersonId ?? null);
  return {
    key: p.key,
    kind: p.kind,
    recipient: p.recipientChannel ?? names.person(p.recipientPersonId)?.email ?? null,
    recipient_name: names.person(p.recipientPersonId)?.name ?? null,
    on_behalf_of: onBehalf?.email ?? null,
    board: names.board(p.boardId),
    meeting: names.meeting(p.meetingId),
    not_before: p.notBefore,
    expires_at: p.expiresAt,
    actions: p.refs,
    summary: p.payload.reply.summary,
  };
}

/** " N not delivered …" when some messages could not go out, else nothing. */
function undelivered(report: Awaited<ReturnType<typeof deliverDue>>): string {
  const failed = report.results.filter((r) => r.outcome !== 'sent').length;
  return failed > 0 ? ` ${plural(failed, 'message')} not delivered (see sendbot outbox).` : '';
}

export function registerTickCommand(program: Command, context: () => CliContext): void {
  program
    .command('tick')
    .description('run one scheduler tick: enqueue what is due, then deliver it to the console')
    .option('--dry-run', 'write nothing; print what would be enqueued')
    .option('--json', 'print the new (or would-be) outbox rows as JSON')
    .action(async (opts: { dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const result = await runTick({ db: await ctx.database(), clock: ctx.clock, dryRun: Boolean(opts.dryRun) });
      const names = await loadNames(await ctx.database());
      const rows = result.enqueued.map((p) => plannedJson(p, names));
      if (opts.json) ctx.printJson(rows);
      else {
        if (rows.length) {
          ctx.print(
            formatTable(
              ['key', 'kind', 'recipient', 'not before (London)', 'actions'],
              rows.map((r) => [r.key, r.kind, r.recipient, formatShortInstant(r.not_before), r.actions.join(' ')]),
              60,
            ),
          );
        }
        ctx.print(
          `${opts.dryRun ? 'Would enqueue' : 'Enqueued'} ${plural(rows.length, 'new message')}; ${opts.dryRun ? 'would bring' : 'brought'} forward ${plural(result.released.length, 'held message')}; ${opts.dryRun ? 'would skip' : 'skipped'} ${plural(result.skipped.length, 'stale message')}.`,
        );
      }
      for (const w of result.warnings) ctx.error(`warning: ${w}`);
      if (opts.dryRun) return;
      // With --json the messages go to stderr, so stdout stays one JSON document.
      const terminal = createConsoleDelivery(opts.json ? ctx.io.stderr : ctx.io.stdout);
      // With Slack or Teams configured, messages go there, as the service sends them (so an operator
      // can run a tick by hand), and nothing is printed instead: a message printed on the operator's
      // terminal would be marked sent and never reach its person. Without either, the console is the
      // delivery (local mode, the demo).
      const { slack, teams } = await platformAdaptersFor(ctx);
      const adapters = slack || teams ? [slack, teams].filter((a): a is DeliveryAdapter => a !== undefined) : [terminal];
      const report = await deliverDue({ db: await ctx.database(), clock: ctx.clock, adapters, workerId: 'cli' });
      const sentVia = (platform: string) => report.results.filter((r) => r.outcome === 'sent' && r.platform === platform).length;
      const line = report.officeOpen
        ? slack || teams
          ? `${[slack ? `Delivered ${plural(sentVia('slack'), 'message')} through Slack.` : '', teams ? `Delivered ${plural(sentVia('teams'), 'message')} through Teams.` : ''].filter(Boolean).join(' ')}${undelivered(report)}`
          : `Delivered ${plural(sentVia('console'), 'message')} to the console.`
        : 'Outside office hours: due messages wait for the next working day’s opening.';
      if (opts.json) ctx.error(line);
      else ctx.print(line);
    });
}

/**
 * The Slack and Teams adapters the environment configures (Teams: credentials, or
 * TEAMS_ALLOW_UNAUTHENTICATED for local testing); a settings problem stops the tick before anything
 * is delivered.
 */
async function platformAdaptersFor(ctx: CliContext): Promise<{ slack?: DeliveryAdapter; teams?: DeliveryAdapter }> {
  // Each platform's SDK loads only when it is configured: botbuilder alone takes half a second.
  const { ConfigError, loadConfig } = await import('../config.js');
  let config: Config;
  try {
    config = loadConfig(ctx.io.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliUsageError(error.message);
    throw error;
  }
  if (config.teams && !config.teams.appId) ctx.error('warning: Teams authentication is off (TEAMS_ALLOW_UNAUTHENTICATED): use it only for local testing.');
  const slack = config.slack ? (await import('../platforms/slack/slack-delivery.js')).createSlackDeliveryFromConfig(config) : undefined;
  if (!config.teams) return { slack };
  const [{ createTeamsDeliveryFromConfig }, { TeamsStartError }] = await Promise.all([
    import('../platforms/teams/teams-delivery.js'),
    import('../platforms/teams/teams-auth.js'),
  ]);
  try {
    return { slack, teams: createTeamsDeliveryFromConfig(config, await ctx.database(), { clock: ctx.clock }) };
  } catch (error) {
    if (error instanceof TeamsStartError) throw new CliUsageError(error.message);
    throw error;
  }
}

export function registerOutboxCommand(program: Command, context: () => CliContext): void {
  program
    .command('outbox')
    .description('list outbox rows: what was sent, what waits, what failed')
    .option('--status <status>', `only rows with this status (${outboxStatuses.join(', ')})`)
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; json?: boolean }) => {
      const ctx = context();
      if (opts.status && !(outboxStatuses as readonly string[]).includes(opts.status)) {
        throw new CliUsageError(`--status must be one of ${outboxStatuses.join(', ')} (got "${opts.status}").`);
      }
      const rows = await listOutbox(await ctx.database(), opts.status ? { status: opts.status as OutboxStatus } : {});
      if (opts.json) {
        ctx.printJson(
          rows.map((r) => ({
            id: r.id,
            key: r.key,
            kind: r.kind,
            recipient: r.recipientChannel ?? r.recipientEmail,
            recipient_name: r.recipientName,
            status: r.status,
            attempts: r.attempts,
            not_before: r.notBefore,
            last_error: r.lastError,
            platform: r.platform,
            platform_message_id: r.platformMessageId,
            sent_at: r.sentAt,
            actions: r.payload.refs ?? [],
          })),
        );
        return;
      }
      ctx.print(
        formatTable(
          ['key', 'kind', 'recipient', 'status', 'attempts', 'not before (London)', 'last error', 'message id'],
          rows.map((r) => [
            r.key,
            r.kind,
            r.recipientChannel ?? r.recipientEmail,
            r.status,
            r.attempts,
            formatShortInstant(r.notBefore),
            r.lastError,
            r.platformMessageId,
          ]),
          40,
        ),
      );
      ctx.print(`${plural(rows.length, 'row')}.`);
    });
}
