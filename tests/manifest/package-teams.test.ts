import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'package-teams.mjs');
const SOURCE = join(ROOT, 'manifest', 'teams');
const BOT_ID = '11111111-2222-3333-4444-555555555555';

/** The environment without any ids the developer running the tests may have set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('MicrosoftAppId' in extra)) delete env.MicrosoftAppId;
  if (!('TEAMS_APP_ID' in extra)) delete env.TEAMS_APP_ID;
  return env;
}

function runPackage(args: string[], env = cleanEnv()): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ZipEntry {
  name: string;
  method: number;
  data: Buffer;
}

/** Reads a zip through its central directory, as unzip does. */
function readZip(zip: Buffer): ZipEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(eocd).toBeGreaterThanOrEqual(0);
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(offset)).toBe(0x02014b50);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localOffset = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(data.length, name).toBe(size);
    entries.push({ name, method, data });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('package-teams script', () => {
  it('builds a zip with the manifest and both icons at the root, ids substituted', () => {
    const out = tempDir('sendbot-teams-zip-');
    execFileSync(process.execPath, [SCRIPT, '--app-id', BOT_ID, '--out', out], { env: cleanEnv(), stdio: 'pipe' });
    const zip = readFileSync(join(out, 'sendbot-teams.zip'));
    const entries = readZip(zip);
    expect(entries.map((e) => e.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const packaged = JSON.parse(entries.find((e) => e.name === 'manifest.json')?.data.toString('utf8') ?? '{}');
    const source = JSON.parse(readFileSync(join(SOURCE, 'manifest.json'), 'utf8'));
    expect(packaged.bots[0].botId).toBe(BOT_ID);
    expect(packaged.id).toBe(BOT_ID);
    expect(JSON.stringify(packaged)).not.toContain('{{');
    // Nothing else changes.
    source.id = BOT_ID;
    source.bots[0].botId = BOT_ID;
    expect(packaged).toEqual(source);

    for (const icon of ['color.png', 'outline.png']) {
      expect(entries.find((e) => e.name === icon)?.data.equals(readFileSync(join(SOURCE, icon))), icon).toBe(true);
    }

    // When unzip is installed, it must agree that the archive is sound.
    if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0) {
      const test = spawnSync('unzip', ['-t', join(out, 'sendbot-teams.zip')], { encoding: 'utf8' });
      expect(test.status, test.stdout).toBe(0);
    }
  });

  it('takes the ids from the environment, and a separate Teams app id', () => {
    const out = tempDir('sendbot-teams-zip-');
    const teamsAppId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const result = runPackage(['--out', out], cleanEnv({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID: teamsAppId }));
    expect(result.status, result.stderr).toBe(0);
    const manifest = JSON.parse(readZip(readFileSync(join(out, 'sendbot-teams.zip'))).find((e) => e.name === 'manifest.json')?.data.toString() ?? '{}');
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.id).toBe(teamsAppId);
  });

  it('refuses without a bot id, naming the flag and the variable', () => {
    const result = runPackage(['--out', tempDir()]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--app-id');
    expect(result.stderr).toContain('MicrosoftAppId');
  });

  it('refuses an id that is not a GUID', () => {
    const result = runPackage(['--app-id', 'my-bot', '--out', tempDir()]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/not a GUID/);
  });

  it('builds a placeholder package only when asked to', () => {
    const out = tempDir('sendbot-teams-zip-');
    const result = runPackage(['--allow-placeholder', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/placeholders/);
    const manifest = JSON.parse(readZip(readFileSync(join(out, 'sendbot-teams.zip'))).find((e) => e.name === 'manifest.json')?.data.toString() ?? '{}');
    expect(manifest.bots[0].botId).toBe('{{MICROSOFT_APP_ID}}');
  });
});
