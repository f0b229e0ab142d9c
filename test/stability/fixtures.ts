import crypto from 'node:crypto';
import { sql } from '../../src/platform/db/sql';
import { childStability, constellationStabilityReports, stabilityReport, type StabilityScope } from '../../src/stability/stability.service';
import type { TestDb } from '../support/db';
import type { RefData, RefMembership, RefPlacement, RefSleepover } from './reference';

export interface PlacementSpec {
  /** A household of the organisation; omit for a placement elsewhere. */
  household?: string;
  setting?: string;
  provider?: string | null;
  kind?: string;
  start: string;
  end?: string | null;
  reason?: string;
  unplanned?: boolean;
}

/**
 * One organisation's data, built in memory, written with a few multi-row INSERTs by flush(), and
 * mirrored as RefData for the reference computation. Ids are made here so building is synchronous.
 */
export class Fixture {
  readonly data: RefData = { children: [], placements: [], households: [], memberships: [], sleepovers: [] };
  private pending: { table: string; row: Record<string, unknown> }[] = [];

  private constructor(
    readonly db: TestDb,
    readonly orgId: string,
  ) {}

  static async create(db: TestDb, name = 'Fostering service'): Promise<Fixture> {
    const [org] = await db.sql(`insert into organisation (name, kind) values ($1, 'LOCAL_AUTHORITY') returning id`, [name]);
    return new Fixture(db, org.id);
  }

  private add(table: string, row: Record<string, unknown>): string {
    const id = (row.id as string | undefined) ?? crypto.randomUUID();
    this.pending.push({ table, row: { id, organisation_id: this.orgId, ...row } });
    return id;
  }

  household(opts: { approvedOn?: string | null; deregisteredOn?: string | null; kinship?: boolean } = {}): string {
    const approvedOn = opts.approvedOn === undefined ? '2000-01-01' : opts.approvedOn;
    const deregisteredOn = opts.deregisteredOn ?? null;
    const status = deregisteredOn ? 'DEREGISTERED' : approvedOn ? 'APPROVED' : 'IN_ASSESSMENT';
    const id = this.add('household', {
      name: `Household ${this.data.households.length + 1}`,
      postcode_district: 'LS6',
      is_kinship: opts.kinship ?? false,
      status,
      approved_on: approvedOn,
      deregistered_on: deregisteredOn,
    });
    this.data.households.push({ id, approvedOn, deregisteredOn });
    return id;
  }

  constellation(): string {
    return this.add('constellation', { name: 'Constellation', status: 'ACTIVE', sleepover_beds: 2 });
  }

  member(constellationId: string, householdId: string, role: 'HUB' | 'SATELLITE', joinedOn: string, leftOn: string | null = null): void {
    this.add('constellation_membership', {
      constellation_id: constellationId,
      household_id: householdId,
      role,
      joined_on: joinedOn,
      left_on: leftOn,
    });
    const m: RefMembership = { constellationId, householdId, role, joinedOn, leftOn };
    this.data.memberships.push(m);
  }

  child(dateOfBirth = '2012-06-15'): string {
    const n = this.data.children.length + 1;
    const id = this.add('child', { reference: `C${n}`, first_name: `Child ${n}`, date_of_birth: dateOfBirth });
    this.data.children.push({ id, dateOfBirth });
    return id;
  }

  placement(childId: string, spec: PlacementSpec): void {
    const end = spec.end ?? null;
    const householdId = spec.household ?? null;
    const setting = spec.setting ?? (householdId ? 'FOSTER_HOUSEHOLD' : 'OTHER_FOSTERING_PROVIDER');
    const unplanned = end === null ? null : (spec.unplanned ?? false);
    const p: RefPlacement = {
      childId,
      householdId,
      setting,
      providerName: spec.provider ?? null,
      kind: spec.kind ?? 'LONG_TERM',
      start: spec.start,
      end,
      unplanned,
    };
    this.add('placement', {
      child_id: childId,
      household_id: householdId,
      setting,
      provider_name: p.providerName,
      kind: p.kind,
      start_date: p.start,
      end_date: end,
      end_reason: end === null ? null : (spec.reason ?? (unplanned ? 'CREQB' : 'CARPL')),
      unplanned,
    });
    this.data.placements.push(p);
  }

  /** Children as ids (the sleepover's nights) or with their own nights and active flag. */
  sleepover(
    constellationId: string,
    householdId: string,
    status: RefSleepover['status'],
    start: string,
    end: string,
    children: (string | { childId: string; start?: string; end?: string; active?: boolean })[],
  ): void {
    const sleepoverId = this.add('sleepover', {
      constellation_id: constellationId,
      household_id: householdId,
      kind: 'PLANNED',
      status,
      start_date: start,
      end_date: end,
    });
    const defaultActive = status === 'REQUESTED' || status === 'CONFIRMED';
    const rows = children.map((c) =>
      typeof c === 'string' ? { childId: c, start, end, active: defaultActive } : { childId: c.childId, start: c.start ?? start, end: c.end ?? end, active: c.active ?? defaultActive },
    );
    for (const r of rows) {
      this.pending.push({
        table: 'sleepover_child',
        row: {
          sleepover_id: sleepoverId,
          child_id: r.childId,
          organisation_id: this.orgId,
          start_date: r.start,
          end_date: r.end,
          active: r.active,
          bed: null,
        },
      });
    }
    this.data.sleepovers.push({ constellationId, status, start, end, children: rows });
  }

  /** Writes everything built so far: one multi-row INSERT per table, in foreign-key order, one commit. */
  async flush(): Promise<void> {
    const order = ['household', 'constellation', 'constellation_membership', 'child', 'placement', 'sleepover', 'sleepover_child'];
    const pending = this.pending;
    this.pending = [];
    await this.db.orm.em.fork().transactional(async (em) => {
      for (const table of order) {
        const rows = pending.filter((p) => p.table === table).map((p) => p.row);
        if (rows.length === 0) continue;
        const cols = Object.keys(rows[0]);
        const params: unknown[] = [];
        const tuples = rows.map(
          (r) =>
            `(${cols
              .map((c) => {
                params.push(r[c]);
                return `$${params.length}`;
              })
              .join(', ')})`,
        );
        await sql(em, `insert into ${table} (${cols.join(', ')}) values ${tuples.join(', ')}`, params);
      }
    });
  }

  async report(scope: StabilityScope, from: string, to: string) {
    if (this.pending.length) await this.flush();
    return stabilityReport(this.db.orm.em.fork(), { organisationId: this.orgId, scope, from, to });
  }

  /** The CONSTELLATION report of several constellations in one statement. */
  async constellationReports(constellationIds: string[], from: string, to: string) {
    if (this.pending.length) await this.flush();
    return constellationStabilityReports(this.db.orm.em.fork(), { organisationId: this.orgId, constellationIds, from, to });
  }

  async childStability(childIds: string[], today: string) {
    if (this.pending.length) await this.flush();
    return childStability(this.db.orm.em.fork(), this.orgId, childIds, today);
  }
}

export const ORG: StabilityScope = { kind: 'ORGANISATION' };
export const NONE: StabilityScope = { kind: 'NO_CONSTELLATION' };
export const IN = (constellationId: string): StabilityScope => ({ kind: 'CONSTELLATION', constellationId });
