#!/usr/bin/env node
// A throw-away PostgreSQL cluster for tests (issue 21): initdb into a fresh temp folder, listening on
// 127.0.0.1 at a free port only (no unix socket), password login, fsync off (nothing here is kept).
//
//   node scripts/postgres-test-cluster.mjs start        prints DATABASE_URL=… and the command that stops it
//   node scripts/postgres-test-cluster.mjs stop <dir>   stops that cluster and removes its folder
//   node scripts/postgres-test-cluster.mjs which        prints the PostgreSQL bin folder it would use;
//                                                       exits 1 when there is none (.ci/run installs it then)
//   node scripts/postgres-test-cluster.mjs run -- <command…>
//       starts one, runs the command with SENDBOT_TEST_POSTGRES_URL set, then stops and removes the cluster
//       whatever the command did (failed, threw, or was interrupted); exits with the command's code.
//
// PostgreSQL refuses to run as root, and CI runs as root: then initdb, pg_ctl and the server run as
// the `postgres` user (Debian's package makes it), or as a system user made for the purpose.
// The binaries: pg_ctl and initdb on PATH, else the newest /usr/lib/postgresql/<version>/bin
// (where Debian's `postgresql` package puts them). Version 15 or later.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import pg from 'pg';

const MIN_VERSION = 15;
const SUPERUSER = 'sendbot';
const DATABASE = 'sendbot';
/** The user the server runs as when we are root. */
const PREFERRED_OS_USER = 'postgres';
const FALLBACK_OS_USER = 'sendbot-pg';
const FOLDER_PREFIX = 'sendbot-pg-';

function log(message) {
  process.stderr.write(`postgres-test-cluster: ${message}\n`);
}

function fail(message) {
  log(message);
  process.exit(2);
}

/** The folder holding pg_ctl and initdb, or null. */
function findPostgresBin() {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0], 'bin') : null;
}

/**
 * Where cluster folders go. As root the server runs as another user, who must be able to reach the
 * folder: /tmp, not a TMPDIR that may sit inside root's home.
 */
function clusterBase() {
  return process.getuid?.() === 0 ? '/tmp' : tmpdir();
}

function userExists(name) {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

/** uid and gid of `name`. */
function ids(name) {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Who runs the server: null for "whoever runs this script" (not root), else an OS user name. */
function serverUser() {
  if (process.getuid?.() !== 0) return null;
  if (userExists(PREFERRED_OS_USER)) return PREFERRED_OS_USER;
  if (!userExists(FALLBACK_OS_USER)) {
    log(`running as root and there is no '${PREFERRED_OS_USER}' user: creating system user '${FALLBACK_OS_USER}'`);
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', FALLBACK_OS_USER], { stdio: 'inherit' });
  }
  return FALLBACK_OS_USER;
}

/** Runs a PostgreSQL program as the server user (via runuser when we are root), in `cwd`. */
function runAs(user, program, args, cwd) {
  const [command, commandArgs] = user ? ['runuser', ['-u', user, '--', program, ...args]] : [program, args];
  const result = spawnSync(command, commandArgs, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return result;
}

async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** What `start` leaves in the folder, so `stop` knows how to stop it. */
function readState(dir) {
  const path = join(dir, 'cluster.json');
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Creates and starts a cluster; returns { dir, url }. On any failure it removes what it made. */
async function startCluster() {
  const bin = findPostgresBin();
  if (!bin) fail('no PostgreSQL found (pg_ctl and initdb on PATH or in /usr/lib/postgresql/*/bin). Install it: apt-get install -y postgresql');
  const versionText = execFileSync(join(bin, 'pg_ctl'), ['--version'], { encoding: 'utf8' }).trim();
  const major = Number(/(\d+)(?:\.\d+)?/.exec(versionText)?.[1] ?? 0);
  if (major < MIN_VERSION) fail(`${versionText} in ${bin} is too old: sendbot needs PostgreSQL ${MIN_VERSION} or later`);

  const user = serverUser();
  const dir = mkdtempSync(join(clusterBase(), FOLDER_PREFIX));
  try {
    // The folder must be the server user's own (PostgreSQL refuses a data folder others can read).
    chmodSync(dir, 0o700);
    if (user) {
      const { uid, gid } = ids(user);
      chownSync(dir, uid, gid);
    }
    const data = join(dir, 'data');
    const password = randomBytes(18).toString('base64url');
    const pwfile = join(dir, 'password');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) chownSync(pwfile, ids(user).uid, ids(user).gid);
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ bin, user, data }));

    // Locale C: text sorts by code point, as SQLite's default (BINARY) collation does, and C exists
    // on every system (a named locale such as en_GB.UTF-8 may not be installed).
    const init = runAs(user, join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-sync'], dir);
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
    rmSync(pwfile);

    // Settings for a cluster that lives for one test run: TCP on loopback only, no socket file in
    // a folder we may not own, and no waiting for the disk.
    const logFile = join(dir, 'postgres.log');
    let url = null;
    for (let attempt = 1; attempt <= 3 && !url; attempt++) {
      const port = await freePort();
      appendFileSync(
        join(data, 'postgresql.conf'),
        [
          '',
          '# sendbot throw-away test cluster (scripts/postgres-test-cluster.mjs)',
          "listen_addresses = '127.0.0.1'",
          `port = ${port}`,
          "unix_socket_directories = ''",
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          "timezone = 'UTC'",
          // Every test file opens databases of its own, each with a small pool.
          'max_connections = 500',
          'shared_buffers = 64MB',
          '',
        ].join('\n'),
      );
      const started = runAs(user, join(bin, 'pg_ctl'), ['start', '-D', data, '-l', logFile, '-w', '-t', '60'], dir);
      if (started.status === 0) {
        url = `postgres://${SUPERUSER}:${password}@127.0.0.1:${port}/${DATABASE}`;
      } else if (attempt === 3) {
        throw new Error(`pg_ctl start failed:\n${started.stdout}${started.stderr}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`);
      } else {
        log(`port ${port} was taken before the server bound it; trying another`);
      }
    }
    const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`create database ${DATABASE}`);
    } finally {
      await admin.end();
    }
    return { dir, url };
  } catch (error) {
    stopCluster(dir);
    throw error;
  }
}

/** Stops the cluster in `dir` (if running) and removes the folder. Safe to call twice. */
function stopCluster(dir) {
  if (!dir || !existsSync(dir)) return;
  if (!resolvePath(dir).startsWith(join(clusterBase(), FOLDER_PREFIX))) fail(`refusing to remove ${dir}: not a folder this script made`);
  const state = readState(dir);
  if (state && existsSync(join(state.data, 'postmaster.pid'))) {
    const stopped = runAs(state.user, join(state.bin, 'pg_ctl'), ['stop', '-D', state.data, '-m', 'fast', '-w', '-t', '60'], dir);
    if (stopped.status !== 0) {
      // pg_ctl could not stop it: end the server we started (its pid is the pid file's first line).
      const pid = Number(readFileSync(join(state.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      log(`pg_ctl stop failed (${stopped.stderr.trim()}); sending SIGKILL to the server, pid ${pid}`);
      if (pid > 0) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a cluster, runs `command` with SENDBOT_TEST_POSTGRES_URL set, always stops and removes the cluster. */
async function runWithCluster(command) {
  if (command.length === 0) fail('run needs a command after --, e.g. run -- npx vitest run --config vitest.postgres.config.ts');
  const { dir, url } = await startCluster();
  log(`cluster up in ${dir}`);
  let child = null;
  const forward = (signal) => {
    if (child && child.exitCode === null) child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  let code = 1;
  try {
    // Not DATABASE_URL: a CLI or service a test starts must use the database the test gives it,
    // never fall back to the cluster's own.
    child = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, SENDBOT_TEST_POSTGRES_URL: url } });
    code = await new Promise((done) => {
      child.once('error', (error) => {
        log(`could not run ${command[0]}: ${error.message}`);
        done(127);
      });
      child.once('exit', (exitCode, signal) => done(exitCode ?? 128 + (constants.signals[signal] ?? 0)));
    });
  } finally {
    stopCluster(dir);
    log(existsSync(dir) ? `could not remove ${dir}` : 'cluster stopped and removed');
  }
  return code;
}

async function main() {
  const [verb, ...rest] = process.argv.slice(2);
  if (verb === 'start') {
    const { dir, url } = await startCluster();
    process.stdout.write(`DATABASE_URL=${url}\n# stop and remove: node scripts/postgres-test-cluster.mjs stop ${dir}\n`);
    return 0;
  }
  if (verb === 'stop') {
    if (!rest[0]) fail('stop needs the folder that start printed, e.g. stop /tmp/sendbot-pg-AbC123');
    stopCluster(rest[0]);
    return 0;
  }
  if (verb === 'which') {
    const bin = findPostgresBin();
    if (bin) process.stdout.write(`${bin}\n`);
    return bin ? 0 : 1;
  }
  if (verb === 'run') return await runWithCluster(rest[0] === '--' ? rest.slice(1) : rest);
  fail(`unknown command '${verb ?? ''}': expected start, stop <dir>, which, or run -- <command…>`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
