import { DateTime } from 'luxon';
import type { TestApp } from '../support/app';
import { gid } from '../support/fixtures';

export const ENTRY = `id at channel outOfHours topics summary action followUpOn placementAtRisk wouldHaveEnded wouldHaveResigned
  safeguarding escalatedTo escalatedAt recordedInError createdAt
  constellation { id } household { id name } child { id firstName } recordedBy { id }
  amends { id } amendedBy { id }`;
export const RECORD = `mutation($i: RecordSupportInput!) { recordSupport(input: $i) { entry { ${ENTRY} } userErrors { code message field } } }`;
export const HOUSEHOLD_LOG = `query($id: ID!) { node(id: $id) { ... on Household { supportLog(first: 50) { totalCount edges { node { id summary safeguarding recordedInError } } } } } }`;
export const CONSTELLATION_LOG = `query($id: ID!, $f: SupportLogFilter) { node(id: $id) { ... on Constellation { supportLog(first: 50, filter: $f) { totalCount edges { node { id summary safeguarding recordedInError followUpOn } } } } } }`;

/** A London wall-clock time `weeksAgo` weeks back on the given weekday (1 = Monday), as an ISO instant. */
export function londonAt(weekday: number, hour: number, minute = 0, weeksAgo = 2): string {
  const base = DateTime.now().setZone('Europe/London').startOf('day').minus({ weeks: weeksAgo });
  const d = base.plus({ days: (weekday - base.weekday + 7) % 7 }).set({ hour, minute });
  return d.toUTC().toISO()!;
}

export interface SupportFx {
  k: string;
  household: string;
  child?: string | null;
  at?: string;
  channel?: string;
  topics?: string[];
  summary?: string;
  [extra: string]: unknown;
}

export function supportInput(f: SupportFx) {
  const { k, household, child, at, channel, topics, summary, ...rest } = f;
  return {
    constellationId: gid('Constellation', k),
    householdId: gid('Household', household),
    ...(child ? { childId: gid('Child', child) } : {}),
    at: at ?? londonAt(2, 10),
    channel: channel ?? 'PHONE_OR_MESSAGE',
    topics: topics ?? ['BEHAVIOUR'],
    summary: summary ?? 'Talked through bedtime.',
    ...rest,
  };
}

export async function record(t: TestApp, token: string | null, f: SupportFx) {
  const r = await t.gql(RECORD, { i: supportInput(f) }, { token });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.recordSupport as { entry: any; userErrors: { code: string; message: string; field: string[] }[] };
}

export async function recordOk(t: TestApp, token: string | null, f: SupportFx) {
  const p = await record(t, token, f);
  if (p.userErrors.length) throw new Error(JSON.stringify(p.userErrors));
  return p.entry;
}
