import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { LONDON } from '../../src/clock.js';
import {
  addWorkingDays,
  isWorkingDay,
  nextOfficeMoment,
  nextWorkingDay,
  workingDaysBetween,
} from '../../src/domain/working-calendar.js';

const at = (iso: string) => DateTime.fromISO(iso, { zone: LONDON });

describe('working days', () => {
  it.each([
    ['2024-12-25', false, 'Christmas Day'],
    ['2024-12-26', false, 'Boxing Day'],
    ['2024-12-27', true, 'Friday after Boxing Day'],
    ['2025-04-18', false, 'Good Friday'],
    ['2025-04-21', false, 'Easter Monday'],
    ['2025-05-05', false, 'Early May bank holiday'],
    ['2025-08-25', false, 'Summer bank holiday'],
    ['2026-12-28', false, 'Boxing Day substitute (26th is a Saturday)'],
    ['2024-11-16', false, 'Saturday'],
    ['2024-11-17', false, 'Sunday'],
    ['2024-11-18', true, 'ordinary Monday'],
  ])('%s working day = %s (%s)', (day, expected) => {
    expect(isWorkingDay(day)).toBe(expected);
  });

  it('counts back ten working days before a meeting, skipping Christmas', () => {
    // Meeting Wed 8 Jan 2025: 10 working days back skips 25, 26 Dec, 1 Jan and two weekends.
    expect(addWorkingDays('2025-01-08', -10)).toBe('2024-12-20');
    expect(addWorkingDays('2024-12-04', -10)).toBe('2024-11-20');
    expect(addWorkingDays('2024-12-04', -5)).toBe('2024-11-27');
  });

  it('skips Easter when moving forward', () => {
    expect(nextWorkingDay('2025-04-17')).toBe('2025-04-22');
    expect(addWorkingDays('2025-04-17', 2)).toBe('2025-04-23');
  });

  it('counts working days between two dates, matching a day-by-day walk over long spans', () => {
    expect(workingDaysBetween('2024-12-20', '2025-01-08')).toBe(10);
    expect(workingDaysBetween('2025-01-08', '2024-12-20')).toBe(0);
    for (const [from, to] of [
      ['2024-09-30', '2025-06-30'],
      ['2024-01-01', '2026-12-31'],
      ['2025-03-31', '2025-05-06'],
      ['2024-12-20', '2024-12-31'],
    ] as const) {
      let walk = 0;
      for (let d = at(from).plus({ days: 1 }); d <= at(to); d = d.plus({ days: 1 })) {
        if (isWorkingDay(d.toISODate() as string)) walk += 1;
      }
      expect(workingDaysBetween(from, to)).toBe(walk);
    }
  });
});

describe('office hours', () => {
  it('keeps a moment inside office hours', () => {
    expect(nextOfficeMoment(at('2024-11-18T10:15')).toISO()).toBe(at('2024-11-18T10:15').toISO());
  });
  it('moves an early-morning moment to 09:00 the same day', () => {
    expect(nextOfficeMoment(at('2024-11-18T06:00')).toISO()).toBe(at('2024-11-18T09:00').toISO());
  });
  it('moves an evening moment to 09:00 the next working day', () => {
    expect(nextOfficeMoment(at('2024-11-22T17:30')).toISO()).toBe(at('2024-11-25T09:00').toISO());
  });
  it('moves Christmas Eve evening past Christmas and Boxing Day', () => {
    expect(nextOfficeMoment(at('2024-12-24T18:00')).toISO()).toBe(at('2024-12-27T09:00').toISO());
  });
  it('opens at 09:00 local time on both sides of a clock change', () => {
    expect(nextOfficeMoment(at('2025-03-29T12:00')).toUTC().toISO()).toBe('2025-03-31T08:00:00.000Z');
    expect(nextOfficeMoment(at('2025-10-25T12:00')).toUTC().toISO()).toBe('2025-10-27T09:00:00.000Z');
  });
  it('honours custom office hours', () => {
    expect(nextOfficeMoment(at('2024-11-18T08:00'), { start: '08:30', end: '16:00' }).toISO()).toBe(
      at('2024-11-18T08:30').toISO(),
    );
  });
});
