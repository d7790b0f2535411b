import { sql } from 'drizzle-orm';
import { partnership, type SchoolTermRow } from '../../db/schema.js';
import type { OfficeHours } from '../domain/working-calendar.js';
import type { Db } from './database.js';
import { get, run } from './statements.js';
import { tableRows } from './table-rows.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface PartnershipSettings {
  name: string;
  timezone: string;
  officeHours: OfficeHours;
  schoolTerms: SchoolTermRow[];
  programmeChannel: string | null;
}

const DEFAULT_NAME = 'SEND Partnership';

const partnershipRows = tableRows(partnership);
type PartnershipRow = typeof partnership.$inferSelect;

/** The one partnership row (id 1), or undefined before the first save. */
async function readPartnershipRow(db: Db): Promise<PartnershipRow | undefined> {
  const raw = await get<Record<string, unknown>>(db, sql`select ${partnershipRows.columns()} from partnership where id = 1`);
  return raw && partnershipRows.toRow(raw);
}

export function getPartnership(db: Db): Promise<PartnershipSettings> {
  return storeCall(db, async () => {
    const row = await readPartnershipRow(db);
    if (!row) {
      return {
        name: DEFAULT_NAME,
        timezone: 'Europe/London',
        officeHours: { start: '09:00', end: '17:30' },
        schoolTerms: [],
        programmeChannel: null,
      };
    }
    return {
      name: row.name,
      timezone: row.timezone,
      officeHours: { start: row.officeHoursStart, end: row.officeHoursEnd },
      schoolTerms: row.schoolTerms,
      programmeChannel: row.programmeChannel,
    };
  });
}

export function savePartnership(db: Db, settings: Partial<PartnershipSettings>, at: string): Promise<'created' | 'updated' | 'unchanged'> {
  return withConnection(db, async () => {
    const existing = await readPartnershipRow(db);
    const current = await getPartnership(db);
    const next = { ...current, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) };
    const values = {
      name: next.name,
      timezone: next.timezone,
      officeHoursStart: next.officeHours.start,
      officeHoursEnd: next.officeHours.end,
      schoolTerms: next.schoolTerms,
      programmeChannel: next.programmeChannel,
      updatedAt: at,
    };
    if (!existing) {
      await run(db, sql`insert into partnership ${partnershipRows.insert({ id: 1, ...values })}`);
      return 'created';
    }
    if (JSON.stringify({ ...current }) === JSON.stringify(next)) return 'unchanged';
    await run(db, sql`update partnership set ${partnershipRows.set(values)} where id = 1`);
    return 'updated';
  });
}
