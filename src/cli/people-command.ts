import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { toStoredInstant } from '../clock.js';
import { ImportError } from '../importers/import-errors.js';
import { plural } from '../render/format.js';
import { recordAudit } from '../store/audit-repository.js';
import { inTransaction } from '../store/database.js';
import { findPersonByEmail, listPeople, upsertPerson } from '../store/people-repository.js';
import { applyImportedHolders, describeHolderOutcome, type FilePerson, namesOf, openActionRefsOfRole, recordedRoles, recordImportedHolders } from '../store/imported-holders.js';
import { currentHolders, currentRolesOf, ensureRole, findRole, handOverRole, listRoles } from '../store/roles-repository.js';
import { suggestRoleNames } from '../domain/role-match.js';
import { CliUsageError, type CliContext } from './context.js';
import { formatTable } from './format-table.js';

export function registerPeopleCommands(program: Command, context: () => CliContext): void {
  const people = program
    .command('people')
    .description('list people and the roles they hold')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const ctx = context();
      const rows = await Promise.all((await listPeople(await ctx.database())).map(async (p) => ({
        name: p.name,
        email: p.email,
        roles: (await currentRolesOf(await ctx.database(), p.id)).map((r) => r.name),
        slack_user_id: p.slackUserId,
        teams_user_id: p.teamsUserId,
        admin: p.isAdmin,
        away_until: p.awayUntil,
      })));
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
      const apply = async () => {
        // Every person the file names for a role holds it; the holders change only where the file
        // changed them since the last import, so a handover made since is never undone.
        const holders = new Map<number, FilePerson[]>();
        for (const p of rows) {
          const { person, outcome } = await upsertPerson(
            await ctx.database(),
            { name: p.name, email: p.email, slackUserId: p.slack_user_id ?? undefined, teamsUserId: p.teams_user_id ?? undefined, isAdmin: p.admin },
            at,
          );
          tally[outcome] += 1;
          for (const roleName of p.roles) {
            const { role } = await ensureRole(await ctx.database(), roleName, at);
            holders.set(role.id, [...(holders.get(role.id) ?? []), { id: person.id, name: person.name, email: person.email }]);
          }
        }
        for (const [roleId, listed] of holders) {
          const result = await applyImportedHolders(await ctx.database(), roleId, listed, at);
          if (result.outcome === 'applied') tally.handovers += 1;
          const line = describeHolderOutcome(result);
          if (line) owners.push(line);
        }
        // A person the file lists under other roles than last time has moved: a role the file last
        // gave them and no longer mentions is no longer theirs. Say what became of it, and which
        // actions are left with nobody accountable.
        const listedEmails = new Map(rows.map((p) => [p.email.toLowerCase(), p]));
        for (const role of await recordedRoles(await ctx.database())) {
          if (holders.has(role.id)) continue;
          const moved = role.recorded.filter((e) => listedEmails.has(e.toLowerCase()));
          if (moved.length === 0) continue;
          const remaining = (await Promise.all(role.recorded
            .filter((e) => !moved.includes(e))
            .map(async (e) => await findPersonByEmail(await ctx.database(), e))))
            .filter((p): p is NonNullable<typeof p> => p !== undefined)
            .map((p) => ({ id: p.id, name: p.name, email: p.email }));
          // Someone took the role over since the last import (chat or role assign): theirs to keep.
          if (!(await currentHolders(await ctx.database(), role.id)).some((h) => moved.some((e) => e.toLowerCase() === h.email.toLowerCase()))) {
            await recordImportedHolders(await ctx.database(), role.id, remaining.map((p) => p.email));
            continue;
          }
          const result = await applyImportedHolders(await ctx.database(), role.id, remaining, at);
          if (result.outcome === 'applied') tally.handovers += 1;
          const who = moved.map((e) => {
            const p = listedEmails.get(e.toLowerCase());
            return `${p?.name ?? e}${p && p.roles.length ? ` (now ${p.roles.join('; ')})` : ''}`;
          });
          const holdersNow = await currentHolders(await ctx.database(), role.id);
          const orphaned = holdersNow.length === 0 ? await openActionRefsOfRole(await ctx.database(), role.id) : [];
          const fate =
            result.outcome === 'kept'
              ? `kept by ${namesOf(holdersNow)}, who took it over since the last import`
              : holdersNow.length
                ? `now held by ${namesOf(holdersNow)}`
                : `nobody holds it now${orphaned.length ? `; ${orphaned.length} open action${orphaned.length === 1 ? ' is' : 's are'} left with nobody accountable: ${orphaned.join(', ')}` : ''}. Give it to someone: sendbot role assign "${role.name}" <email>`;
          owners.push(`${role.name}: the file no longer lists ${who.join(', ')} for it; ${fate}`);
        }
        await recordAudit(await ctx.database(), { at, actorLabel: 'cli', event: 'people.imported', entity: name, detail: { ...tally, owners } });
      };
      if (opts.dryRun) {
        try {
          await inTransaction(await ctx.database(), async () => {
            await apply();
            throw new DryRun();
          });
        } catch (e) {
          if (!(e instanceof DryRun)) throw e;
        }
      } else await inTransaction(await ctx.database(), apply);
      ctx.print(
        `${opts.dryRun ? 'Dry run — nothing written. ' : ''}People: ${tally.created} new, ${tally.updated} updated, ${tally.unchanged} unchanged; ${plural(tally.handovers, 'role handover')}.`,
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
    .option('--new', 'create the role when no role has this name (otherwise the nearest existing ones are suggested)')
    .action(async (roleName: string, email: string, opts: { new?: boolean }) => {
      const ctx = context();
      const person = await findPersonByEmail(await ctx.database(), email);
      if (!person) throw new CliUsageError(`Nobody with email ${email}. Add them first: sendbot people import people.csv`);
      // A misspelt role name would otherwise create a second role and leave the real one's actions
      // with their old holder: suggest the nearest, and create only when asked to.
      if (!await findRole(await ctx.database(), roleName) && !opts.new) {
        const near = suggestRoleNames(roleName, (await listRoles(await ctx.database())).map((r) => r.name));
        throw new CliUsageError(
          near.length
            ? `No role called "${roleName}". Did you mean ${near.map((n) => `"${n}"`).join(' or ')}? Try: sendbot role assign "${near[0]}" ${email}. To create "${roleName}" as a new role: add --new. Nothing was changed.`
            : `No role called "${roleName}". sendbot people lists the roles people hold. To create "${roleName}" as a new role: sendbot role assign "${roleName}" ${email} --new. Nothing was changed.`,
        );
      }
      const at = toStoredInstant(ctx.clock.now());
      const result = await inTransaction(await ctx.database(), async () => {
        const { role, created } = await ensureRole(await ctx.database(), roleName, at);
        const outcome = await handOverRole(await ctx.database(), role.id, person.id, at);
        await recordAudit(await ctx.database(), {
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
