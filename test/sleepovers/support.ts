import type { TestApp } from '../support/app';
import { gid } from '../support/fixtures';

export const SLEEPOVER_FIELDS = `id status kind startDate endDate nights beds childCount
  children { firstName } household { name } requestedBy { name } notes decisionReason
  constellation { name } createdAt updatedAt`;
const ERRORS = 'userErrors { code message field }';

export const REQUEST = `mutation($i: RequestSleepoverInput!) { requestSleepover(input: $i) { sleepover { ${SLEEPOVER_FIELDS} } ${ERRORS} } }`;
export const CONFIRM = `mutation($i: SleepoverDecisionInput!) { confirmSleepover(input: $i) { sleepover { ${SLEEPOVER_FIELDS} } ${ERRORS} } }`;
export const DECLINE = `mutation($i: SleepoverDecisionInput!) { declineSleepover(input: $i) { sleepover { ${SLEEPOVER_FIELDS} } ${ERRORS} } }`;
export const CANCEL = `mutation($i: SleepoverDecisionInput!) { cancelSleepover(input: $i) { sleepover { ${SLEEPOVER_FIELDS} } ${ERRORS} } }`;
const NIGHT = 'date bedsTotal bedsBooked bedsFree blocked blockedReason';
export const BLOCK = `mutation($i: HubNightsInput!) { blockHubNights(input: $i) { availability { ${NIGHT} } ${ERRORS} } }`;
export const UNBLOCK = `mutation($i: HubNightsInput!) { unblockHubNights(input: $i) { availability { ${NIGHT} } ${ERRORS} } }`;
export const AVAILABILITY = `query($id: ID!, $from: Date!, $to: Date!) { node(id: $id) { ... on Constellation { availability(from: $from, to: $to) { ${NIGHT} } } } }`;

export interface Ask {
  k: string;
  children: string[];
  start: string;
  end: string;
  kind?: 'PLANNED' | 'EMERGENCY';
  notes?: string;
  coverReason?: string;
}

export function askInput(a: Ask) {
  return {
    constellationId: gid('Constellation', a.k),
    childIds: a.children.map((c) => gid('Child', c)),
    startDate: a.start,
    endDate: a.end,
    ...(a.kind ? { kind: a.kind } : {}),
    ...(a.notes !== undefined ? { notes: a.notes } : {}),
    ...(a.coverReason !== undefined ? { coverReason: a.coverReason } : {}),
  };
}

/** Sends requestSleepover; returns the payload (and fails the test on a top-level error). */
export async function ask(t: TestApp, token: string | null, a: Ask, headers?: Record<string, string>) {
  const r = await t.gql(REQUEST, { i: askInput(a) }, { token, headers });
  expect(r.errors).toBeUndefined();
  return r.data.requestSleepover as { sleepover: any; userErrors: { code: string; message: string; field: string[] }[] };
}

export async function decide(t: TestApp, token: string | null, verb: 'confirm' | 'decline' | 'cancel', sleepoverId: string, extra: { beds?: number[]; reason?: string } = {}) {
  const doc = verb === 'confirm' ? CONFIRM : verb === 'decline' ? DECLINE : CANCEL;
  const r = await t.gql(doc, { i: { sleepoverId, ...extra } }, { token });
  expect(r.errors).toBeUndefined();
  return r.data[`${verb}Sleepover`] as { sleepover: any; userErrors: { code: string; message: string; field: string[] }[] };
}

export async function availability(t: TestApp, token: string | null, k: string, from: string, to: string) {
  const r = await t.gql(AVAILABILITY, { id: gid('Constellation', k), from, to }, { token });
  expect(r.errors).toBeUndefined();
  return r.data.node.availability as { date: string; bedsTotal: number; bedsBooked: number; bedsFree: number; blocked: boolean; blockedReason: string | null }[];
}

/** Every bed claim of a constellation: what the database holds, for invariant checks. */
export async function claims(t: TestApp, k: string) {
  return t.fx.sql<{ bed: number; start_date: string; end_date: string; sleepover_id: string | null; child_id: string | null; is_block: boolean }>(
    `select bed, start_date, end_date, sleepover_id, child_id, is_block from bed_claim where constellation_id = $1 order by start_date, bed`,
    [k],
  );
}

export const codes = (p: { userErrors: { code: string }[] }) => p.userErrors.map((e) => e.code);
