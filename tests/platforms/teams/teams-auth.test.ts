import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  checkTeamsAuth,
  CONNECTOR_RETRY_POLICY,
  createBotFrameworkAuthentication,
  logTeamsAuthMode,
  SendbotBotFrameworkAuthentication,
  TeamsStartError,
} from '../../../src/platforms/teams/teams-auth.js';

describe('Teams authentication settings', () => {
  it('needs an app id, unless unauthenticated mode was asked for', () => {
    expect(checkTeamsAuth({ appId: 'id', appPassword: 'pw', appType: 'MultiTenant', allowUnauthenticated: false })).toBe('authenticated');
    expect(checkTeamsAuth({ appType: 'MultiTenant', allowUnauthenticated: true })).toBe('unauthenticated');
    expect(() => checkTeamsAuth({ appType: 'MultiTenant', allowUnauthenticated: false })).toThrow(TeamsStartError);
  });

  it('warns on every start without authentication, and says when the switch is ignored', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    logTeamsAuthMode({ appType: 'MultiTenant', allowUnauthenticated: true }, logger);
    logTeamsAuthMode({ appId: 'id', appPassword: 'pw', appType: 'MultiTenant', allowUnauthenticated: true }, logger);
    const parsed = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(parsed[0]).toMatchObject({ level: 40, msg: expect.stringContaining('TEAMS AUTHENTICATION IS OFF') });
    expect(parsed[1]).toMatchObject({ level: 30, msg: expect.stringContaining('TEAMS_ALLOW_UNAUTHENTICATED is ignored') });
  });

  it('turns botbuilder’s own configuration checks into a TeamsStartError', () => {
    expect(() => createBotFrameworkAuthentication({ appId: 'id', appType: 'UserAssignedMSI', allowUnauthenticated: false })).toThrow(TeamsStartError);
  });

  it('gives proactive connector clients no retry policy of their own', async () => {
    const auth = new SendbotBotFrameworkAuthentication({ appType: 'MultiTenant', allowUnauthenticated: true });
    const factory = auth.createConnectorFactory(({ claims: [], isAuthenticated: false, getClaimValue: () => null }) as unknown as Parameters<typeof auth.createConnectorFactory>[0]);
    const client = await factory.create('http://127.0.0.1:9/', undefined);
    const policies = (client as unknown as { client: { pipeline: { getOrderedPolicies(): { name: string }[] } } }).client.pipeline.getOrderedPolicies().map((p) => p.name);
    expect(policies).not.toContain(CONNECTOR_RETRY_POLICY);
    expect(policies).toContain('deserializationPolicy');
  });
});
