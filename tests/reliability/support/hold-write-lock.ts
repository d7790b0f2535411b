// Run as a separate process: `node --import tsx hold-write-lock.ts <database> <milliseconds>`.
// Takes SQLite's write lock on the database (BEGIN IMMEDIATE plus a harmless write), prints
// {"msg":"locked"}, holds it for the given time without yielding, then commits and prints
// {"msg":"released"}. Stands in for another process — an import, a backup script, a second
// instance — holding a long write transaction.
import Database from 'better-sqlite3';

const [path, ms] = process.argv.slice(2);
if (!path || !ms) {
  process.stderr.write('usage: hold-write-lock.ts <database> <milliseconds>\n');
  process.exit(2);
}
const db = new Database(path, { fileMustExist: true });
db.pragma('busy_timeout = 10000');
db.exec('BEGIN IMMEDIATE');
db.prepare("update partnership set name = name").run();
process.stdout.write(`${JSON.stringify({ msg: 'locked', at: Date.now() })}\n`);
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
db.exec('COMMIT');
process.stdout.write(`${JSON.stringify({ msg: 'released', at: Date.now() })}\n`);
db.close();
