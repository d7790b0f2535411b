import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { toStoredInstant } from '../clock.js';
import { ImportError } from '../importers/import-errors.js';
import { recordAudit } from '../store/audit-repository.js';
import { inTransaction } from '../store/database.js';
import { findPersonByEmail, listPeople, upsertPerson } from '../store/people-repository.js';
import { applyImportedHolders, describeHolderOutcome, type FilePerson } from '../store/imported-holders.js';
import { currentRolesOf, ensureRole, handOverRole } from '../store/roles-repository.js';
import { CliUsageError, type CliContext } from './context.js';
import { formatTable } from './format-table.js';

export function registerPeopleCommands(program: Command, context: () => CliContext): void {
  const people = program
    .command('people')
    .description('list people and the roles they hold')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const ctx = context();
      const rows = listPeople(ctx.db).map((p) => ({
        name: p.name,
        email: p.email,
        roles: currentRolesOf(ctx.db, p.id).map((r) => r.name),
        slack_user_id: p.slackUserId,
        teams_user_id: p.teamsUserId,
        admin: p.isAdmin,
        away_until: p.awayUntil,
      }));
      if (opts.json) return ctx.printJson(rows);
      ctx.print(
        formatTable(
          ['name', 'email', 'roles', 'slack', 'teams', 'admin'],
          rows.map((r) => [r.name, r.email, r.roles.join('; '), r.slack_user_id, r.teams_user_id, r.admin ? 'yes' : '']),
          60,
        ),
      );
    });

  people
    .command('import')
    .description('add or update people from a CSV or a workbook\'s people sheet: name, email, role, slack_user_id, teams_user_id, admin')
    .argument('<file>', 'people.csv, or an .xlsx workbook with a people sheet')
    .option('--dry-run', 'check without writing')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const ctx = context();
      if (opts.dryRun) ctx.useDryRunDatabase();
      const name = basename(file);
      const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        throw new ImportError({ file: name, message: `cannot read the file: ${error.code === 'ENOENT' ? 'there is no such file' : (error.code ?? 'error')}` });
      });
      // The file readers load only here, so listing people (`sendbot people`) stays quick.
      const { readPeopleFile } = await import('../importers/read-people-file.js');
      const { people: rows, problems } = await readPeopleFile(content, name);
      if (problems.length > 0) throw new ImportError(problems);
      const at = toStoredInstant(ctx.clock.now());
      const tally = { created: 0, updated: 0, unchanged: 0, handovers: 0 };
      const owners: string[] = [];
      const apply = () => {
        // Every person the file names for a role holds it; the holders change only where the file
        // changed them since the last import, so a handover made since is never undone.
        const holders = new Map<number, FilePerson[]>();
        for (const p of rows) {
          const { person, outcome } = upsertPerson(
            ctx.db,
            { name: p.name, email: p.email, slackUserId: p.slack_user_id ?? undefined, teamsUserId: p.teams_user_id ?? undefined, isAdmin: p.admin },
            at,
          );
          tally[outcome] += 1;
          for (const roleName of p.roles) {
            const { role } = ensureRole(ctx.db, roleName, at);
            holders.set(role.id, [...(holders.get(role.id) ?? []), { id: person.id, name: person.name, email: person.email }]);
          }
        }
        for (const [roleId, listed] of holders) {
          const result = applyImportedHolders(ctx.db, roleId, listed, at);
          if (result.outcome === 'applied') tally.handovers += 1;
          const line = describeHolderOutcome(result);
          if (line) owners.push(line);
        }
        recordAudit(ctx.db, { at, actorLabel: 'cli', event: 'people.imported', entity: name, detail: { ...tally, owners } });
      };
      if (opts.dryRun) {
        try {
          inTransaction(ctx.db, () => {
            apply();
            throw new DryRun();
          });
        } catch (e) {
          if (!(e instanceof DryRun)) throw e;
        }
      } else inTransaction(ctx.db, apply);
      ctx.print(
        `${opts.dryRun ? 'Dry run — nothing written. ' : ''}People: ${tally.created} new, ${tally.updated} updated, ${tally.unchanged} unchanged; ${tally.handovers} role handover(s).`,
      );
      if (owners.length > 0) ctx.print([opts.dryRun ? 'Owners (would change):' : 'Owners:', ...owners.map((o) => `  ${o}`)].join('\n'));
    });

  program
    .command('role')
    .description('manage roles')
    .command('assign')
    .description('hand a role to a person: the previous holder’s assignment ends, history is kept')
    .argument('<role>', 'role name, e.g. "Head of SEND"')
    .argument('<email>', 'the new holder’s email')
    .action((roleName: string, email: string) => {
      const ctx = context();
      const person = findPersonByEmail(ctx.db, email);
      if (!person) throw new CliUsageError(`Nobody with email ${email}. Add them first: sendbot people import people.csv`);
      const at = toStoredInstant(ctx.clock.now());
      const result = inTransaction(ctx.db, () => {
        const { role, created } = ensureRole(ctx.db, roleName, at);
        const outcome = handOverRole(ctx.db, role.id, person.id, at);
        recordAudit(ctx.db, {
          at,
          actorLabel: 'cli',
          event: 'role.assigned',
          entity: role.name,
          detail: { to: person.email, ended: outcome.ended.map((h) => h.email), roleCreated: created },
        });
        return { role, created, ...outcome };
      });
      const previous = result.ended.length ? ` (was ${result.ended.map((h) => `${h.name} <${h.email}>`).join(', ')})` : '';
      ctx.print(
        result.started || result.ended.length
          ? `${result.role.name} is now held by ${person.name} <${person.email}>${previous}.${result.created ? ' (new role)' : ''}`
          : `${person.name} already holds ${result.role.name}; nothing changed.`,
      );
    });
}

class DryRun extends Error {}
