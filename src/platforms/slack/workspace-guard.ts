// Only the workspace (or Enterprise Grid organisation) sendbot is installed in may use it. A signed
// request proves it came through Slack, not from whom: if the app is ever installed elsewhere, or a
// person from another organisation reaches it through a Slack Connect channel, their requests are
// signed too — and people are matched by email, which another organisation controls for its own
// accounts. So every request's team and enterprise ids are checked against the installation's,
// learned from auth.test at start (Socket Mode too: it has no signatures but the same ids).
//
// The rule:
//   - workspace install: the request's workspace, and the acting user's home workspace, must be the
//     installation's team; an enterprise id, when the request carries one, must be the
//     installation's (and a user from another workspace of that same Grid organisation is allowed:
//     same organisation, same identity provider);
//   - org-wide install on Enterprise Grid (auth.test says is_enterprise_install): the team id varies
//     with the workspace used, so the enterprise id alone decides, and it must be present.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.js';

export interface SlackInstallation {
  teamId?: string;
  teamName?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

export interface RequestWorkspace {
  /** Workspace(s) the request happened in. */
  teamIds: string[];
  /** Home workspace of the person acting, when the body says (interactions: user.team_id). */
  userTeamIds: string[];
  enterpriseIds: string[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined);
const id = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Every team and enterprise id a Slack request body carries, wherever Slack puts them. */
export function readRequestWorkspace(body: unknown): RequestWorkspace {
  const b = obj(body) ?? {};
  const teams = new Set<string>();
  const userTeams = new Set<string>();
  const enterprises = new Set<string>();
  const addTeam = (v: unknown) => id(v) && teams.add(v as string);
  const addEnterprise = (v: unknown) => id(v) && enterprises.add(v as string);
  // Slash commands and Events API envelopes.
  addTeam(b.team_id);
  addEnterprise(b.enterprise_id);
  // Interactions: team (null for org-wide installs), enterprise, the user's home team.
  const team = obj(b.team);
  addTeam(team?.id);
  addEnterprise(team?.enterprise_id);
  addEnterprise(obj(b.enterprise)?.id);
  const user = obj(b.user);
  if (id(user?.team_id)) userTeams.add(user?.team_id as string);
  addTeam(obj(b.view)?.app_installed_team_id);
  // Events API: who the event was delivered for.
  if (Array.isArray(b.authorizations)) {
    for (const a of b.authorizations) {
      addTeam(obj(a)?.team_id);
      addEnterprise(obj(a)?.enterprise_id);
    }
  }
  return { teamIds: [...teams], userTeamIds: [...userTeams], enterpriseIds: [...enterprises] };
}

/** True when the request belongs to the installation (see the rule at the top of this file). */
export function isOwnWorkspace(installation: SlackInstallation, request: RequestWorkspace): boolean {
  const enterpriseOk = request.enterpriseIds.every((e) => e === installation.enterpriseId);
  if (!enterpriseOk) return false;
  if (installation.isEnterpriseInstall) {
    return installation.enterpriseId !== undefined && request.enterpriseIds.includes(installation.enterpriseId);
  }
  if (!installation.teamId || request.teamIds.length === 0) return false;
  if (!request.teamIds.every((t) => t === installation.teamId)) return false;
  const sameOrganisation = installation.enterpriseId !== undefined && request.enterpriseIds.includes(installation.enterpriseId);
  return request.userTeamIds.every((t) => t === installation.teamId || sameOrganisation);
}

/** What someone from elsewhere sees when they use the slash command. */
export function foreignWorkspaceText(installation: SlackInstallation): string {
  const where = installation.teamName ? `the ${installation.teamName} workspace` : 'the workspace it is installed in';
  return `This sendbot serves ${where} only. Nothing was done.`;
}

/**
 * Global Bolt middleware: a request from another workspace or organisation is acknowledged (a slash
 * command with a short explanation) and goes no further — no listener runs, nothing is looked up
 * or stored.
 */
export function workspaceGuard(installation: SlackInstallation, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const request = readRequestWorkspace(args.body);
    if (isOwnWorkspace(installation, request)) {
      await args.next();
      return;
    }
    logger.warn(
      { ...request, installedTeamId: installation.teamId, installedEnterpriseId: installation.enterpriseId },
      'refused a Slack request from another workspace or organisation',
    );
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (!ack) return;
    if ('command' in args) await ack({ response_type: 'ephemeral', text: foreignWorkspaceText(installation) });
    else await ack();
  };
}
