import { DateTime } from 'luxon';
import type { TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { addDays, todayLondon, ZONE } from '../../src/platform/time';

export const BOOKING_FIELDS = `id status purpose startsAt endsAt childCount children { firstName } supervisor requestedBy { name } notes decisionReason outcome outcomeNotes createdAt constellation { name }`;
const ERRORS = 'userErrors { code message field subjectIds dates }';

export const REQUEST_BOOKING = `mutation($i: RequestHubBookingInput!) { requestHubBooking(input: $i) { booking { ${BOOKING_FIELDS} } ${ERRORS} } }`;
export const CONFIRM_BOOKING = `mutation($i: HubBookingDecisionInput!) { confirmHubBooking(input: $i) { booking { ${BOOKING_FIELDS} } ${ERRORS} } }`;
export const DECLINE_BOOKING = `mutation($i: HubBookingDecisionInput!) { declineHubBooking(input: $i) { booking { ${BOOKING_FIELDS} } ${ERRORS} } }`;
export const CANCEL_BOOKING = `mutation($i: HubBookingDecisionInput!) { cancelHubBooking(input: $i) { booking { ${BOOKING_FIELDS} } ${ERRORS} } }`;
export const RECORD_OUTCOME = `mutation($i: RecordHubBookingOutcomeInput!) { recordHubBookingOutcome(input: $i) { booking { ${BOOKING_FIELDS} } ${ERRORS} } }`;
export const UPDATE_VENUE = `mutation($i: UpdateHubVenueInput!) { updateHubVenue(input: $i) { constellation { venue { familyTimeAllowed opensAt closesAt } } ${ERRORS} } }`;
export const BOOKING_NODE = `query($id: ID!) { node(id: $id) { ... on HubBooking { ${BOOKING_FIELDS} } } }`;

/** An instant `days` from today at London wall-clock `hhmm`. */
export function at(days: number, hhmm: string): string {
  return DateTime.fromISO(`${addDays(todayLondon(), days)}T${hhmm}`, { zone: ZONE })
    .toUTC()
    .toISO()!;
}

export interface Book {
  k: string;
  purpose: 'FAMILY_TIME' | 'SIBLING_CONTACT' | 'DAY_CARE' | 'MEETING' | 'OTHER';
  day: number;
  from: string;
  to: string;
  children?: string[];
  supervisor?: string;
  notes?: string;
}

export const bookInput = (b: Book) => ({
  constellationId: gid('Constellation', b.k),
  purpose: b.purpose,
  startsAt: at(b.day, b.from),
  endsAt: at(b.day, b.to),
  childIds: (b.children ?? []).map((c) => gid('Child', c)),
  ...(b.supervisor !== undefined ? { supervisor: b.supervisor } : {}),
  ...(b.notes !== undefined ? { notes: b.notes } : {}),
});

export interface Payload {
  booking: any;
  userErrors: { code: string; message: string; field: string[]; subjectIds: string[]; dates: string[] }[];
}

export async function book(t: TestApp, token: string | null, b: Book): Promise<Payload> {
  const r = await t.gql(REQUEST_BOOKING, { i: bookInput(b) }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.requestHubBooking;
}

export async function decideBooking(t: TestApp, token: string | null, verb: 'confirm' | 'decline' | 'cancel', bookingId: string, reason?: string): Promise<Payload> {
  const doc = verb === 'confirm' ? CONFIRM_BOOKING : verb === 'decline' ? DECLINE_BOOKING : CANCEL_BOOKING;
  const r = await t.gql(doc, { i: { bookingId, ...(reason ? { reason } : {}) } }, { token });
  expect(r.errors).toBeUndefined();
  return r.data[`${verb}HubBooking`];
}

export async function setVenue(t: TestApp, token: string | null, k: string, venue: { familyTimeAllowed?: boolean; opensAt?: string; closesAt?: string }) {
  const r = await t.gql(UPDATE_VENUE, { i: { constellationId: gid('Constellation', k), ...venue } }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.updateHubVenue as { constellation: any; userErrors: Payload['userErrors'] };
}

export async function node(t: TestApp, token: string | null, id: string) {
  const r = await t.gql(BOOKING_NODE, { id }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.node;
}

/** The database id inside a global id. */
export const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];
export const codes = (p: { userErrors: { code: string }[] }) => p.userErrors.map((e) => e.code);
