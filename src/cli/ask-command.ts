import type { Command } from 'commander';
import { toStoredInstant } from '../clock.js';
import { runCommandText } from '../commands/router.js';
import type { CommandPolicy, DashboardLinkSettings } from '../commands/types.js';
import { type Config, loadConfig } from '../config.js';
import { renderText } from '../render/text.js';
import { findPersonByEmail, listPeople } from '../store/people-repository.js';
import { dashboardSecret } from '../store/secrets-repository.js';
import { CliUsageError, type CliContext } from './context.js';

/**
 * `/send dashboard` from the CLI makes the same links as the running service: PUBLIC_URL and the
 * same key (DASHBOARD_SECRET, or the one kept in this database). Settings that do not load leave
 * the command without links; the other commands do not need them.
 */
async function dashboardLinks(ctx: CliContext): Promise<DashboardLinkSettings | undefined> {
  let config: Config;
  try {
    config = loadConfig(ctx.io.env);
  } catch {
    return undefined;
  }
  const secret = await dashboardSecret(await ctx.database(), config.dashboard.secret, toStoredInstant(ctx.clock.now()));
  return { baseUrl: config.dashboard.publicUrl ?? null, secret, linkDays: config.dashboard.linkDays };
}

/** ALLOW_SELF_APPROVAL as the service reads it; settings that do not load leave the default (not allowed). */
function commandPolicy(ctx: CliContext): CommandPolicy {
  try {
    return loadConfig(ctx.io.env).policy;
  } catch {
    return { allowSelfApproval: false };
  }
}

export function registerAskCommand(program: Command, context: () => CliContext): void {
  program
    .command('ask')
    .description('run one /send command as a person and print the reply')
    .requiredOption('--as <email>', 'who is asking')
    .option('--json', 'print the platform-neutral reply object')
    .argument('<text...>', 'the command, e.g. "mine" or "/send who <ref or words>"')
    .action(async (words: string[], opts: { as: string; json?: boolean }) => {
      const ctx = context();
      const caller = await findPersonByEmail(await ctx.database(), opts.as);
      if (!caller) {
        const some = (await listPeople(await ctx.database())).slice(0, 5).map((p) => p.email);
        throw new CliUsageError(`Nobody with email ${opts.as} is registered.${some.length ? ` Try: ${some.join(', ')}` : ''}`);
      }
      const dashboard = await dashboardLinks(ctx);
      const reply = await runCommandText({ db: await ctx.database(), clock: ctx.clock, policy: commandPolicy(ctx), ...(dashboard ? { dashboard } : {}) }, caller, 'cli', words.join(' '));
      if (opts.json) ctx.printJson(reply);
      else ctx.print(renderText(reply));
    });
}
