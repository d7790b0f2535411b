import { findPersonByEmail, findPersonBySlackId, listPeople, type Person } from '../store/people-repository.js';
import type { Db } from '../store/database.js';
import { UserError } from './types.js';

/** Finds a person by email, Slack mention (<@U123>), Teams id or (unique) name. */
export async function findPersonOrExplain(db: Db, typed: string): Promise<Person> {
  const t = typed.trim();
  const mention = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(t);
  if (mention) {
    const p = await findPersonBySlackId(db, mention[1] as string);
    if (p) return p;
    throw new UserError(`That Slack user is not registered with sendbot yet.`, 'Ask a programme officer to add them (sendbot people import).');
  }
  if (t.includes('@')) {
    const p = await findPersonByEmail(db, t);
    if (p) return p;
    throw new UserError(`Nobody with email ${t} is registered.`, 'Check the spelling, or ask a programme officer to add them.');
  }
  const wanted = t.replace(/^@/, '').toLowerCase().replace(/\s+/g, ' ');
  const everyone = await listPeople(db);
  const exact = everyone.filter((p) => p.name.toLowerCase() === wanted);
  if (exact.length === 1) return exact[0] as Person;
  const partial = everyone.filter((p) => p.name.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0] as Person;
  if (partial.length > 1) {
    throw new UserError(`"${t}" matches ${partial.length} people: ${partial.slice(0, 5).map((p) => `${p.name} <${p.email}>`).join(', ')}.`, 'Use their email instead.');
  }
  throw new UserError(`Nobody called "${t}" is registered.`, 'Use their email, e.g. jo.bloggs@example.org.');
}
