import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commands } from '../../src/commands/registry.js';

const SUBCOMMANDS = ['update', 'who', 'mine', 'due', 'overdue', 'status', 'history', 'boards', 'away', 'back', 'digest', 'help', 'assign', 'handover', 'approve', 'reject'];
const EXPECTED_SCOPES = ['chat:write', 'commands', 'users:read', 'users:read.email'];

interface Manifest {
  display_information: { name: string; description?: string; long_description?: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    slash_commands: { command: string; url: string; description: string; usage_hint?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string };
    event_subscriptions: { request_url: string; bot_events: string[] };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const manifest = parse(readFileSync(fileURLToPath(new URL('../../manifest/slack.yaml', import.meta.url)), 'utf8')) as Manifest;

describe('manifest/slack.yaml', () => {
  it('declares /send with every subcommand in its hint', () => {
    const send = manifest.features.slash_commands.find((c) => c.command === '/send');
    expect(send).toBeDefined();
    const words = `${send?.usage_hint ?? ''} ${send?.description ?? ''}`.split(/[^a-z]+/);
    for (const sub of SUBCOMMANDS) expect(words, sub).toContain(sub);
    expect(send?.url).toBe('https://YOUR-HOST/slack/events');
    expect((send?.usage_hint ?? '').length).toBeLessThanOrEqual(1000);
  });

  it('covers every subcommand in the command registry (what /send help lists)', () => {
    const send = manifest.features.slash_commands.find((c) => c.command === '/send');
    const words = new Set(`${send?.usage_hint ?? ''} ${send?.description ?? ''}`.toLowerCase().split(/[^a-z]+/));
    const missing = commands.map((c) => c.name).filter((name) => !words.has(name));
    expect(missing, 'subcommands missing from manifest/slack.yaml usage_hint').toEqual([]);
  });

  it('asks for exactly the bot scopes sendbot uses', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(EXPECTED_SCOPES);
  });

  it('every scope is one the code needs: the Web API methods it calls, read from the source', () => {
    // Slack's documented scope for each method (views.* need none; users.info reads the email only with users:read.email).
    const SCOPE_OF: Record<string, string[]> = {
      'chat.postMessage': ['chat:write'],
      'users.info': ['users:read', 'users:read.email'],
      'users.lookupByEmail': ['users:read.email'],
      'views.open': [],
      'views.publish': [],
      'conversations.open': ['im:write'],
    };
    const files = readdirSync(fileURLToPath(new URL('../../src', import.meta.url)), { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.ts'));
    const called = new Set<string>();
    for (const f of files) {
      const source = readFileSync(join(f.parentPath, f.name), 'utf8');
      for (const m of source.matchAll(/\bclient\.([a-z]+\.[a-zA-Z]+)\(/g)) called.add(m[1] as string);
    }
    expect([...called].sort()).toEqual(['chat.postMessage', 'users.info', 'users.lookupByEmail', 'views.open', 'views.publish']);
    const needed = new Set(['commands', ...[...called].flatMap((m) => SCOPE_OF[m] ?? [`unknown method ${m}`])]);
    expect([...needed].sort()).toEqual(EXPECTED_SCOPES);
  });

  it('enables interactivity, the Home tab and the app_home_opened event on the same URL', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://YOUR-HOST/slack/events' });
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://YOUR-HOST/slack/events');
    expect(manifest.features.bot_user.always_online).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.org_deploy_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  it("stays within Slack's manifest limits", () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect((manifest.display_information.description ?? '').length).toBeLessThanOrEqual(140);
    const long = manifest.display_information.long_description ?? '';
    expect(long.length).toBeGreaterThanOrEqual(175);
    expect(long.length).toBeLessThanOrEqual(4000);
  });
});
