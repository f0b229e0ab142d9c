import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../src/platform/db/sql';

/**
 * Deterministic synthetic data at the sizes of DESIGN.md's Budgets ("national"), or a small data
 * set of the same shape ("demo"): organisations, households (kinship ones too) with carers,
 * constellations with hub beds and membership history, children with sibling pairs, six years of
 * placements, and sleepovers with their children. The same seed and asOf give the same rows, ids
 * included. Sessions, users and bed claims are not generated.
 *
 * The shapes are the ones the stability figures are sensitive to: placements of very different
 * lengths (about one child in ten with three or more placements in a year), status changes with the
 * same carer, RESPITE placements, placements outside the organisation's households, gaps in care,
 * households approved and deregistered over the years, households joining and leaving
 * constellations, hub changes and closed constellations. Every database constraint holds: a
 * child's placements and active sleepovers never overlap, a household is in one constellation at a
 * time, a constellation has one hub at a time, a confirmed sleepover's children have distinct free
 * beds.
 *
 * Rows are built in memory and written with multi-row `insert ... select from unnest(...)`
 * batches, one array parameter per column.
 */

export type Scale = 'national' | 'demo';

export interface GenerateOptions {
  scale: Scale;
  seed: number;
  /** The data set's "today": placements still running then are open. Fixed so runs are reproducible. */
  asOf?: string;
  /** Progress messages. */
  log?: (message: string) => void;
}

export interface GeneratedCounts {
  organisations: number;
  households: number;
  carers: number;
  constellations: number;
  hubBeds: number;
  memberships: number;
  children: number;
  siblingLinks: number;
  placements: number;
  sleepovers: number;
  sleepoverChildren: number;
  childNeeds: number;
  householdSkills: number;
  supportLogEntries: number;
  hubBookings: number;
}

/** What the generator needs from a connection: pg's `client.query` shape. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

const SIZES: Record<Scale, { organisations: number; households: number; children: number; constellations: number; sleepovers: number }> = {
  national: { organisations: 150, households: 45_000, children: 60_000, constellations: 1_000, sleepovers: 300_000 },
  demo: { organisations: 2, households: 300, children: 400, constellations: 7, sleepovers: 2_000 },
};

export const DEFAULT_AS_OF = '2026-11-01';
const YEARS_OF_HISTORY = 6;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a tiny 32-bit PRNG; plenty for synthetic data and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
  /** A version-4 UUID drawn from this generator, so ids are reproducible too. */
  uuid(): string {
    const h = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    const a = h(this.next() * 2 ** 32);
    const b = h(this.next() * 2 ** 32);
    const c = h(this.next() * 2 ** 32);
    const d = h(this.next() * 2 ** 32);
    const variant = ((parseInt(c[0], 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates as day numbers (days since 1970-01-01), converted to YYYY-MM-DD only when written.

const DAY_MS = 86_400_000;
function dayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}
const isoCache = new Map<number, string>();
function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
/** The day a child born on `dob` turns `years` (a 29 February birthday falls on 1 March). */
function birthday(dob: number, years: number): number {
  const d = new Date(dob * DAY_MS);
  // Date.UTC(y, 1, 29) in a common year is 1 March already: the UK rule.
  return Date.UTC(d.getUTCFullYear() + years, d.getUTCMonth(), d.getUTCDate()) / DAY_MS;
}

// ---------------------------------------------------------------------------------------------
// Column buffers written with unnest

type ColType = 'uuid' | 'text' | 'date' | 'int' | 'bool' | 'timestamptz';

class Table {
  readonly cols: string[];
  readonly types: ColType[];
  readonly data: Cell[][];
  constructor(
    readonly name: string,
    spec: [string, ColType][],
    /** Extra expressions per column in the select (e.g. string_to_array); defaults to the column. */
    readonly selectExpr: Record<string, string> = {},
  ) {
    this.cols = spec.map(([c]) => c);
    this.types = spec.map(([, t]) => t);
    this.data = spec.map(() => []);
  }
  get length(): number {
    return this.data[0].length;
  }
  push(...values: Cell[]): void {
    if (values.length !== this.cols.length) throw new Error(`${this.name}: ${values.length} values for ${this.cols.length} columns`);
    for (let i = 0; i < values.length; i++) this.data[i].push(values[i]);
  }
}

/** A value of one column of a batch: what generate() writes (dates and times as text). */
type Cell = string | number | boolean | null | undefined;

/** A PostgreSQL array literal for one column of a batch (strings are quoted and escaped). */
function arrayLiteral(values: Cell[], type: ColType): string {
  const parts = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (type === 'bool') return v ? 't' : 'f';
    if (type === 'text' || type === 'timestamptz') return `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    return String(v);
  });
  return `{${parts.join(',')}}`;
}

type Exec = (text: string, params: unknown[]) => Promise<unknown>;

async function writeTable(exec: Exec, t: Table, batch: number): Promise<void> {
  const casts = t.types.map((ty, i) => `$${i + 1}::${ty === 'int' ? 'int' : ty}[]`);
  const select = t.cols.map((c) => t.selectExpr[c] ?? c).join(', ');
  const text = `insert into ${t.name} (${t.cols.join(', ')})
    select ${select} from unnest(${casts.join(', ')}) as u(${t.cols.join(', ')})`;
  for (let start = 0; start < t.length; start += batch) {
    const params = t.data.map((col, i) => arrayLiteral(col.slice(start, start + batch), t.types[i]));
    await exec(text, params);
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const SURNAMES = [
  'Ahmed',
  'Bailey',
  'Campbell',
  'Davies',
  'Evans',
  'Fletcher',
  'Green',
  'Hughes',
  'Iqbal',
  'Jones',
  'Kaur',
  'Lewis',
  'Morgan',
  'Nowak',
  'Okafor',
  'Patel',
  'Quinn',
  'Roberts',
  'Singh',
  'Taylor',
  'Usman',
  'Vaughan',
  'Walker',
  'Xu',
  'Young',
  'Zielinski',
  "O'Brien",
  'Mensah',
  'Hussain',
  'Wright',
];
const FIRST_NAMES = [
  'Aisha',
  'Ben',
  'Chloe',
  'Daniel',
  'Ella',
  'Finn',
  'Grace',
  'Harry',
  'Isla',
  'Jack',
  'Kai',
  'Leah',
  'Mohammed',
  'Nia',
  'Oscar',
  'Poppy',
  'Reuben',
  'Sofia',
  'Tyler',
  'Amelia',
  'Zara',
  'Leo',
  'Maya',
  'Noah',
  'Ruby',
  'Theo',
  'Ivy',
  'Yusuf',
  'Lily',
  'Kacper',
];
const PLACES = [
  'Northshire',
  'Easton',
  'Westmere',
  'Southvale',
  'Riverbank',
  'Highmoor',
  'Lowdale',
  'Kingsbridge',
  'Ashford',
  'Brookfield',
  'Claymore',
  'Dunmore',
  'Elmstead',
  'Fairhaven',
  'Greenholt',
];
const PROVIDERS = ['Harbour Foster Care', 'Northern Lights Fostering', 'Keystone Families', 'Bluebell Fostering', 'Anchor Care Partnership'];
const HOMES = ['Oak House', 'Willow Lodge', 'The Beeches', 'Cedar View', 'Maple Court'];
const SUPPORTED = ['Step Forward Housing', 'Next Chapter Supported Living'];
const KINDS_ALL = 'EMERGENCY,SHORT_TERM,LONG_TERM,RESPITE';
const DEREGISTRATION_REASONS = [
  ['RETIREMENT', 3],
  ['PERSONAL_CIRCUMSTANCES', 4],
  ['DISSATISFIED_WITH_SERVICE', 1],
  ['TRANSFERRED_TO_ANOTHER_PROVIDER', 1],
  ['BECAME_ADOPTERS_OR_GUARDIANS', 1],
  ['APPROVAL_TERMINATED', 0.5],
  ['OTHER', 0.5],
] as const;
// Why placements end when the child moves on; the flag is the unplanned share.
const MOVE_REASONS = [
  ['CARPL', 45, 0],
  ['CREQB', 14, 1],
  ['CREQO', 9, 1],
  ['CHILD', 5, 0.7],
  ['LAREQ', 9, 0.2],
  ['STAND', 5, 1],
  ['ALLEG', 2, 1],
  ['OTHER', 11, 0.3],
] as const;
const LEAVING_REASONS = [
  ['LEFT_CARE', 60, 0.05],
  ['CLOSE', 25, 0],
  ['APPRR', 10, 0],
  ['CUSTOD', 5, 1],
] as const;

// Needs and skills, by area: what care plans and assessments record most often comes first.
const NEED_AREAS = [
  ['EMOTIONAL_WELLBEING', 6, ['attachment difficulties', 'trauma-informed care', 'anxiety at night']],
  ['BEHAVIOUR', 5, ['needs a calm home', 'violent outbursts', 'sexualised behaviour']],
  ['EDUCATION', 4, ['EHCP in place', 'dyslexia support', 'not attending school']],
  ['MEDICAL', 3, ['epilepsy', 'type 1 diabetes', 'asthma']],
  ['DISABILITY', 2, ['wheelchair user', 'autism', 'learning disability']],
  ['EXPLOITATION_RISK', 2, ['county lines', 'goes missing', 'online exploitation']],
  ['LANGUAGE', 1, ['Polish speaker', 'Arabic speaker', 'British Sign Language']],
  ['RELIGION_AND_CULTURE', 1, ['halal diet', 'practising Catholic', 'Sikh family']],
  ['OTHER', 1, [null, 'pets at home not possible']],
] as const;
const SKILL_DETAILS: Record<string, readonly (string | null)[]> = {
  EMOTIONAL_WELLBEING: ['therapeutic parenting training', null],
  BEHAVIOUR: ['PACE trained', 'experienced with teenagers', null],
  EDUCATION: ['former teacher', null],
  MEDICAL: ['nurse in the household', 'rescue medication training', null],
  DISABILITY: ['wheelchair-accessible ground floor', 'autism training', null],
  EXPLOITATION_RISK: ['county lines awareness training', null],
  LANGUAGE: ['speaks Polish', 'speaks Arabic', 'BSL level 2'],
  RELIGION_AND_CULTURE: ['Muslim household', 'Catholic household', 'Sikh household'],
  OTHER: [null],
};
/** Shares of the national data set with needs (children) and skills and bedrooms (households). */
const CHILDREN_WITH_NEEDS = 0.3;
const HOUSEHOLDS_WITH_SKILLS = 0.6;

// ---------------------------------------------------------------------------------------------
// Model

interface Household {
  id: string;
  orgIndex: number;
  approvedOn: number | null;
  deregisteredOn: number | null;
  kinship: boolean;
  minAge: number;
  maxAge: number;
  /** Placements with this household: [childId, start, end or +Infinity]. */
  placements: [string, number, number][];
  maxChildren: number;
  /** Taken by a constellation (each household joins at most one in this data set). */
  taken: boolean;
  /** Hubs keep their beds for sleepovers: no placements with them. */
  hub: boolean;
}

interface Membership {
  household: Household;
  joined: number;
  left: number | null;
}

/** Split `total` over weights with largest remainders, so the parts add up exactly. */
function apportion(total: number, weights: number[], minimum = 0): number[] {
  const free = total - minimum * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (free * w) / sum);
  const parts = raw.map((r) => Math.floor(r) + minimum);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k][1]]++;
  return parts;
}

/** The tables the generator fills: each one's columns, and select expressions other than the column itself. */
const TABLE_SPECS = {
  organisation: {
    name: 'organisation',
    columns: [
      ['id', 'uuid'],
      ['name', 'text'],
      ['kind', 'text'],
    ],
  },
  household: {
    name: 'household',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['name', 'text'],
      ['postcode_district', 'text'],
      ['is_kinship', 'bool'],
      ['status', 'text'],
      ['approval_min_age', 'int'],
      ['approval_max_age', 'int'],
      ['approval_max_children', 'int'],
      ['approval_kinds', 'text'],
      ['approved_on', 'date'],
      ['deregistered_on', 'date'],
      ['deregistration_reason', 'text'],
      ['bedrooms', 'int'],
    ],
    select: { approval_kinds: `string_to_array(approval_kinds, ',')` },
  },
  carer: {
    name: 'carer',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['household_id', 'uuid'],
      ['name', 'text'],
    ],
  },
  constellation: {
    name: 'constellation',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['name', 'text'],
      ['status', 'text'],
      ['launched_on', 'date'],
      ['sleepover_beds', 'int'],
    ],
  },
  hubBed: {
    name: 'hub_bed',
    columns: [
      ['constellation_id', 'uuid'],
      ['bed', 'int'],
      ['organisation_id', 'uuid'],
    ],
  },
  membership: {
    name: 'constellation_membership',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['constellation_id', 'uuid'],
      ['household_id', 'uuid'],
      ['role', 'text'],
      ['joined_on', 'date'],
      ['left_on', 'date'],
    ],
  },
  child: {
    name: 'child',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['reference', 'text'],
      ['first_name', 'text'],
      ['date_of_birth', 'date'],
    ],
  },
  sibling: {
    name: 'child_sibling',
    columns: [
      ['child_id', 'uuid'],
      ['sibling_id', 'uuid'],
      ['organisation_id', 'uuid'],
    ],
  },
  placement: {
    name: 'placement',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['child_id', 'uuid'],
      ['household_id', 'uuid'],
      ['setting', 'text'],
      ['provider_name', 'text'],
      ['kind', 'text'],
      ['start_date', 'date'],
      ['end_date', 'date'],
      ['end_reason', 'text'],
      ['unplanned', 'bool'],
    ],
  },
  sleepover: {
    name: 'sleepover',
    columns: [
      ['id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['constellation_id', 'uuid'],
      ['household_id', 'uuid'],
      ['kind', 'text'],
      ['status', 'text'],
      ['start_date', 'date'],
      ['end_date', 'date'],
      ['decision_reason', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
  },
  sleepoverChild: {
    name: 'sleepover_child',
    columns: [
      ['sleepover_id', 'uuid'],
      ['child_id', 'uuid'],
      ['organisation_id', 'uuid'],
      ['start_date', 'date'],
      ['end_date', 'date'],
      ['active', 'bool'],
      ['bed', 'int'],
    ],
  },
  childNeed: {
    name: 'child_need',
    columns: [
      ['child_id', 'uuid'],
      ['position', 'int'],
      ['organisation_id', 'uuid'],
      ['area', 'text'],
      ['detail', 'text'],
      ['essential', 'bool'],
    ],
  },
  householdSkill: {
    name: 'household_skill',
    columns: [
      ['household_id', 'uuid'],
      ['position', 'int'],
      ['organisation_id', 'uuid'],
      ['area', 'text'],
      ['detail', 'text'],
    ],
  },
} satisfies Record<string, { name: string; columns: [string, ColType][]; select?: Record<string, string> }>;

type Tables = { [K in keyof typeof TABLE_SPECS]: Table };

function createTables(): Tables {
  const tables = Object.entries(TABLE_SPECS).map(([key, spec]) => [key, new Table(spec.name, spec.columns, 'select' in spec ? spec.select : undefined)]);
  return Object.fromEntries(tables) as Tables;
}

interface Built {
  id: string;
  orgIndex: number;
  beds: number;
  from: number;
  until: number;
  satellites: Membership[];
  /** Night by night, per bed: taken by a confirmed sleepover. */
  taken?: Uint8Array[];
}

/**
 * What the generator is building, shared by its phases. The phases run in a fixed order and
 * each draws from `rng` in a fixed order: that order is the data set, so a phase may be
 * rearranged only if every draw keeps its place.
 */
interface Build {
  size: (typeof SIZES)[Scale];
  rng: Rng;
  /**
   * Needs, skills and bedrooms draw from a stream of their own, so the rest of the data set is
   * the same with them as it was before them (benchmarks stay comparable).
   */
  profileRng: Rng;
  asOf: number;
  historyStart: number;
  t: Tables;
  orgIds: string[];
  householdsPerOrg: number[];
  childrenPerOrg: number[];
  constellationsPerOrg: number[];
  households: Household[][];
  /** Kinship households still to create, per organisation (some when a child is placed with them). */
  kinshipBudget: number[];
  built: Built[];
  satellitesByOrg: Membership[][];
}

type FindHousehold = (onDay: number, age: number, not: Household | null) => Household | null;
type Profile = 'stable' | 'moderate' | 'unstable';

interface PlacementRecord {
  household: Household | null;
  setting: string;
  provider: string | null;
  kind: string;
  start: number;
  end: number | null;
  reason: string | null;
  unplanned: boolean | null;
}

export async function generate(db: Queryable | EntityManager, opts: GenerateOptions): Promise<GeneratedCounts> {
  // Array parameters are sent as array literals (strings), which both paths pass through intact.
  const exec: Exec = typeof (db as EntityManager).fork === 'function' ? (text, params) => sql(db as EntityManager, text, params) : (text, params) => (db as Queryable).query(text, params);
  const log = opts.log ?? (() => undefined);
  const g = newBuild(opts);
  const t = g.t;
  addOrganisations(g);
  addHouseholds(g);
  addConstellations(g);
  log(`built ${t.constellation.length} constellations, ${t.membership.length} memberships`);
  const placementCount = addChildren(g);
  log(`built ${t.household.length} households, ${t.child.length} children, ${placementCount} placements`);
  addSleepovers(g);
  log(`built ${t.sleepover.length} sleepovers with ${t.sleepoverChild.length} children`);

  const [supportLog, supportCorrections] = supportEntries(g.built, g.orgIds, g.asOf, opts.seed);
  log(`built ${supportLog.length} support log entries and ${supportCorrections.length} corrections`);
  const [hubBooking, hubBookingChild] = hubBookings(g.built, g.orgIds, g.asOf, opts.seed);
  log(`built ${hubBooking.length} hub bookings with ${hubBookingChild.length} children`);

  // ---- Write, parents before children.
  const tables = [
    t.organisation,
    t.household,
    t.carer,
    t.constellation,
    t.hubBed,
    t.membership,
    t.child,
    t.sibling,
    t.placement,
    t.sleepover,
    t.sleepoverChild,
    t.childNeed,
    t.householdSkill,
    supportLog,
    supportCorrections,
    hubBooking,
    hubBookingChild,
  ];
  for (const table of tables) {
    const started = Date.now();
    await writeTable(exec, table, 10_000);
    log(`wrote ${table.length} ${table.name} rows in ${Date.now() - started} ms`);
  }
  return countsOf(t, { supportLogEntries: supportLog.length + supportCorrections.length, hubBookings: hubBooking.length });
}

/** An empty build: the seeded generators, the data set's dates and sizes, and its tables. */
function newBuild(opts: GenerateOptions): Build {
  const asOf = dayOf(opts.asOf ?? DEFAULT_AS_OF);
  return {
    size: SIZES[opts.scale],
    rng: new Rng(opts.seed),
    profileRng: new Rng(opts.seed ^ 0x6e656564),
    asOf,
    historyStart: dayOf(iso(asOf).replace(/^\d{4}/, (y) => String(Number(y) - YEARS_OF_HISTORY))),
    t: createTables(),
    orgIds: [],
    householdsPerOrg: [],
    childrenPerOrg: [],
    constellationsPerOrg: [],
    households: [],
    kinshipBudget: [],
    built: [],
    satellitesByOrg: [],
  };
}

function countsOf(t: Tables, extra: Pick<GeneratedCounts, 'supportLogEntries' | 'hubBookings'>): GeneratedCounts {
  return {
    organisations: t.organisation.length,
    households: t.household.length,
    carers: t.carer.length,
    constellations: t.constellation.length,
    hubBeds: t.hubBed.length,
    memberships: t.membership.length,
    children: t.child.length,
    siblingLinks: t.sibling.length,
    placements: t.placement.length,
    sleepovers: t.sleepover.length,
    sleepoverChildren: t.sleepoverChild.length,
    childNeeds: t.childNeed.length,
    householdSkills: t.householdSkill.length,
    ...extra,
  };
}

function distinctAreas(g: Build, n: number): string[] {
  const areaWeights = NEED_AREAS.map(([area, weight]) => [area, weight] as const);
  const out = new Set<string>();
  while (out.size < n) out.add(g.profileRng.weighted(areaWeights));
  return [...out];
}

function addOrganisations(g: Build): void {
  const {
    size,
    rng,
    orgIds,
    t: { organisation },
  } = g;
  // Organisation sizes vary several-fold, as local authorities and agencies do.
  const weights = Array.from({ length: size.organisations }, () => Math.exp(0.7 * rng.normal()));
  g.householdsPerOrg = apportion(size.households, weights, 12);
  g.childrenPerOrg = apportion(size.children, weights, 15);
  g.constellationsPerOrg = apportion(size.constellations, weights, 1);

  for (let o = 0; o < size.organisations; o++) {
    const id = rng.uuid();
    orgIds.push(id);
    const la = rng.chance(0.6);
    const place = `${PLACES[o % PLACES.length]}${o >= PLACES.length ? ` ${Math.floor(o / PLACES.length) + 1}` : ''}`;
    organisation.push(id, la ? `${place} Council Fostering` : `${place} Family Placements`, la ? 'LOCAL_AUTHORITY' : 'INDEPENDENT_FOSTERING_AGENCY');
  }
  g.households = orgIds.map(() => []);
  g.satellitesByOrg = orgIds.map(() => []);
}

function addHousehold(g: Build, o: number, h: Omit<Household, 'id' | 'orgIndex' | 'placements' | 'taken' | 'hub' | 'maxChildren'>): Household {
  const {
    rng,
    profileRng,
    asOf,
    orgIds,
    households,
    t: { household },
  } = g;
  const id = rng.uuid();
  const maxChildren = h.kinship
    ? rng.int(1, 3)
    : rng.weighted([
        [1, 2],
        [2, 4],
        [3, 3],
        [4, 1],
      ] as const);
  const record: Household = { id, orgIndex: o, placements: [], taken: false, hub: false, maxChildren, ...h };
  households[o].push(record);
  const surname = rng.pick(SURNAMES);
  const approved = h.approvedOn !== null;
  const status = householdStatus(g, h);
  const dereg = h.deregisteredOn !== null && h.deregisteredOn <= asOf ? h.deregisteredOn : null;
  // One room per placed child at least; a spare room in some homes.
  const profiled = profileRng.chance(HOUSEHOLDS_WITH_SKILLS);
  const bedrooms = profiled ? maxChildren + profileRng.int(0, 1) : null;
  household.push(
    id,
    orgIds[o],
    `The ${surname} household`,
    `${PLACES[o % PLACES.length].slice(0, 2).toUpperCase()}${rng.int(1, 30)}`,
    h.kinship,
    status,
    approved ? h.minAge : null,
    approved ? h.maxAge : null,
    approved ? maxChildren : null,
    approved ? (h.kinship ? 'SHORT_TERM,LONG_TERM' : KINDS_ALL) : null,
    approved ? iso(h.approvedOn as number) : null,
    dereg === null ? null : iso(dereg),
    dereg === null ? null : rng.weighted(DEREGISTRATION_REASONS),
    bedrooms,
  );
  if (profiled) addSkills(g, o, id);
  const carers = rng.chance(0.6) ? 2 : 1;
  for (let c = 0; c < carers; c++) g.t.carer.push(rng.uuid(), orgIds[o], id, `${rng.pick(FIRST_NAMES)} ${surname}`);
  return record;
}

/** The household's status on asOf: kinship households are temporarily approved for their first 16 weeks. */
function householdStatus(g: Build, h: Pick<Household, 'approvedOn' | 'deregisteredOn' | 'kinship'>): string {
  const { rng, asOf } = g;
  if (h.deregisteredOn !== null && h.deregisteredOn <= asOf) return 'DEREGISTERED';
  if (h.approvedOn === null) return 'IN_ASSESSMENT';
  if (h.kinship && asOf - h.approvedOn < 112) return 'TEMPORARILY_APPROVED';
  return rng.chance(0.04) ? 'ON_HOLD' : 'APPROVED';
}

/** One to four skills in distinct areas, from the profile stream. */
function addSkills(g: Build, o: number, householdId: string): void {
  const { profileRng, orgIds } = g;
  distinctAreas(
    g,
    profileRng.weighted([
      [1, 3],
      [2, 4],
      [3, 2],
      [4, 1],
    ] as const),
  ).forEach((area, i) => g.t.householdSkill.push(householdId, i + 1, orgIds[o], area, profileRng.pick(SKILL_DETAILS[area])));
}

function addHouseholds(g: Build): void {
  const { size, rng, asOf, historyStart, householdsPerOrg } = g;
  // ---- Households: approved over the last sixteen years, each with a career that may end.
  const kinshipBudget = (g.kinshipBudget = householdsPerOrg.map((n) => Math.round(n * 0.1)));
  for (let o = 0; o < size.organisations; o++) {
    const regular = householdsPerOrg[o] - kinshipBudget[o];
    for (let i = 0; i < regular; i++) {
      if (rng.chance(0.03)) {
        addHousehold(g, o, { approvedOn: null, deregisteredOn: null, kinship: false, minAge: 0, maxAge: 18 });
        continue;
      }
      const approvedOn = rng.int(historyStart - 10 * 365, asOf - 60);
      // Fostering careers: about one household in ten stops each year. Households that had
      // stopped before the history starts would not be in the system: condition on surviving.
      let life = rng.exponential(9 * 365);
      if (approvedOn + life < historyStart) life = historyStart - approvedOn + rng.exponential(9 * 365);
      const deregisteredOn = approvedOn + Math.max(30, Math.round(life));
      const minAge = rng.weighted([
        [0, 6],
        [5, 2],
        [11, 2],
      ] as const);
      const maxAge =
        minAge === 0
          ? rng.weighted([
              [4, 1],
              [10, 1],
              [17, 4],
            ] as const)
          : 17;
      addHousehold(g, o, { approvedOn, deregisteredOn: deregisteredOn <= asOf ? deregisteredOn : null, kinship: false, minAge, maxAge });
    }
  }
}

// ---- Constellations: a hub and 6–10 satellites, with joiners, leavers and hub changes.
function addConstellations(g: Build): void {
  const { size, rng, households, constellationsPerOrg } = g;
  for (let o = 0; o < size.organisations; o++) {
    const pool = rng.shuffle(households[o].filter((h) => !h.kinship && h.approvedOn !== null));
    const take = (on: number, staysUntil: number): Household | null => {
      const h = pool.find((x) => !x.taken && (x.approvedOn as number) <= on && (x.deregisteredOn === null || x.deregisteredOn > staysUntil));
      if (h) h.taken = true;
      return h ?? null;
    };
    for (let k = 0; k < constellationsPerOrg[o]; k++) {
      addConstellation(g, o, k, take);
    }
  }
}

function addConstellation(g: Build, o: number, k: number, take: Take): void {
  const {
    rng,
    asOf,
    historyStart,
    orgIds,
    built,
    t: { constellation, hubBed },
  } = g;
  const id = rng.uuid();
  const status = rng.weighted([
    ['ACTIVE', 85],
    ['PAUSED', 4],
    ['FORMING', 3],
    ['CLOSED', 8],
  ] as const);
  const start = status === 'FORMING' ? asOf - rng.int(10, 90) : rng.int(historyStart - 3 * 365, asOf - 180);
  const closedOn = status === 'CLOSED' ? rng.int(Math.min(start + 365, asOf - 31), asOf - 30) : null;
  const end = closedOn ?? Infinity;
  const beds = rng.weighted([
    [2, 85],
    [1, 5],
    [3, 10],
  ] as const);
  constellation.push(id, orgIds[o], `${PLACES[(o + k) % PLACES.length]} ${rng.pick(['Hub', 'Circle', 'Family', 'Network'])} ${k + 1}`, status, status === 'FORMING' ? null : iso(start), beds);
  for (let b = 1; b <= beds; b++) hubBed.push(id, b, orgIds[o]);
  const forming: Forming = { g, o, id, start, end, closedOn, take, satellites: [] };
  addHubs(forming);
  addSatellites(forming);
  built.push({ id, orgIndex: o, beds, from: start, until: Math.min(end, asOf + 60), satellites: forming.satellites });
}

/** Takes a free household approved by `on` and fostering until `staysUntil`, or null. */
type Take = (on: number, staysUntil: number) => Household | null;

/** A constellation being built: its dates, where its households come from, its satellites so far. */
interface Forming {
  g: Build;
  o: number;
  id: string;
  start: number;
  /** The day it closed, or +Infinity. */
  end: number;
  closedOn: number | null;
  take: Take;
  satellites: Membership[];
}

function addMember(c: Forming, h: Household, role: 'HUB' | 'SATELLITE', joined: number, left: number | null): void {
  const { rng, orgIds, t } = c.g;
  t.membership.push(rng.uuid(), orgIds[c.o], c.id, h.id, role, iso(joined), left === null ? null : iso(left));
}

/** Hubs, one after another: a hub that stops fostering, or hands over, is replaced that day. */
function addHubs(c: Forming): void {
  const { rng, asOf } = c.g;
  let hubFrom = c.start;
  let hub = c.take(c.start - 180, c.start + 365);
  while (hub && hubFrom < Math.min(c.end, asOf)) {
    hub.hub = true;
    let hubUntil: number | null = hub.deregisteredOn ?? (rng.chance(0.08) ? rng.int(hubFrom + 200, hubFrom + 2000) : null);
    if (hubUntil !== null && hubUntil >= Math.min(c.end, asOf)) hubUntil = null;
    addMember(c, hub, 'HUB', hubFrom, hubUntil ?? c.closedOn);
    if (hubUntil === null) break;
    hubFrom = hubUntil;
    hub = c.take(hubFrom - 180, hubFrom + 365);
  }
}

/** Satellites: those it starts with, some joining later, and, while it runs, enough to be 6–10 now. */
function addSatellites(c: Forming): void {
  const { rng, asOf } = c.g;
  const { start, end, take } = c;
  for (let i = rng.int(6, 9); i > 0; i--) {
    const h = take(start, start + 30);
    if (h) join(c, h, start);
  }
  const last = Math.min(end, asOf) - 1;
  for (let i = rng.int(0, 4); i > 0 && last > start + 30; i--) {
    const joined = rng.int(start + 30, last);
    const h = take(joined, joined + 30);
    if (h) join(c, h, joined);
  }
  if (c.closedOn === null) {
    const target = rng.int(6, 10);
    for (let tries = 0; tries < 20 && c.satellites.filter((m) => m.left === null).length < target; tries++) {
      const joined = rng.int(Math.max(start, asOf - 720), asOf - 1);
      const h = take(joined, joined + 30);
      if (h) join(c, h, joined);
    }
  }
}

/** A satellite joins on `joined`, for a while or until it stops fostering or the constellation closes. */
function join(c: Forming, h: Household, joined: number): void {
  const { rng, asOf, satellitesByOrg } = c.g;
  const { closedOn, satellites } = c;
  let left: number | null = h.deregisteredOn;
  if (rng.chance(0.1)) {
    const leaves = joined + rng.int(180, 1800);
    if (left === null || leaves < left) left = leaves;
  }
  if (left !== null && left > asOf) left = null;
  if (closedOn !== null && (left === null || left > closedOn)) left = closedOn;
  // At most ten satellites at a time (the model's 6–10): a household whose membership
  // would overlap ten others does not join, and stays free for another constellation.
  const until = left ?? Infinity;
  const overlapping = satellites.filter((m) => m.joined < until && (m.left ?? Infinity) > joined).length;
  if ((left !== null && left <= joined) || overlapping >= 10) {
    h.taken = false;
    return;
  }
  satellites.push({ household: h, joined, left });
  satellitesByOrg[c.o].push({ household: h, joined, left });
  addMember(c, h, 'SATELLITE', joined, left);
}

// ---- Children and their placements.
function addChildren(g: Build): number {
  let placementCount = 0;
  for (let o = 0; o < g.size.organisations; o++) placementCount += childrenOf(g, o);
  return placementCount;
}

/** One organisation's children, their placements, and the kinship households they bring. */
function childrenOf(g: Build, o: number): number {
  const { rng, households, satellitesByOrg, childrenPerOrg, kinshipBudget } = g;
  const regular = households[o].filter((h) => !h.kinship && h.approvedOn !== null);
  let made = 0;
  const refs = { reference: 0 };
  const code = PLACES[o % PLACES.length].slice(0, 3).toUpperCase() + (o + 1);
  // A household approved that day, for the child's age, with room. Satellites are asked
  // more often than their number alone would give: they are the active carers.
  const satellites = satellitesByOrg[o];
  const findHousehold = (onDay: number, age: number, not: Household | null): Household | null => {
    for (let tries = 0; tries < 16; tries++) {
      let h: Household;
      if (satellites.length > 0 && rng.chance(0.4)) {
        const m = rng.pick(satellites);
        if (m.joined > onDay || (m.left !== null && m.left <= onDay)) continue;
        h = m.household;
      } else {
        h = rng.pick(regular);
      }
      if (h === not || h.hub || (h.approvedOn as number) > onDay) continue;
      if (h.deregisteredOn !== null && h.deregisteredOn <= onDay + 7) continue;
      if (age < h.minAge || age > h.maxAge) continue;
      if (h.placements.filter(([, s, e]) => s <= onDay && e > onDay).length >= h.maxChildren) continue;
      return h;
    }
    return null;
  };

  let placements = 0;
  while (made < childrenPerOrg[o]) {
    const withSibling = made + 1 < childrenPerOrg[o] && rng.chance(0.15);
    const { ids, entry, oldest } = addChildGroup(g, o, code, refs, withSibling);
    made += ids.length;
    const records = placementRecords(g, o, entry, oldest, findHousehold);
    placements += addPlacements(g, o, ids, records);
  }
  // Kinship households whose assessment has not finished yet.
  while (kinshipBudget[o] > 0) {
    kinshipBudget[o]--;
    addHousehold(g, o, { approvedOn: null, deregisteredOn: null, kinship: true, minAge: 0, maxAge: 17 });
  }
  return placements;
}

/** A child, or a pair of siblings, coming into care, with their needs. */
function addChildGroup(g: Build, o: number, code: string, refs: { reference: number }, withSibling: boolean): { ids: string[]; entry: number; oldest: number } {
  const {
    rng,
    profileRng,
    asOf,
    historyStart,
    orgIds,
    t: { child, childNeed, sibling },
  } = g;
  const entry = rng.int(historyStart - 2 * 365, asOf - 7);
  const ageAtEntry = rng.weighted([
    [0, 15],
    [rng.int(1, 4), 20],
    [rng.int(5, 9), 20],
    [rng.int(10, 15), 38],
    [rng.int(16, 17), 7],
  ] as const);
  const dob = entry - ageAtEntry * 365 - rng.int(0, 364);
  const ids = [rng.uuid()];
  const dobs = [dob];
  if (withSibling) {
    ids.push(rng.uuid());
    const gap =
      rng.weighted([
        [-1, 1],
        [1, 1],
      ] as const) * rng.int(300, 1500);
    dobs.push(Math.max(entry - 17 * 365, Math.min(entry - 1, dob + gap)));
  }
  // Siblings live together; the placement's fit is judged on the older one, and the pair
  // leaves care when the older one turns 18.
  const oldest = Math.min(...dobs);
  ids.forEach((id, i) => {
    child.push(id, orgIds[o], `${code}-${String(++refs.reference).padStart(6, '0')}`, rng.pick(FIRST_NAMES), iso(dobs[i]));
    if (profileRng.chance(CHILDREN_WITH_NEEDS)) {
      distinctAreas(
        g,
        profileRng.weighted([
          [1, 5],
          [2, 3],
          [3, 1],
        ] as const),
      ).forEach((area, k) => {
        const details = NEED_AREAS.find(([a]) => a === area)![2];
        childNeed.push(id, k + 1, orgIds[o], area, profileRng.pick(details), profileRng.chance(0.4));
      });
    }
  });
  if (withSibling) {
    sibling.push(ids[0], ids[1], orgIds[o]);
    sibling.push(ids[1], ids[0], orgIds[o]);
  }
  return { ids, entry, oldest };
}

/** The placement records of a group (siblings live together), episode by episode. */
function placementRecords(g: Build, o: number, entry: number, oldest: number, findHousehold: FindHousehold): PlacementRecord[] {
  const { rng, asOf } = g;
  // Placement records for the group (siblings live together), then copied per child.
  const records: PlacementRecord[] = [];
  const { profile, lengthOf } = careProfile(rng);
  const eighteen = birthday(oldest, 18);
  let episodeStart = entry;
  const episodes = rng.chance(0.1) ? 2 : 1;
  for (let e = 0; e < episodes && episodeStart < asOf; e++) {
    const median = profile === 'stable' ? 1300 : profile === 'moderate' ? 650 : 600;
    const episodeEnd = Math.min(episodeStart + Math.max(7, Math.round(rng.logNormal(median, 1.0))), eighteen);
    const reached = addEpisode(g, o, records, { start: episodeStart, end: episodeEnd, oldest, profile, lengthOf }, findHousehold);
    episodeStart = Math.max(episodeEnd, reached) + rng.int(60, 700);
  }
  return records;
}

/**
 * How settled the group's care is, and the length of its index-th placement: most children settle
 * after at most one early move; some move every few months before they settle; a few move every
 * few weeks.
 */
function careProfile(rng: Rng): { profile: Profile; lengthOf: (index: number) => number } {
  const profile = rng.weighted([
    ['stable', 62],
    ['moderate', 28],
    ['unstable', 10],
  ] as const);
  const bridged = rng.chance(0.5);
  const lengthOf = (index: number): number =>
    profile === 'stable'
      ? index === 0 && bridged
        ? rng.logNormal(60, 0.8)
        : rng.logNormal(2200, 0.5)
      : profile === 'moderate'
        ? index < 3
          ? rng.logNormal(250, 0.8)
          : rng.logNormal(1200, 0.6)
        : rng.logNormal(50, 0.9);
  return { profile, lengthOf };
}

interface Episode {
  start: number;
  /** The day it ends (or the oldest child's 18th birthday). */
  end: number;
  oldest: number;
  profile: Profile;
  lengthOf: (index: number) => number;
}

/** One episode of care, home after home, into `records`; returns the last day its records reach. */
function addEpisode(g: Build, o: number, records: PlacementRecord[], ep: Episode, findHousehold: FindHousehold): number {
  const { rng, asOf } = g;
  let index = 0;
  let cursor = ep.start;
  let previous: Household | null = null;
  let previousKey = '';
  let first = true;
  while (cursor < ep.end && cursor < asOf) {
    const age = Math.floor((cursor - ep.oldest) / 365.25);
    const length = Math.max(2, Math.round(ep.lengthOf(index++)));
    const home = chooseHome(g, o, { cursor, age, first, previous, previousKey, length, profile: ep.profile }, findHousehold);
    const { target, setting, provider, key } = home;
    let end = cursor + home.length;
    let forced = false;
    if (target && target.deregisteredOn !== null && target.deregisteredOn < end) {
      end = target.deregisteredOn;
      forced = true;
    }
    const lastOfEpisode = end >= ep.end;
    if (lastOfEpisode) end = ep.end;
    const open = end >= asOf;
    const changed = addStatusChanges(rng, records, home, cursor, Math.min(end, asOf) - 30);
    cursor = changed.cursor;
    const { reason, unplanned } = open ? { reason: null, unplanned: null } : endingOf(rng, lastOfEpisode, forced);
    records.push({ household: target, setting, provider, kind: changed.kind, start: cursor, end: open ? null : end, reason, unplanned });
    if (open || lastOfEpisode) break;
    cursor = end;
    previous = target;
    previousKey = key;
    first = false;
    // A short break between two homes, recorded as a RESPITE placement.
    if (rng.chance(0.03)) {
      const respite = findHousehold(cursor, age, target);
      if (respite) {
        const days = rng.int(2, 7);
        if (cursor + days >= asOf || cursor + days >= ep.end) break;
        records.push({ household: respite, setting: 'FOSTER_HOUSEHOLD', provider: null, kind: 'RESPITE', start: cursor, end: cursor + days, reason: 'CARPL', unplanned: false });
        cursor += days;
        previousKey = '';
      }
    }
  }
  return cursor;
}

/**
 * Changes of legal status or of the kind of placement with the same carer, up to `lastChange`: a
 * new record with no gap, reason PLACE (SSDA903 keeps one row per change; stability merges them).
 * Returns where the placement's last record starts, and its kind.
 */
function addStatusChanges(rng: Rng, records: PlacementRecord[], home: Home, cursor: number, lastChange: number): { cursor: number; kind: string } {
  let kind = home.kind;
  for (let changes = rng.chance(0.55) ? rng.int(1, 3) : 0; changes > 0 && lastChange - cursor > 60; changes--) {
    const change = rng.int(cursor + 30, lastChange);
    records.push({ household: home.target, setting: home.setting, provider: home.provider, kind, start: cursor, end: change, reason: 'PLACE', unplanned: false });
    cursor = change;
    if (kind === 'EMERGENCY' || kind === 'SHORT_TERM') kind = rng.chance(0.6) ? 'LONG_TERM' : 'SHORT_TERM';
  }
  return { cursor, kind };
}

/** Why a placement ended: leaving care at the end of an episode, a move otherwise; a home that stopped fostering ended it. */
function endingOf(rng: Rng, lastOfEpisode: boolean, forced: boolean): { reason: string; unplanned: boolean } {
  const [r, , share] = lastOfEpisode ? rng.weighted(LEAVING_REASONS.map((x) => [x, x[1]] as const)) : rng.weighted(MOVE_REASONS.map((x) => [x, x[1]] as const));
  return { reason: forced ? 'CREQO' : r, unplanned: forced ? rng.chance(0.5) : rng.chance(share) };
}

/** Where a child lives next. */
interface Home {
  target: Household | null;
  setting: string;
  provider: string | null;
  kind: string;
  length: number;
  /** The household or the provider, to tell a move from a status change. */
  key: string;
}

type Where = 'household' | 'kinship' | 'agency' | 'residential' | 'supported' | 'parents' | 'elsewhere';

/** Where a child goes next and for how long: an approved household, a kinship home, or another provider. */
function chooseHome(
  g: Build,
  o: number,
  at: { cursor: number; age: number; first: boolean; previous: Household | null; previousKey: string; length: number; profile: Profile },
  findHousehold: FindHousehold,
): Home {
  const { rng, kinshipBudget } = g;
  const { age, first, previousKey, profile } = at;
  const kind = first && rng.chance(0.3) ? 'EMERGENCY' : profile === 'stable' && !first ? 'LONG_TERM' : 'SHORT_TERM';
  const where = rng.weighted<Where>([
    ['household', 74],
    ['kinship', kinshipBudget[o] > 0 && first ? 6 : 0],
    ['agency', 11],
    ['residential', age >= 10 ? 8 : 1],
    ['supported', age >= 16 ? 10 : 0],
    ['parents', 3],
    ['elsewhere', 1.5],
  ]);
  const home = homeOf(g, o, where, { ...at, kind }, findHousehold);
  let key = home.target ? home.target.id : `${home.setting}|${home.provider ?? ''}`;
  while (key === previousKey) {
    // The same provider again with no gap would be a status change, not a move.
    home.setting = 'OTHER_FOSTERING_PROVIDER';
    home.provider = rng.pick(PROVIDERS);
    home.target = null;
    key = `${home.setting}|${home.provider}`;
  }
  return { ...home, key };
}

/** A home of that sort: the household or the provider, and the kind and length where the sort decides them. */
function homeOf(g: Build, o: number, where: Where, at: { cursor: number; age: number; previous: Household | null; kind: string; length: number }, findHousehold: FindHousehold): Omit<Home, 'key'> {
  const { rng } = g;
  const { cursor, age, kind, length } = at;
  const fostering = { target: null, setting: 'FOSTER_HOUSEHOLD', provider: null, kind, length };
  switch (where) {
    case 'kinship': {
      g.kinshipBudget[o]--;
      const target = addHousehold(g, o, { approvedOn: cursor - rng.int(0, 90), deregisteredOn: null, kinship: true, minAge: 0, maxAge: 17 });
      return { ...fostering, target, kind: 'LONG_TERM', length: Math.round(length * 3) };
    }
    case 'household': {
      const target = findHousehold(cursor, age, at.previous);
      return target ? { ...fostering, target } : { ...fostering, setting: 'OTHER_FOSTERING_PROVIDER', provider: rng.pick(PROVIDERS) };
    }
    case 'agency':
      return { ...fostering, setting: 'OTHER_FOSTERING_PROVIDER', provider: rng.pick(PROVIDERS) };
    case 'residential':
      return { ...fostering, setting: 'RESIDENTIAL', provider: rng.pick(HOMES) };
    case 'supported':
      return { ...fostering, setting: 'SUPPORTED_ACCOMMODATION', provider: rng.pick(SUPPORTED) };
    case 'parents':
      return { ...fostering, setting: 'WITH_PARENTS', kind: 'SHORT_TERM' };
    case 'elsewhere': {
      const setting = rng.weighted([
        ['HOSPITAL', 1],
        ['SECURE', 1],
        ['OTHER', 2],
      ] as const);
      const provider = setting === 'OTHER' ? null : setting === 'SECURE' ? 'Hillcrest Secure Unit' : 'General Hospital';
      return { target: null, setting, provider, kind: setting === 'SECURE' && age >= 10 ? 'REMAND' : 'SHORT_TERM', length: Math.min(length, rng.int(3, 60)) };
    }
  }
}

/** The group's records, copied per child. */
function addPlacements(g: Build, o: number, ids: string[], records: PlacementRecord[]): number {
  const {
    rng,
    orgIds,
    t: { placement },
  } = g;
  let placementCount = 0;
  for (const r of records) {
    for (const id of ids) {
      placement.push(rng.uuid(), orgIds[o], id, r.household?.id ?? null, r.setting, r.provider, r.kind, iso(r.start), r.end === null ? null : iso(r.end), r.reason, r.unplanned);
      placementCount++;
      if (r.household && r.kind !== 'RESPITE') r.household.placements.push([id, r.start, r.end ?? Infinity]);
    }
  }
  return placementCount;
}

// ---- Sleepovers: children of a satellite at the hub, beds and nights never double-booked.
function addSleepovers(g: Build): void {
  const { size, rng, built } = g;
  const quotas = apportion(
    size.sleepovers,
    built.map((c) => Math.max(1, c.until - c.from) * Math.max(1, c.satellites.length)),
  );
  const activeNights = new Map<string, [number, number][]>();
  let shortfall = 0;
  const makeSleepovers = (c: Built, wanted: number) => sleepoversAt(g, c, wanted, activeNights);
  built.forEach((c, i) => {
    shortfall += quotas[i] - makeSleepovers(c, quotas[i]);
  });
  // Constellations with too few placed children to reach their share leave it to the others.
  for (let pass = 0; shortfall > 0 && pass < 5; pass++) {
    for (const c of rng.shuffle([...built])) {
      if (shortfall <= 0) break;
      shortfall -= makeSleepovers(c, Math.min(shortfall, 50));
    }
  }
}

/** Up to `wanted` sleepovers at one constellation's hub; how many it made. */
function sleepoversAt(g: Build, c: Built, wanted: number, activeNights: Map<string, [number, number][]>): number {
  const { rng, asOf } = g;
  if (c.satellites.length === 0 || c.until - c.from < 2) return 0;
  const beds = (c.taken ??= Array.from({ length: c.beds }, () => new Uint8Array(c.until - c.from)));
  let made = 0;
  for (let tries = 0; made < wanted && tries < wanted * 40; tries++) {
    const nights = rng.weighted([
      [1, 45],
      [2, 33],
      [3, 10],
      [4, 5],
      [rng.int(5, 14), 7],
    ] as const);
    const start = rng.int(c.from, c.until - 1);
    const end = start + nights;
    const m = rng.pick(c.satellites);
    if (start < m.joined || (m.left !== null && end > m.left) || end > c.until) continue;
    const placed = m.household.placements.filter(([, s, e]) => s <= start && e >= end);
    if (placed.length === 0) continue;
    const status = sleepoverStatus(rng, start, end, asOf);
    const active = status === 'REQUESTED' || status === 'CONFIRMED';
    const want = Math.min(c.beds, placed.length, rng.chance(0.3) ? 2 : 1);
    const chosen = rng
      .shuffle([...placed])
      .slice(0, want)
      .map(([id]) => id);
    if (active && chosen.some((id) => (activeNights.get(id) ?? []).some(([s, e]) => s < end && start < e))) continue;
    const bedFor = status === 'CONFIRMED' ? claimBeds(c, beds, start, end, chosen.length) : [];
    if (bedFor === null) continue;
    addSleepover(g, c, { household: m.household, status, start, end, children: chosen, bedFor }, activeNights);
    made++;
  }
  return made;
}

/** Past sleepovers mostly confirmed, some declined or cancelled; those ahead requested or confirmed; one under way confirmed. */
function sleepoverStatus(rng: Rng, start: number, end: number, asOf: number): 'REQUESTED' | 'CONFIRMED' | 'CANCELLED' | 'DECLINED' {
  if (end <= asOf) {
    return rng.weighted([
      ['CONFIRMED', 82],
      ['CANCELLED', 8],
      ['DECLINED', 10],
    ] as const);
  }
  if (start >= asOf) {
    return rng.weighted([
      ['REQUESTED', 40],
      ['CONFIRMED', 50],
      ['CANCELLED', 5],
      ['DECLINED', 5],
    ] as const);
  }
  return 'CONFIRMED';
}

/** The lowest beds free on every night, taken; null when fewer than `count` are. */
function claimBeds(c: Built, beds: Uint8Array[], start: number, end: number, count: number): number[] | null {
  const bedFor: number[] = [];
  for (let b = 0; b < c.beds && bedFor.length < count; b++) {
    let free = true;
    for (let d = start; d < end && free; d++) free = beds[b][d - c.from] === 0;
    if (free) bedFor.push(b);
  }
  if (bedFor.length < count) return null;
  for (const b of bedFor) for (let d = start; d < end; d++) beds[b][d - c.from] = 1;
  return bedFor;
}

/** The sleepover's row and its children's (with their beds when confirmed); active ones keep the children's nights. */
function addSleepover(
  g: Build,
  c: Built,
  s: { household: Household; status: string; start: number; end: number; children: string[]; bedFor: number[] },
  activeNights: Map<string, [number, number][]>,
): void {
  const {
    rng,
    orgIds,
    t: { sleepover, sleepoverChild },
  } = g;
  const { status, start, end } = s;
  const active = status === 'REQUESTED' || status === 'CONFIRMED';
  const id = rng.uuid();
  const created = new Date((start - rng.int(1, 30)) * DAY_MS + rng.int(8, 20) * 3_600_000).toISOString();
  sleepover.push(
    id,
    orgIds[c.orgIndex],
    c.id,
    s.household.id,
    rng.chance(0.2) ? 'EMERGENCY' : 'PLANNED',
    status,
    iso(start),
    iso(end),
    status === 'DECLINED' ? 'No bed free those nights' : status === 'CANCELLED' ? 'Plans changed' : null,
    created,
    created,
  );
  s.children.forEach((childId, i) => {
    sleepoverChild.push(id, childId, orgIds[c.orgIndex], iso(start), iso(end), active, status === 'CONFIRMED' ? s.bedFor[i] + 1 : null);
    if (active) {
      const list = activeNights.get(childId) ?? [];
      list.push([start, end]);
      activeNights.set(childId, list);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The support log

const SUPPORT_LOG_COLUMNS: [string, ColType][] = [
  ['id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['constellation_id', 'uuid'],
  ['household_id', 'uuid'],
  ['child_id', 'uuid'],
  ['at', 'timestamptz'],
  ['channel', 'text'],
  ['out_of_hours', 'bool'],
  ['topics', 'text'],
  ['summary', 'text'],
  ['follow_up_on', 'date'],
  ['placement_at_risk', 'bool'],
  ['would_have_ended', 'bool'],
  ['would_have_resigned', 'bool'],
  ['safeguarding', 'bool'],
  ['chain_safeguarding', 'bool'],
  ['escalated_to', 'text'],
  ['escalated_at', 'timestamptz'],
  ['amends_id', 'uuid'],
  ['root_id', 'uuid'],
  ['recorded_in_error', 'bool'],
];
const SUPPORT_SUMMARIES = [
  ['BEHAVIOUR', 'Call about a child who would not settle at bedtime'],
  ['EDUCATION', 'Talked through a school exclusion meeting'],
  ['HEALTH', 'Advice on getting a CAMHS appointment'],
  ['FAMILY_TIME', 'Upset after family time; talked through how to help'],
  ['PLACEMENT', 'Placement wobbling: visit to talk it through'],
  ['CARER_WELLBEING', 'Carer exhausted; arranged a sleepover and a catch-up'],
  ['PRACTICAL', 'Lent a car seat and a travel cot'],
  ['OTHER', 'General check-in'],
] as const;

/**
 * About 60 entries per constellation per month over the last two years, while it runs: about
 * satellites that are members that day (a child of theirs named in half), mostly in office hours,
 * a few flagged at risk, would-have-ended or would-have-resigned, about one in a hundred
 * safeguarding; 3 % corrected later (written after the originals: a correction reads the
 * version it amends). A generator of its own, so the rest of the data set is unchanged by it.
 */
function supportEntries(built: Built[], orgIds: string[], asOf: number, seed: number): [Table, Table] {
  const rng = new Rng(seed * 7919 + 17);
  const entries = new Table('support_log_entry', SUPPORT_LOG_COLUMNS, { topics: "string_to_array(topics, ',')" });
  const corrections = new Table('support_log_entry', SUPPORT_LOG_COLUMNS, { topics: "string_to_array(topics, ',')" });
  const first = asOf - 730;
  for (const c of built) {
    const from = Math.max(first, c.from);
    const until = Math.min(asOf, c.until);
    const days = until - from;
    if (days <= 0 || c.satellites.length === 0) continue;
    const count = Math.round((days / 30.44) * (54 + rng.int(0, 12)));
    for (let i = 0; i < count; i++) {
      const day = rng.int(from, until - 1);
      const members = c.satellites.filter((m) => m.joined <= day && (m.left === null || m.left > day));
      if (!members.length) continue;
      const row = supportEntry(rng, c, orgIds, day, rng.pick(members));
      entries.push(...row);
      if (rng.chance(0.03)) corrections.push(...correctionOf(rng, row));
    }
  }
  return [entries, corrections];
}

/** One entry about a satellite member on `day`, as a SUPPORT_LOG_COLUMNS row. */
function supportEntry(rng: Rng, c: Built, orgIds: string[], day: number, m: Membership): Cell[] {
  const placed = m.household.placements.filter(([, s, e]) => s <= day && e > day);
  const child = placed.length && rng.chance(0.5) ? rng.pick(placed)[0] : null;
  const evening = rng.chance(0.2);
  const hour = evening ? rng.pick([6, 7, 18, 19, 20, 21, 22, 23]) : rng.int(9, 17);
  // Whole seconds: cursors carry milliseconds.
  const at = new Date(day * DAY_MS + hour * 3_600_000 + rng.int(0, 59) * 60_000);
  const weekday = at.getUTCDay();
  const [topic, summary] = rng.pick(SUPPORT_SUMMARIES);
  const safeguarding = rng.chance(0.01);
  const id = rng.uuid();
  return [
    id,
    orgIds[c.orgIndex],
    c.id,
    m.household.id,
    child,
    at.toISOString(),
    rng.weighted([
      ['PHONE_OR_MESSAGE', 6],
      ['VISIT', 3],
      ['AT_THE_HUB', 1],
    ] as const),
    evening || weekday === 0 || weekday === 6,
    safeguarding ? `${topic},SAFEGUARDING` : topic,
    summary,
    rng.chance(0.2) ? iso(day + rng.int(1, 21)) : null,
    rng.chance(0.08),
    rng.chance(0.02),
    rng.chance(0.015),
    safeguarding,
    safeguarding,
    safeguarding ? 'Children’s services duty desk' : null,
    safeguarding ? new Date(at.getTime() + 3_600_000).toISOString() : null,
    null,
    id,
    false,
  ];
}

/** A later version of an entry: its summary corrected, or the entry withdrawn as recorded in error. */
function correctionOf(rng: Rng, row: Cell[]): Cell[] {
  const withdrawn = rng.chance(0.2);
  const fix = rng.uuid();
  const again = [...row];
  again[0] = fix;
  again[9] = `${row[9]} (corrected)`;
  again[10] = null;
  again[18] = row[0];
  again[19] = row[0];
  again[20] = withdrawn;
  return again;
}

// ---------------------------------------------------------------------------------------------
// Bookings of the hub home (family time, sibling contact, day care, meetings)

const HUB_BOOKING_COLUMNS: [string, ColType][] = [
  ['id', 'uuid'],
  ['organisation_id', 'uuid'],
  ['constellation_id', 'uuid'],
  ['purpose', 'text'],
  ['status', 'text'],
  ['starts_at', 'timestamptz'],
  ['ends_at', 'timestamptz'],
  ['london_day', 'date'],
  ['supervisor', 'text'],
  ['notes', 'text'],
  ['decision_reason', 'text'],
  ['outcome', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

/** Start and end hours (UTC) of the hub's booking slots: inside the London day in summer and winter. */
const HUB_SLOTS: [number, number][] = [
  [9, 10.5],
  [11, 12.5],
  [13.5, 15],
  [15.5, 17],
  [17.5, 19],
];

/**
 * About twelve bookings per constellation per month over the last two years and the month ahead,
 * while it runs: family time (half of them), sibling contact, day care and meetings, each with
 * children placed with its satellites that day (none for meetings). Past bookings are mostly
 * confirmed, with an outcome; some were declined or cancelled; those ahead are requested or
 * confirmed. Confirmed bookings of a hub never overlap (hub_booking_no_overlap): each takes one of
 * the day's slots. The data set's siblings live together, so sibling contact here exercises the
 * booking figures, not the separated-siblings one. A generator of its own, like the support log,
 * so the rest of the data set is unchanged by it.
 */
function hubBookings(built: Built[], orgIds: string[], asOf: number, seed: number): [Table, Table] {
  const rng = new Rng(seed * 104_729 + 31);
  const bookings = new Table('hub_booking', HUB_BOOKING_COLUMNS);
  const children = new Table('hub_booking_child', [
    ['booking_id', 'uuid'],
    ['child_id', 'uuid'],
    ['organisation_id', 'uuid'],
  ]);
  const first = asOf - 730;
  const last = asOf + 30;
  for (const c of built) {
    const from = Math.max(first, c.from);
    const until = Math.min(last, c.until);
    const days = until - from;
    if (days <= 0 || c.satellites.length === 0) continue;
    const taken = new Set<string>();
    const count = Math.round((days / 30.44) * (10 + rng.int(0, 4)));
    for (let i = 0; i < count; i++) {
      const day = rng.int(from, until - 1);
      const purpose = rng.weighted([
        ['FAMILY_TIME', 6],
        ['SIBLING_CONTACT', 2],
        ['DAY_CARE', 2],
        ['MEETING', 1],
        ['OTHER', 1],
      ] as const);
      const placed = c.satellites
        .filter((m) => m.joined <= day && (m.left === null || m.left > day))
        .flatMap((m) => m.household.placements.filter(([, s, e]) => s <= day && e > day).map(([childId]) => childId));
      const wanted = purpose === 'MEETING' ? 0 : purpose === 'SIBLING_CONTACT' ? 2 : purpose === 'DAY_CARE' ? rng.int(1, 3) : 1;
      if (placed.length < wanted) continue;
      const chosen = rng.shuffle([...new Set(placed)]).slice(0, wanted);
      const ahead = day >= asOf;
      let status = bookingStatus(rng, ahead);
      const slot = rng.int(0, HUB_SLOTS.length - 1);
      if (status === 'CONFIRMED') {
        // Another confirmed booking has this slot: this one was declined.
        if (taken.has(`${day}:${slot}`)) status = ahead ? 'REQUESTED' : 'DECLINED';
        else taken.add(`${day}:${slot}`);
      }
      const id = addHubBooking(rng, bookings, { organisationId: orgIds[c.orgIndex], constellationId: c.id, purpose, status, day, slot, ahead });
      for (const childId of chosen) children.push(id, childId, orgIds[c.orgIndex]);
    }
  }
  return [bookings, children];
}

/** Ahead: requested or confirmed; past: mostly confirmed, some declined or cancelled. */
function bookingStatus(rng: Rng, ahead: boolean): string {
  return ahead
    ? rng.weighted([
        ['REQUESTED', 2],
        ['CONFIRMED', 3],
      ] as const)
    : rng.weighted([
        ['CONFIRMED', 85],
        ['DECLINED', 5],
        ['CANCELLED', 10],
      ] as const);
}

/** The booking's row, in the day's slot, with an outcome when it was confirmed and is past; its id. */
function addHubBooking(rng: Rng, bookings: Table, b: { organisationId: string; constellationId: string; purpose: string; status: string; day: number; slot: number; ahead: boolean }): string {
  const { purpose, status, day } = b;
  const [startHour, endHour] = HUB_SLOTS[b.slot];
  const startsAt = new Date(day * DAY_MS + startHour * 3_600_000);
  const endsAt = new Date(day * DAY_MS + endHour * 3_600_000);
  const outcome =
    status === 'CONFIRMED' && !b.ahead
      ? rng.weighted([
          ['TOOK_PLACE', 80],
          ['CUT_SHORT', 5],
          ['FAMILY_DID_NOT_ATTEND', 8],
          ['CHILD_DID_NOT_ATTEND', 3],
          ['CANCELLED_ON_THE_DAY', 4],
        ] as const)
      : null;
  const created = new Date((day - rng.int(2, 28)) * DAY_MS + rng.int(8, 18) * 3_600_000).toISOString();
  const id = rng.uuid();
  bookings.push(
    id,
    b.organisationId,
    b.constellationId,
    purpose,
    status,
    startsAt.toISOString(),
    endsAt.toISOString(),
    iso(day),
    purpose === 'FAMILY_TIME' ? rng.pick(['The child’s social worker', 'Family support worker', 'Hub carer']) : null,
    rng.chance(0.3) ? 'Bring the memory box' : null,
    status === 'DECLINED' ? 'The hub is booked then' : null,
    outcome,
    created,
    outcome ? endsAt.toISOString() : created,
  );
  return id;
}
