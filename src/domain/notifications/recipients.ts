// Who receives a message: the current holders of an action's owner role (or the person it was assigned
// to by name), redirected to a delegate or held while someone is away.
import type { ActionState, PersonState } from '../planning-state.js';
import type { OfficeHours } from '../working-calendar.js';
import { londonDateOf, officeMomentAtOrAfter, officeOpensUtc, shiftWorkingDays } from './calendar-memo.js';

/** Person ids accountable for an action right now: a named owner wins over the role's holders. */
export function actionRecipients(action: ActionState, holders: ReadonlyMap<number, number[]>): readonly number[] {
  if (action.ownerPersonId !== null) return [action.ownerPersonId];
  if (action.ownerRoleId === null) return [];
  return holders.get(action.ownerRoleId) ?? [];
}

export interface Addressee {
  /** Who the message is delivered to. */
  recipient: PersonState;
  /** The person the message is about, when a delegate receives it instead. */
  onBehalfOf: PersonState | null;
  notBefore: string;
}

export interface AddressOptions {
  /** Planned office moment (UTC ISO), already inside office hours. */
  notBefore: string;
  /** A message that cannot go out before this instant is not sent at all (UTC ISO). */
  expiresAt: string | null;
  /** Delegates stand in for nudges and digests; a subscription (weekly digest) is not redirected. */
  allowDelegate: boolean;
}

/**
 * Where a message for `person` goes, or null when it should not be sent. `sendDay` is the London date
 * the message would go out (the day of the next office moment): someone away that day either has a
 * delegate, who receives it, or it waits until the office opens on their first working day back.
 */
export function addressPerson(
  person: PersonState | undefined,
  people: ReadonlyMap<number, PersonState>,
  sendDay: string,
  hours: OfficeHours,
  options: AddressOptions,
): Addressee | null {
  if (!person) return null;
  if (!isAway(person, sendDay)) return { recipient: person, onBehalfOf: null, notBefore: options.notBefore };
  const delegate = options.allowDelegate && person.delegateId !== null ? people.get(person.delegateId) : undefined;
  // One hop only: a delegate who is away too does not pass it on, so the message waits for the owner.
  if (delegate && delegate.id !== person.id && !isAway(delegate, sendDay)) {
    return { recipient: delegate, onBehalfOf: person, notBefore: options.notBefore };
  }
  const back = officeOpensUtc(shiftWorkingDays(person.awayUntil as string, 1), hours);
  const notBefore = back > options.notBefore ? back : options.notBefore;
  if (options.expiresAt !== null && notBefore >= options.expiresAt) return null;
  return { recipient: person, onBehalfOf: null, notBefore };
}

export function isAway(person: PersonState, day: string): boolean {
  return person.awayUntil !== null && person.awayUntil >= day;
}

/** The London date of the next moment the office is open, at or after `nowUtc`. */
export function sendDayFor(nowUtc: string, hours: OfficeHours): string {
  return londonDateOf(officeMomentAtOrAfter(nowUtc, hours));
}

/** The next office moment at or after `utcIso`, as a stored UTC instant. */
export function nextOfficeMomentUtc(utcIso: string, hours: OfficeHours): string {
  return officeMomentAtOrAfter(utcIso, hours);
}
