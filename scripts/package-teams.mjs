#!/usr/bin/env node
// Builds the Teams app package: a zip with manifest.json, color.png and outline.png at its root,
// ready to upload in Teams (Apps → Manage your apps → Upload an app) or the Teams Developer Portal.
//
//   node scripts/package-teams.mjs --app-id <bot's Microsoft App ID> [--teams-app-id <GUID>] [--out <dir>]
//
// The bot id comes from --app-id or the MicrosoftAppId environment variable (the same variable
// the bot itself uses). The Teams app id comes from --teams-app-id or TEAMS_APP_ID; without one,
// the bot id is used, as Microsoft's samples do. --allow-placeholder packages the manifest with
// its placeholders (for checking the package only: Teams will refuse it).
// Written with node:zlib and a minimal ZIP writer, so it needs no dependencies.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { crc32 } from './make-teams-icons.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'manifest', 'teams');
const BOT_PLACEHOLDER = '{{MICROSOFT_APP_ID}}';
const APP_PLACEHOLDER = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message) {
  process.stderr.write(`package-teams: ${message}\n`);
  process.exit(1);
}

// ---- Minimal ZIP writer (deflate, no zip64: the package is a few kilobytes) -------------------

// 1980-01-01 00:00 in MS-DOS format, so the same inputs always give the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** `files`: [{ name, data: Buffer }] → the bytes of a .zip archive. */
export function writeZip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, nameBytes, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42); // offset of the local header
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the directory
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...locals, directory, end]);
}

// ---- The package --------------------------------------------------------------------------------

function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        'app-id': { type: 'string' },
        'teams-app-id': { type: 'string' },
        out: { type: 'string' },
        'allow-placeholder': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${error.message}\nRun with --help for usage.`);
  }
  if (args.help) {
    process.stdout.write(
      'Usage: node scripts/package-teams.mjs --app-id <GUID> [--teams-app-id <GUID>] [--out <dir>] [--allow-placeholder]\n' +
        '  --app-id         the bot\'s Microsoft App ID (default: $MicrosoftAppId)\n' +
        '  --teams-app-id   the Teams app id (default: $TEAMS_APP_ID, else the bot id)\n' +
        '  --out            output directory (default: dist/teams)\n',
    );
    return;
  }

  const allowPlaceholder = args['allow-placeholder'];
  const botId = (args['app-id'] ?? process.env.MicrosoftAppId ?? '').trim();
  const appId = (args['teams-app-id'] ?? process.env.TEAMS_APP_ID ?? '').trim() || botId;
  if (!botId && !allowPlaceholder) {
    fail(
      'no bot id. Pass --app-id <the Microsoft App ID of the Azure Bot> or set MicrosoftAppId.\n' +
        'To build a package with placeholders anyway (it will not install), add --allow-placeholder.',
    );
  }
  if (botId && !GUID.test(botId)) fail(`the bot id "${botId}" is not a GUID (expected e.g. 11111111-2222-3333-4444-555555555555).`);
  if (appId && !GUID.test(appId)) fail(`the Teams app id "${appId}" is not a GUID (expected e.g. 11111111-2222-3333-4444-555555555555).`);

  const manifestPath = join(SOURCE, 'manifest.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    fail(`cannot read ${relative(process.cwd(), manifestPath)}: ${error.message}`);
  }
  if (botId) {
    for (const bot of manifest.bots ?? []) if (bot.botId === BOT_PLACEHOLDER) bot.botId = botId;
  }
  if (appId && manifest.id === APP_PLACEHOLDER) manifest.id = appId;
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (!allowPlaceholder && (text.includes('{{') || manifest.id === APP_PLACEHOLDER)) {
    fail('the manifest still has a placeholder after substitution; check manifest/teams/manifest.json.');
  }

  const files = [{ name: 'manifest.json', data: Buffer.from(text, 'utf8') }];
  for (const icon of [manifest.icons?.color, manifest.icons?.outline]) {
    const path = join(SOURCE, icon ?? '');
    if (!icon || !existsSync(path)) fail(`missing icon ${icon ?? '(not named in the manifest)'}; run node scripts/make-teams-icons.mjs`);
    files.push({ name: icon, data: readFileSync(path) });
  }

  const outDir = resolve(args.out ?? join(ROOT, 'dist', 'teams'));
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, 'sendbot-teams.zip');
  writeFileSync(zipPath, writeZip(files));
  process.stdout.write(`Wrote ${zipPath} (bot ${botId || BOT_PLACEHOLDER}, app ${manifest.id}).\n`);
  process.stdout.write(
    text.includes('{{') || manifest.id === APP_PLACEHOLDER
      ? 'It still has placeholders, so Teams will refuse it: use it only to check the package.\n'
      : 'Upload it in Teams (Apps → Manage your apps → Upload an app) or import it in the Teams Developer Portal.\n',
  );
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) main();
