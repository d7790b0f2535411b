import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = join(ROOT, 'manifest', 'teams');
const SCOPES = ['personal', 'team', 'groupChat'];
const COMMANDS = ['update', 'who', 'mine', 'due', 'kpi', 'help'];
// Dashboard links open without signing in, so Teams offers the command only in a 1:1 chat.
const COMMANDS_BY_SCOPE: Record<string, string[]> = { personal: [...COMMANDS, 'dashboard'], team: COMMANDS, groupChat: COMMANDS };

interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: { title: string; description: string }[] }[] }[];
  validDomains: string[];
}

const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** RGBA, row by row (only colour type 6, filter type 0 is decoded: what the generator writes). */
  pixels: Buffer;
}

function readPng(path: string): Png {
  const file = readFileSync(path);
  expect(file.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset < file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('ascii', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    expect(file.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(file.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') header = data;
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
    if (type === 'IEND') break;
  }
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const png = { width, height, bitDepth: header[8] ?? 0, colorType: header[9] ?? 0, pixels: Buffer.alloc(0) };
  if (png.colorType !== 6 || png.bitDepth !== 8) return png;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  expect(raw.length).toBe(height * stride);
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * stride], `filter type of row ${y}`).toBe(0);
    raw.copy(pixels, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return { ...png, pixels };
}

describe('Teams manifest', () => {
  it('is a v1.17 manifest with placeholders for the ids', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.17');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toBe('00000000-0000-0000-0000-000000000000');
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]?.botId).toBe('{{MICROSOFT_APP_ID}}');
  });

  it('keeps within the schema limits for names, descriptions, colour and URLs', () => {
    expect(manifest.name.short).toBe('sendbot');
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.accentColor).toMatch(/^#[0-9a-fA-F]{6}$/);
    expect(manifest.developer.name).toBe('sendbot');
    for (const url of [manifest.developer.websiteUrl, manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl]) {
      expect(url).toMatch(/^https:\/\/example\.org\//);
    }
    expect(Array.isArray(manifest.validDomains)).toBe(true);
  });

  it('installs the bot in every scope with the commands listed in each', () => {
    const bot = manifest.bots[0];
    expect(bot?.scopes.sort()).toEqual([...SCOPES].sort());
    for (const scope of SCOPES) {
      const lists = bot?.commandLists.filter((list) => list.scopes.includes(scope)) ?? [];
      expect(lists, scope).toHaveLength(1);
      const commands = lists[0]?.commands ?? [];
      expect(commands.map((c) => c.title).sort(), scope).toEqual([...(COMMANDS_BY_SCOPE[scope] ?? [])].sort());
      for (const command of commands) {
        expect(command.title.length).toBeLessThanOrEqual(32);
        expect(command.description.length, command.title).toBeLessThanOrEqual(128);
        expect(command.description.length).toBeGreaterThan(0);
      }
    }
  });

  it('has a 192×192 colour icon', () => {
    const path = join(DIR, manifest.icons.color);
    expect(existsSync(path)).toBe(true);
    const png = readPng(path);
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([192, 192, 8, 6]);
    // Full colour: opaque, and not just black and white.
    let coloured = 0;
    let notOpaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      if (png.pixels[i + 3] !== 255) notOpaque++;
      if (png.pixels[i] !== png.pixels[i + 2]) coloured++;
    }
    expect(notOpaque).toBe(0);
    expect(coloured).toBeGreaterThan(192 * 192 * 0.5);
  });

  it('has a 32×32 outline icon that is only white, on a transparent background', () => {
    const path = join(DIR, manifest.icons.outline);
    expect(existsSync(path)).toBe(true);
    const png = readPng(path);
    expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([32, 32, 8, 6]);
    let opaque = 0;
    let transparent = 0;
    const notWhite: number[] = [];
    for (let i = 0; i < png.pixels.length; i += 4) {
      const [r, g, b, a] = [png.pixels[i], png.pixels[i + 1], png.pixels[i + 2], png.pixels[i + 3]];
      if (a === 0) transparent++;
      else if (r !== 255 || g !== 255 || b !== 255) notWhite.push(i / 4);
      if (a === 255) opaque++;
    }
    expect(notWhite, 'pixels that are visible but not white').toEqual([]);
    expect(opaque).toBeGreaterThan(50);
    expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
  });

  it('matches what the icon generator draws (committed PNGs are not stale)', () => {
    const out = tempDir('sendbot-icons-');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'make-teams-icons.mjs'), out]);
    // Pixels, not bytes: another zlib build may compress the same pixels differently.
    for (const name of ['color.png', 'outline.png']) {
      const fresh = readPng(join(out, name));
      const committed = readPng(join(DIR, name));
      expect([fresh.width, fresh.height]).toEqual([committed.width, committed.height]);
      expect(fresh.pixels.equals(committed.pixels), name).toBe(true);
    }
  });
});
