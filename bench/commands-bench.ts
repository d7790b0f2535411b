// In-process latency of the commands people use most, on a generated plan.
//   npm run bench:commands            (100,000 actions)
//   npm run bench:commands -- 10000   (another size)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixedClock } from '../src/clock.js';
import { runCommandText } from '../src/commands/router.js';
import { findPersonByEmail } from '../src/store/people-repository.js';
import { BENCH_NOW, BENCH_SEARCH_PHRASES, benchDb } from './bench-db.js';
import { ms, type Summary, timeEach } from './stats.js';
import { sqliteOf } from './bench-db.js';

export async function benchCommands(actions: number, boards = 500): Promise<{ results: Record<string, Summary>; importMs: number | null }> {
  const { db, importMs } = await benchDb(actions, boards);
  const clock = fixedClock(BENCH_NOW);
  const deps = { db, clock };
  const people = sqliteOf(db).$client.prepare("select email from people where email like 'person%' order by id").all() as { email: string }[];
  const refs = sqliteOf(db).$client.prepare('select a.ref, w.lead_role_id as role from actions a join workstreams w on w.id = a.workstream_id where a.removed_at is null').all() as {
    ref: string;
    role: number;
  }[];
  const holderOf = sqliteOf(db).$client.prepare('select p.email from role_assignments ra join people p on p.id = ra.person_id where ra.role_id = ? and ra.ended_at is null limit 1');
  const person = async (email: string) => (await findPersonByEmail(db, email)) as NonNullable<Awaited<ReturnType<typeof findPersonByEmail>>>;
  const words = BENCH_SEARCH_PHRASES;
  const admin = await person('admin@example.org');

  const results: Record<string, Summary> = {};
  results['who (free text)'] = await timeEach(1000, async (i) => await runCommandText(deps, admin, 'cli', `who ${words[i % words.length]}`));
  results['who <ref>'] = await timeEach(1000, async (i) => await runCommandText(deps, admin, 'cli', `who ${refs[(i * 7919) % refs.length]?.ref}`));
  // Updates are written for real (one transaction each) by the action's owner.
  const owners = await Promise.all(refs.slice(0, 5000).map(async (r) => ({ ref: r.ref, owner: await person((holderOf.get(r.role) as { email: string }).email) })));
  const statuses = ['green', 'amber', 'red'];
  results.update = await timeEach(1000, async (i) => {
    const o = owners[(i * 31) % owners.length] as (typeof owners)[number];
    const reply = await runCommandText(deps, o.owner, 'cli', `update ${o.ref} ${statuses[i % 3]} ${i % 100}% benchmark note ${i}`);
    if (reply.tone !== 'success') throw new Error(`update failed: ${reply.summary}`);
  });
  const mine = await Promise.all(people.slice(0, 200).map(async (p) => await person(p.email)));
  results.mine = await timeEach(500, async (i) => await runCommandText(deps, mine[i % mine.length] as (typeof mine)[number], 'cli', 'mine'));
  sqliteOf(db).$client.close();
  return { results, importMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const size = Number(process.argv[2] ?? 100_000);
  const { results, importMs } = await benchCommands(size);
  console.log(`Command latency, ${size.toLocaleString('en-GB')} actions (ms per call, in-process)`);
  if (importMs !== null) console.log(`(built the database: import took ${ms(importMs)} ms)`);
  console.log('command            p50      p99      mean     n');
  for (const [name, s] of Object.entries(results)) {
    console.log(`${name.padEnd(18)} ${ms(s.p50).padStart(7)}  ${ms(s.p99).padStart(7)}  ${ms(s.mean).padStart(7)}  ${s.n}`);
  }
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', `commands-${size}.json`), `${JSON.stringify(results, null, 2)}\n`);
}
