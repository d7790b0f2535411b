// Which Slack requests belong to the installation: the ids read from each body shape, and the rule
// for a plain workspace, a workspace inside an Enterprise Grid organisation, and an org-wide install.
import { describe, expect, it } from 'vitest';
import { isOwnWorkspace, readRequestWorkspace, type SlackInstallation } from '../../../src/platforms/slack/workspace-guard.js';
import { blockActionPayload, slashCommandBody, viewSubmissionPayload } from '../../helpers/slack-requests.js';

const workspace: SlackInstallation = { teamId: 'T0SEND', isEnterpriseInstall: false };
const gridWorkspace: SlackInstallation = { teamId: 'T0SEND', enterpriseId: 'E0ORG', isEnterpriseInstall: false };
const orgWide: SlackInstallation = { teamId: 'E0ORG', enterpriseId: 'E0ORG', isEnterpriseInstall: true };

const command = (fields: Record<string, string> = {}) => slashCommandBody({ text: 'mine', ...fields });
const button = (team: unknown, userTeam: string, enterprise: unknown = null) => ({
  ...blockActionPayload({ userId: 'U0SAM', actionId: 'send_no_change', value: 'ND-1.1' }),
  team,
  enterprise,
  user: { id: 'U0SAM', team_id: userTeam },
});
const event = (teamId: string, enterpriseId: string | null) => ({
  type: 'event_callback',
  team_id: teamId,
  event: { type: 'app_home_opened', user: 'U0SAM', tab: 'home' },
  authorizations: [{ enterprise_id: enterpriseId, team_id: teamId, user_id: 'U0BOT', is_bot: true }],
});

describe('readRequestWorkspace', () => {
  it('reads team, user team and enterprise ids from every body shape', () => {
    expect(readRequestWorkspace(command({ enterprise_id: 'E0ORG' }))).toEqual({ teamIds: ['T0SEND'], userTeamIds: [], enterpriseIds: ['E0ORG'] });
    expect(readRequestWorkspace(button({ id: 'T0SEND', enterprise_id: 'E0ORG' }, 'T0OTHER'))).toEqual({ teamIds: ['T0SEND'], userTeamIds: ['T0OTHER'], enterpriseIds: ['E0ORG'] });
    expect(readRequestWorkspace(viewSubmissionPayload({ userId: 'U0SAM', callbackId: 'x', values: {} }))).toMatchObject({ teamIds: ['T0SEND'] });
    expect(readRequestWorkspace(event('T0SEND', 'E0ORG'))).toEqual({ teamIds: ['T0SEND'], userTeamIds: [], enterpriseIds: ['E0ORG'] });
    expect(readRequestWorkspace(null)).toEqual({ teamIds: [], userTeamIds: [], enterpriseIds: [] });
  });
});

describe('isOwnWorkspace', () => {
  const cases: [string, SlackInstallation, unknown, boolean][] = [
    ['a command from the workspace', workspace, command(), true],
    ['a command from another workspace', workspace, command({ team_id: 'T0EVIL' }), false],
    ['a command naming an enterprise the plain workspace is not in', workspace, command({ enterprise_id: 'E0EVIL' }), false],
    ['a command with no team at all', workspace, { command: '/send', text: 'mine', user_id: 'U0SAM' }, false],
    ['a button in the workspace by one of its people', workspace, button({ id: 'T0SEND' }, 'T0SEND'), true],
    ['a button pressed by someone from another organisation (Slack Connect)', workspace, button({ id: 'T0SEND' }, 'T0EVIL'), false],
    ['an event for the workspace', workspace, event('T0SEND', null), true],
    ['an event for another workspace', workspace, event('T0EVIL', null), false],
    // Inside an Enterprise Grid organisation, installed in one workspace.
    ['grid: a command from the workspace', gridWorkspace, command({ enterprise_id: 'E0ORG' }), true],
    ['grid: a command from another workspace of the organisation', gridWorkspace, command({ team_id: 'T0SISTER', enterprise_id: 'E0ORG' }), false],
    ['grid: a colleague from a sister workspace in a shared channel', gridWorkspace, button({ id: 'T0SEND', enterprise_id: 'E0ORG' }, 'T0SISTER', { id: 'E0ORG' }), true],
    ['grid: another organisation', gridWorkspace, command({ enterprise_id: 'E0EVIL' }), false],
    // Org-wide install: any workspace of the organisation, none outside it.
    ['org-wide: a command from any workspace of the organisation', orgWide, command({ team_id: 'T0ANY', enterprise_id: 'E0ORG' }), true],
    ['org-wide: a button with team null', orgWide, button(null, 'T0ANY', { id: 'E0ORG' }), true],
    ['org-wide: another organisation', orgWide, command({ team_id: 'T0ANY', enterprise_id: 'E0EVIL' }), false],
    ['org-wide: no enterprise id', orgWide, command({ team_id: 'T0ANY' }), false],
  ];
  it.each(cases)('%s → %s', (_name, installation, body, expected) => {
    expect(isOwnWorkspace(installation, readRequestWorkspace(body))).toBe(expected);
  });
});
