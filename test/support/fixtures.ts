import { hashPassword } from '../../src/auth/passwords';
import { toGlobalId } from '../../src/platform/graphql/ids';
import type { App } from '../../src/platform/app';
import { addDays, todayLondon } from '../../src/platform/time';
import type { TestDb } from './db';
import { pastPlacementInsert } from '../../src/placements/past-placement';

/** Argon2 hash of "correct-horse-battery", computed once so fixtures don't pay for hashing. */
export const FIXTURE_PASSWORD = 'correct-horse-battery';
let fixtureHash: Promise<string> | null = null;
async function passwordHash(): Promise<string> {
  return (fixtureHash ??= hashPassword(FIXTURE_PASSWORD));
}

export const gid = toGlobalId;
export const day = (offset: number) => addDays(todayLondon(), offset);

let seq = 0;
const uniq = () => `${process.pid}-${Date.now().toString(36)}-${++seq}`;

/**
 * Builds data straight in the tables (fast, and independent of the API under test) and issues
 * tokens the way login does. Every builder returns database ids; use gid(Type, id) for the API.
 */
export class Fixtures {
  constructor(
    private readonly db: TestDb,
    private readonly app: App,
  ) {}

  sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    return this.db.sql<T>(text, params);
  }

  async organisation(name = 'Test Council'): Promise<string> {
    const [r] = await this.sql(`insert into organisation (name, kind) values ($1, 'LOCAL_AUTHORITY') returning id`, [name]);
    return r.id;
  }

  async user(org: string, role: string, opts: { name?: string; email?: string; active?: boolean } = {}): Promise<{ id: string; email: string; token: string }> {
    const email = opts.email ?? `${role.toLowerCase()}-${uniq()}@example.test`;
    const [r] = await this.sql(`insert into app_user (organisation_id, email, name, role, password_hash, active) values ($1, $2, $3, $4, $5, $6) returning id`, [
      org,
      email,
      opts.name ?? `${role} ${seq}`,
      role,
      await passwordHash(),
      opts.active ?? true,
    ]);
    return { id: r.id, email, token: await this.app.tokens.issue(r.id, org) };
  }

  async household(
    org: string,
    opts: { name?: string; status?: string; minAge?: number; maxAge?: number; maxChildren?: number; kinds?: string[]; approvedOn?: string | null; postcode?: string; kinship?: boolean } = {},
  ): Promise<string> {
    const approved = (opts.status ?? 'APPROVED') === 'APPROVED' || opts.status === 'TEMPORARILY_APPROVED';
    const [r] = await this.sql(
      `insert into household (organisation_id, name, postcode_district, is_kinship, status, approval_min_age, approval_max_age, approval_max_children, approval_kinds, approved_on)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [
        org,
        opts.name ?? `Household ${uniq()}`,
        opts.postcode ?? 'LS6',
        opts.kinship ?? false,
        opts.status ?? 'APPROVED',
        approved || opts.minAge != null ? (opts.minAge ?? 0) : null,
        approved || opts.minAge != null ? (opts.maxAge ?? 17) : null,
        approved || opts.minAge != null ? (opts.maxChildren ?? 3) : null,
        approved || opts.minAge != null ? (opts.kinds ?? ['SHORT_TERM', 'LONG_TERM', 'EMERGENCY', 'RESPITE']) : null,
        opts.approvedOn === undefined ? (approved ? day(-1000) : null) : opts.approvedOn,
      ],
    );
    return r.id;
  }

  async carer(org: string, household: string, opts: { name?: string; login?: boolean } = {}): Promise<{ carerId: string; userId: string | null; token: string | null }> {
    let user: { id: string; token: string } | null = null;
    if (opts.login ?? true) user = await this.user(org, 'CARER', { name: opts.name });
    const [r] = await this.sql(`insert into carer (organisation_id, household_id, name, user_id) values ($1, $2, $3, $4) returning id`, [
      org,
      household,
      opts.name ?? `Carer ${seq}`,
      user?.id ?? null,
    ]);
    return { carerId: r.id, userId: user?.id ?? null, token: user?.token ?? null };
  }

  async constellation(org: string, hub: string, opts: { name?: string; beds?: number; liaison?: string | null; status?: string; joinedOn?: string } = {}): Promise<string> {
    const [r] = await this.sql(`insert into constellation (organisation_id, name, status, liaison_worker_id, sleepover_beds) values ($1, $2, $3, $4, $5) returning id`, [
      org,
      opts.name ?? `Constellation ${uniq()}`,
      opts.status ?? 'ACTIVE',
      opts.liaison ?? null,
      opts.beds ?? 2,
    ]);
    await this.sql(`insert into hub_bed (constellation_id, bed, organisation_id) select $1, b, $2 from generate_series(1, $3::int) b`, [r.id, org, opts.beds ?? 2]);
    await this.sql(`insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on) values ($1, $2, $3, 'HUB', $4)`, [
      org,
      r.id,
      hub,
      opts.joinedOn ?? day(-500),
    ]);
    return r.id;
  }

  async member(org: string, constellation: string, household: string, joinedOn = day(-400), leftOn: string | null = null): Promise<string> {
    const [r] = await this.sql(
      `insert into constellation_membership (organisation_id, constellation_id, household_id, role, joined_on, left_on) values ($1, $2, $3, 'SATELLITE', $4, $5) returning id`,
      [org, constellation, household, joinedOn, leftOn],
    );
    return r.id;
  }

  /**
   * A child. Unless `consent` is null the child has a sleepover consent standing from long ago that
   * lets them share a room (`consent` names the room sharing), so sleepovers can be confirmed.
   */
  async child(org: string, opts: { firstName?: string; dob?: string; reference?: string; notes?: string | null; consent?: string | null } = {}): Promise<string> {
    const [r] = await this.sql(`insert into child (organisation_id, reference, first_name, date_of_birth, sleepover_notes) values ($1, $2, $3, $4, $5) returning id`, [
      org,
      opts.reference ?? `REF-${uniq()}`,
      opts.firstName ?? 'Alex',
      opts.dob ?? day(-9 * 365),
      opts.notes === undefined ? 'Needs a night light.' : opts.notes,
    ]);
    if (opts.consent !== null) {
      await this.sql(`insert into sleepover_consent (organisation_id, child_id, given_by, given_on, room_sharing) values ($1, $2, 'Test CSC', $3, $4)`, [
        org,
        r.id,
        day(-1000),
        opts.consent ?? 'OTHER_CHILDREN',
      ]);
    }
    return r.id;
  }

  async placement(
    org: string,
    child: string,
    household: string | null,
    start = day(-200),
    end: string | null = null,
    opts: { kind?: string; setting?: string; reason?: string; unplanned?: boolean; provider?: string } = {},
  ): Promise<string> {
    const [r] = await this.sql(...pastPlacementInsert({ organisationId: org, childId: child, householdId: household, start, end, ...opts }));
    return r.id;
  }

  async siblings(org: string, a: string, b: string): Promise<void> {
    await this.sql(`insert into child_sibling (child_id, sibling_id, organisation_id) values ($1, $2, $3), ($2, $1, $3)`, [a, b, org]);
  }

  /**
   * A typical world: an organisation with each kind of staff user, one constellation (hub + two
   * satellites, each with a logged-in carer and a placed child), an unattached household, and a
   * second constellation whose carer must not see the first's.
   */
  async world() {
    const org = await this.organisation();
    const admin = await this.user(org, 'ADMIN');
    const manager = await this.user(org, 'FOSTERING_MANAGER');
    const ssw = await this.user(org, 'SUPERVISING_SOCIAL_WORKER');
    const liaison = await this.user(org, 'LIAISON_WORKER');
    const otherLiaison = await this.user(org, 'LIAISON_WORKER');
    const hubHousehold = await this.household(org, { name: 'Hub Home', maxChildren: 2 });
    const satA = await this.household(org, { name: 'Alder House', postcode: 'LS7' });
    const satB = await this.household(org, { name: 'Birch House', postcode: 'LS8' });
    const lone = await this.household(org, { name: 'Cedar House', postcode: 'LS9' });
    const k = await this.constellation(org, hubHousehold, { name: 'Riverside', liaison: liaison.id });
    await this.member(org, k, satA);
    await this.member(org, k, satB);
    const hubCarer = await this.carer(org, hubHousehold, { name: 'Helen Hub' });
    const carerA = await this.carer(org, satA, { name: 'Ann Alder' });
    const carerB = await this.carer(org, satB, { name: 'Bob Birch' });
    const loneCarer = await this.carer(org, lone, { name: 'Cat Cedar' });
    const childA = await this.child(org, { firstName: 'Amy', dob: day(-10 * 365) });
    const childA2 = await this.child(org, { firstName: 'Ava', dob: day(-8 * 365) });
    const childB = await this.child(org, { firstName: 'Ben', dob: day(-7 * 365) });
    const childLone = await this.child(org, { firstName: 'Cal', dob: day(-12 * 365) });
    await this.siblings(org, childA, childA2);
    const placementA = await this.placement(org, childA, satA);
    await this.placement(org, childA2, satA);
    await this.placement(org, childB, satB);
    await this.placement(org, childLone, lone);
    // A second constellation, with its own carer.
    const hub2 = await this.household(org, { name: 'Hill Hub' });
    const sat2 = await this.household(org, { name: 'Hill Side', postcode: 'BD1' });
    const k2 = await this.constellation(org, hub2, { name: 'Hillside', liaison: otherLiaison.id });
    await this.member(org, k2, sat2);
    const carer2 = await this.carer(org, sat2, { name: 'Dee Hill' });
    // Another organisation entirely.
    const org2 = await this.organisation('Other Agency');
    const foreignAdmin = await this.user(org2, 'ADMIN');
    const foreignHousehold = await this.household(org2, { name: 'Foreign House' });
    const foreignChild = await this.child(org2, { firstName: 'Fay' });
    return {
      org,
      admin,
      manager,
      ssw,
      liaison,
      otherLiaison,
      hubHousehold,
      satA,
      satB,
      lone,
      k,
      hubCarer,
      carerA,
      carerB,
      loneCarer,
      childA,
      childA2,
      childB,
      childLone,
      placementA,
      hub2,
      sat2,
      k2,
      carer2,
      org2,
      foreignAdmin,
      foreignHousehold,
      foreignChild,
    };
  }
}
