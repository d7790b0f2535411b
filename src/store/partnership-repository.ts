import { eq } from 'drizzle-orm';
import { partnership, type SchoolTermRow } from '../../db/schema.js';
import type { OfficeHours } from '../domain/working-calendar.js';
import type { Db } from './database.js';
import { storeCall, withConnection } from './unit-of-work.js';

export interface PartnershipSettings {
  name: string;
  timezone: string;
  officeHours: OfficeHours;
  schoolTerms: SchoolTermRow[];
  programmeChannel: string | null;
}

const DEFAULT_NAME = 'SEND Partnership';

export function getPartnership(db: Db): Promise<PartnershipSettings> {
  return storeCall(db, () => {
    const row = db.select().from(partnership).where(eq(partnership.id, 1)).get();
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
    const existing = db.select().from(partnership).where(eq(partnership.id, 1)).get();
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
      db.insert(partnership).values({ id: 1, ...values }).run();
      return 'created';
    }
    if (JSON.stringify({ ...current }) === JSON.stringify(next)) return 'unchanged';
    db.update(partnership).set(values).where(eq(partnership.id, 1)).run();
    return 'updated';
  });
}
