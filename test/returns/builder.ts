import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { sql } from '../../src/platform/db/sql';
import { constellationReturns, type ReturnFigures } from '../../src/returns/returns.service';
import type { TestDb } from '../support/db';

/** Everything the return reads, as plain data: written by Builder, computed from by the reference. */
export interface RData {
  households: { id: string; approvedOn: string | null; deregisteredOn: string | null; reason: string | null }[];
  constellations: { id: string; beds: number; launchedOn: string | null }[];
  memberships: { constellationId: string; householdId: string; role: 'HUB' | 'SATELLITE'; joinedOn: string; leftOn: string | null }[];
  children: { id: string }[];
  placements: { childId: string; householdId: string | null; kind: string; start: string; end: string | null; unplanned: boolean | null }[];
  siblings: [string, string][];
  sleepovers: { id: string; constellationId: string; householdId: string; kind: string; status: string; createdAt: string; start: string; end: string; children: string[] }[];
  blocks: { constellationId: string; start: string; end: string }[];
  carers: { id: string; householdId: string }[];
  sessions: { id: string; constellationId: string; startsAt: string; status: string }[];
  rsvps: { sessionId: string; carerId: string; status: string }[];
  entries: {
    id: string;
    constellationId: string;
    householdId: string;
    childId: string | null;
    at: string;
    outOfHours: boolean;
    atRisk: boolean;
    wouldHaveEnded: boolean;
    wouldHaveResigned: boolean;
    safeguarding: boolean;
    amendsId: string | null;
    recordedInError: boolean;
  }[];
  bookings: { id: string; constellationId: string; purpose: string; status: string; startsAt: string; outcome: string | null; children: string[] }[];
}

export const londonDay = (instant: string) => DateTime.fromISO(instant, { zone: 'Europe/London' }).toISODate()!;

type Pending = { table: string; row: Record<string, unknown> };

/**
 * One organisation's data, built synchronously in memory (ids made here), written by flush() in
 * foreign-key order, and mirrored as RData for the reference.
 */
export class Builder {
  readonly data: RData = {
    households: [],
    constellations: [],
    memberships: [],
    children: [],
    placements: [],
    siblings: [],
    sleepovers: [],
    blocks: [],
    carers: [],
    sessions: [],
    rsvps: [],
    entries: [],
    bookings: [],
  };
  private pending: Pending[] = [];

  private constructor(
    readonly db: TestDb,
    readonly orgId: string,
  ) {}

  static async create(db: TestDb): Promise<Builder> {
    const [org] = await db.sql(`insert into organisation (name, kind) values ('Fostering service', 'LOCAL_AUTHORITY') returning id`);
    return new Builder(db, org.id);
  }

  private add(table: string, row: Record<string, unknown>, id: string | null = crypto.randomUUID()): string {
    this.pending.push({ table, row: { ...(id ? { id } : {}), organisation_id: this.orgId, ...row } });
    return id ?? '';
  }

  household(o: { approvedOn?: string | null; deregisteredOn?: string | null; reason?: string | null } = {}): string {
    const approvedOn = o.approvedOn === undefined ? '2020-01-01' : o.approvedOn;
    const deregisteredOn = o.deregisteredOn ?? null;
    const reason = deregisteredOn ? (o.reason === undefined ? 'RETIREMENT' : o.reason) : null;
    const id = this.add('household', {
      name: `H${this.data.households.length + 1}`,
      postcode_district: 'LS6',
      status: deregisteredOn ? 'DEREGISTERED' : approvedOn ? 'APPROVED' : 'IN_ASSESSMENT',
      approved_on: approvedOn,
      deregistered_on: deregisteredOn,
      deregistration_reason: reason,
    });
    this.data.households.push({ id, approvedOn, deregisteredOn, reason });
    return id;
  }

  constellation(o: { beds?: number; launchedOn?: string | null; name?: string } = {}): string {
    const beds = o.beds ?? 2;
    const id = this.add('constellation', { name: o.name ?? `K${this.data.constellations.length + 1}`, status: 'ACTIVE', sleepover_beds: beds, launched_on: o.launchedOn ?? null });
    for (let b = 1; b <= beds; b++) this.add('hub_bed', { constellation_id: id, bed: b }, null);
    this.data.constellations.push({ id, beds, launchedOn: o.launchedOn ?? null });
    return id;
  }

  member(constellationId: string, householdId: string, role: 'HUB' | 'SATELLITE', joinedOn: string, leftOn: string | null = null): void {
    this.add('constellation_membership', { constellation_id: constellationId, household_id: householdId, role, joined_on: joinedOn, left_on: leftOn });
    this.data.memberships.push({ constellationId, householdId, role, joinedOn, leftOn });
  }

  child(): string {
    const n = this.data.children.length + 1;
    const id = this.add('child', { reference: `C${n}-${crypto.randomUUID().slice(0, 8)}`, first_name: `Child ${n}`, date_of_birth: '2014-06-15' });
    this.data.children.push({ id });
    return id;
  }

  placement(childId: string, householdId: string | null, start: string, end: string | null = null, o: { unplanned?: boolean; kind?: string; reason?: string } = {}): void {
    const unplanned = end ? (o.unplanned ?? false) : null;
    this.add('placement', {
      child_id: childId,
      household_id: householdId,
      setting: householdId ? 'FOSTER_HOUSEHOLD' : 'RESIDENTIAL',
      kind: o.kind ?? 'LONG_TERM',
      start_date: start,
      end_date: end,
      end_reason: end ? (o.reason ?? 'CARPL') : null,
      unplanned,
    });
    this.data.placements.push({ childId, householdId, kind: o.kind ?? 'LONG_TERM', start, end, unplanned });
  }

  sibling(a: string, b: string): void {
    this.add('child_sibling', { child_id: a, sibling_id: b }, null);
    this.add('child_sibling', { child_id: b, sibling_id: a }, null);
    this.data.siblings.push([a, b], [b, a]);
  }

  sleepover(constellationId: string, householdId: string, o: { kind?: string; status: string; createdAt: string; start: string; end: string; children: string[] }): string {
    const id = this.add('sleepover', {
      constellation_id: constellationId,
      household_id: householdId,
      kind: o.kind ?? 'PLANNED',
      status: o.status,
      start_date: o.start,
      end_date: o.end,
      created_at: o.createdAt,
    });
    for (const c of o.children) this.add('sleepover_child', { sleepover_id: id, child_id: c, start_date: o.start, end_date: o.end, active: true }, null);
    this.data.sleepovers.push({ id, constellationId, householdId, kind: o.kind ?? 'PLANNED', ...o });
    return id;
  }

  block(constellationId: string, start: string, end: string): void {
    const k = this.data.constellations.find((c) => c.id === constellationId)!;
    for (let b = 1; b <= k.beds; b++) this.add('bed_claim', { constellation_id: constellationId, bed: b, start_date: start, end_date: end, is_block: true });
    this.data.blocks.push({ constellationId, start, end });
  }

  carer(householdId: string): string {
    const id = this.add('carer', { household_id: householdId, name: `Carer ${this.data.carers.length + 1}` });
    this.data.carers.push({ id, householdId });
    return id;
  }

  session(constellationId: string, startsAt: string, status: 'SCHEDULED' | 'CANCELLED' = 'SCHEDULED'): string {
    const ends = new Date(Date.parse(startsAt) + 3600_000).toISOString();
    const id = this.add('peer_support_session', { constellation_id: constellationId, kind: 'SUPPORT_GROUP', title: 'Group', starts_at: startsAt, ends_at: ends, status });
    this.data.sessions.push({ id, constellationId, startsAt, status });
    return id;
  }

  rsvp(sessionId: string, carerId: string, status: 'ATTENDED' | 'NO_SHOW' | 'NOT_GOING'): void {
    this.add('session_rsvp', { session_id: sessionId, carer_id: carerId, status }, null);
    this.data.rsvps.push({ sessionId, carerId, status });
  }

  entry(
    constellationId: string,
    householdId: string,
    at: string,
    o: {
      child?: string | null;
      outOfHours?: boolean;
      atRisk?: boolean;
      wouldHaveEnded?: boolean;
      wouldHaveResigned?: boolean;
      safeguarding?: boolean;
      amends?: string | null;
      recordedInError?: boolean;
    } = {},
  ): string {
    const e = {
      id: crypto.randomUUID(),
      constellationId,
      householdId,
      childId: o.child ?? null,
      at,
      outOfHours: o.outOfHours ?? false,
      atRisk: o.atRisk ?? false,
      wouldHaveEnded: o.wouldHaveEnded ?? false,
      wouldHaveResigned: o.wouldHaveResigned ?? false,
      safeguarding: o.safeguarding ?? false,
      amendsId: o.amends ?? null,
      recordedInError: o.recordedInError ?? false,
    };
    this.add(
      'support_log_entry',
      {
        constellation_id: constellationId,
        household_id: householdId,
        child_id: e.childId,
        at,
        channel: 'PHONE_OR_MESSAGE',
        out_of_hours: e.outOfHours,
        topics: '{OTHER}',
        summary: 'Support',
        placement_at_risk: e.atRisk,
        would_have_ended: e.wouldHaveEnded,
        would_have_resigned: e.wouldHaveResigned,
        safeguarding: e.safeguarding,
        chain_safeguarding: e.safeguarding,
        escalated_to: e.safeguarding ? 'Duty desk' : null,
        escalated_at: e.safeguarding ? at : null,
        amends_id: e.amendsId,
        root_id: e.id,
        recorded_in_error: e.recordedInError,
      },
      e.id,
    );
    this.data.entries.push(e);
    return e.id;
  }

  /** A booking of an hour at the constellation's hub (confirmed bookings of one hub must not overlap). */
  booking(constellationId: string, o: { purpose: string; status: string; startsAt: string; outcome?: string | null; children: string[] }): string {
    const ends = new Date(Date.parse(o.startsAt) + 3600_000).toISOString();
    const id = this.add('hub_booking', {
      constellation_id: constellationId,
      purpose: o.purpose,
      status: o.status,
      starts_at: o.startsAt,
      ends_at: ends,
      london_day: londonDay(o.startsAt),
      supervisor: o.purpose === 'FAMILY_TIME' ? 'Contact worker' : null,
      outcome: o.outcome ?? null,
    });
    for (const c of o.children) this.add('hub_booking_child', { booking_id: id, child_id: c }, null);
    this.data.bookings.push({ id, constellationId, purpose: o.purpose, status: o.status, startsAt: o.startsAt, outcome: o.outcome ?? null, children: o.children });
    return id;
  }

  /** Writes what was built: a multi-row INSERT per table in foreign-key order (support entries one by one: each correction reads the version it amends). */
  async flush(): Promise<void> {
    const order = [
      'household',
      'constellation',
      'hub_bed',
      'constellation_membership',
      'child',
      'child_sibling',
      'placement',
      'sleepover',
      'sleepover_child',
      'bed_claim',
      'carer',
      'peer_support_session',
      'session_rsvp',
      'support_log_entry',
      'hub_booking',
      'hub_booking_child',
    ];
    const pending = this.pending;
    this.pending = [];
    await this.db.orm.em.fork().transactional(async (em) => {
      for (const table of order) {
        const all = pending.filter((p) => p.table === table).map((p) => p.row);
        const batches = table === 'support_log_entry' ? all.map((r) => [r]) : all.length ? [all] : [];
        for (const rows of batches) {
          const cols = Object.keys(rows[0]);
          const params: unknown[] = [];
          const tuples = rows.map((r) => `(${cols.map((c) => (params.push(r[c]), `$${params.length}`)).join(', ')})`);
          await sql(em as any, `insert into ${table} (${cols.join(', ')}) values ${tuples.join(', ')}`, params);
        }
      }
    });
  }

  async returns(o: { from: string; to: string; today: string; now?: string; comparison?: boolean; constellations?: string[] }): Promise<ReturnFigures[]> {
    if (this.pending.length) await this.flush();
    return constellationReturns(this.db.orm.em.fork(), {
      organisationId: this.orgId,
      constellationIds: o.constellations ?? this.data.constellations.map((k) => k.id),
      comparison: o.comparison ?? true,
      from: o.from,
      to: o.to,
      now: new Date(o.now ?? `${o.today}T12:00:00Z`),
      today: o.today,
    });
  }
}
