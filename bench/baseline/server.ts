/**
 * The hand-written baseline: the hub carer's dashboard answered by graphql-js with SQL written by
 * hand over `pg` — no ORM, no type-graphql, no Apollo — so Hubnet's figures can be read as ratios
 * to what the same machine does with the least machinery. Same response shape, same auth work
 * (a JWT verified and the viewer read on every request), same batching discipline (one statement
 * per level of the query).
 */
import http from 'node:http';
import DataLoader from 'dataloader';
import { buildSchema, graphql, GraphQLScalarType, type GraphQLObjectType } from 'graphql';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { countStatements, currentStatementCount, installStatementCounter } from '../../src/platform/db/statement-counter';

installStatementCounter();

pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });
const key = new TextEncoder().encode(process.env.JWT_SECRET);
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

const schema = buildSchema(`
  scalar Date
  scalar DateTime
  type Query { me: User }
  type User { id: ID! name: String! hubOf: Constellation }
  type Carer { id: ID! name: String! }
  type Child { id: ID! firstName: String! age: Int! }
  type Placement { id: ID! startDate: Date! child: Child! }
  type Household { id: ID! name: String! postcodeDistrict: String! carers: [Carer!]! currentPlacements: [Placement!] }
  type Membership { joinedOn: Date! household: Household! }
  type MembershipEdge { node: Membership! }
  type MembershipConnection { edges: [MembershipEdge!]! }
  type BedNight { date: Date! bedsTotal: Int! bedsBooked: Int! bedsFree: Int! blocked: Boolean! }
  input SessionFilter { from: DateTime }
  type Session { id: ID! title: String! kind: String! startsAt: DateTime! capacity: Int goingCount: Int! waitlistCount: Int! placesLeft: Int }
  type SessionEdge { node: Session! }
  type SessionConnection { edges: [SessionEdge!]! }
  enum SleepoverStatus { REQUESTED CONFIRMED DECLINED CANCELLED COMPLETED }
  input SleepoverFilter { status: [SleepoverStatus!] }
  type Sleepover { id: ID! kind: String! status: SleepoverStatus! startDate: Date! endDate: Date! childCount: Int! household: Household children: [Child!] }
  type SleepoverEdge { node: Sleepover! }
  type SleepoverConnection { edges: [SleepoverEdge!]! }
  type Constellation {
    id: ID! name: String! sleepoverBeds: Int!
    hub: Household!
    members(first: Int): MembershipConnection!
    availability(from: Date!, to: Date!): [BedNight!]!
    sessions(first: Int, filter: SessionFilter): SessionConnection!
    sleepovers(first: Int, filter: SleepoverFilter): SleepoverConnection!
  }
`);
const passThrough = (name: string) => new GraphQLScalarType({ name, serialize: (v) => v, parseValue: (v) => v, parseLiteral: (a) => ('value' in a ? a.value : null) });
Object.assign(schema.getType('Date')!, passThrough('Date'));
Object.assign(schema.getType('DateTime')!, passThrough('DateTime'));

function age(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  const leap = (yy: number) => (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0;
  const [mm, dd] = bm === 2 && bd === 29 && !leap(y) ? [3, 1] : [bm, bd];
  return y - by - (m < mm || (m === mm && d < dd) ? 1 : 0);
}

interface Ctx {
  viewer: { id: string; name: string; org: string; constellation_id: string | null };
  today: string;
  carers: DataLoader<string, object[]>;
  placements: DataLoader<string, object[]>;
}

const household = (h: { id: string; name: string; postcode_district: string }) => ({ ...h, id: gid('Household', h.id), rawId: h.id, postcodeDistrict: h.postcode_district });

const root = {
  me: (_a: unknown, ctx: Ctx) => ({ id: gid('User', ctx.viewer.id), name: ctx.viewer.name, constellationId: ctx.viewer.constellation_id }),
};

// graphql-js hands a resolver its parent and arguments untyped (GraphQLFieldResolver<any, …, any>); so does this baseline.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
const resolvers: Record<string, Record<string, (parent: any, args: any, ctx: Ctx) => unknown>> = {
  User: {
    hubOf: async (u, _a, ctx) => {
      if (!u.constellationId) return null;
      const { rows } = await pool.query(`select id, name, sleepover_beds from constellation where id = $1 and organisation_id = $2`, [u.constellationId, ctx.viewer.org]);
      const k = rows[0];
      return k && { id: gid('Constellation', k.id), rawId: k.id, name: k.name, sleepoverBeds: k.sleepover_beds };
    },
  },
  Constellation: {
    hub: async (k, _a, ctx) => {
      const { rows } = await pool.query(
        `select h.id, h.name, h.postcode_district from constellation_membership m join household h on h.id = m.household_id
          where m.constellation_id = $1 and m.role = 'HUB' and m.period @> $2::date`,
        [k.rawId, ctx.today],
      );
      return household(rows[0]);
    },
    members: async (k, args, ctx) => {
      const { rows } = await pool.query(
        `select m.id, m.joined_on, h.id as hid, h.name, h.postcode_district from constellation_membership m join household h on h.id = m.household_id
          where m.constellation_id = $1 and m.role = 'SATELLITE' and m.period @> $2::date order by h.name, m.id limit $3`,
        [k.rawId, ctx.today, args.first ?? 20],
      );
      return { edges: rows.map((r) => ({ node: { joinedOn: r.joined_on, household: household({ id: r.hid, name: r.name, postcode_district: r.postcode_district }) } })) };
    },
    availability: async (k, args) => {
      const { rows } = await pool.query(
        `select d::date::text as date, $3::int as beds_total,
                count(*) filter (where not c.is_block)::int as booked, bool_or(c.is_block) as blocked
           from generate_series($1::date, $2::date - 1, interval '1 day') d
           left join bed_claim c on c.constellation_id = $4 and c.nights @> d::date
          group by d order by d`,
        [args.from, args.to, k.sleepoverBeds, k.rawId],
      );
      return rows.map((r) => ({ date: r.date, bedsTotal: r.beds_total, bedsBooked: r.booked, blocked: !!r.blocked, bedsFree: r.blocked ? 0 : r.beds_total - r.booked }));
    },
    sessions: async (k, args) => {
      const { rows } = await pool.query(
        `select id, title, kind, starts_at, capacity, going_count, waitlist_count from peer_support_session
          where constellation_id = $1 and status = 'SCHEDULED' and starts_at >= $2 order by starts_at limit $3`,
        [k.rawId, args.filter?.from ?? new Date().toISOString(), args.first ?? 20],
      );
      return {
        edges: rows.map((s) => ({
          node: {
            id: gid('PeerSupportSession', s.id),
            title: s.title,
            kind: s.kind,
            startsAt: s.starts_at.toISOString(),
            capacity: s.capacity,
            goingCount: s.going_count,
            waitlistCount: s.waitlist_count,
            placesLeft: s.capacity == null ? null : Math.max(0, s.capacity - s.going_count),
          },
        })),
      };
    },
    sleepovers: async (k, args, ctx) => {
      const { rows } = await pool.query(
        `select s.id, s.kind, s.status, s.start_date, s.end_date, h.id as hid, h.name as hname, h.postcode_district,
                json_agg(json_build_object('id', c.id, 'first_name', c.first_name, 'dob', c.date_of_birth) order by c.first_name) as children
           from sleepover s join household h on h.id = s.household_id
           join sleepover_child sc on sc.sleepover_id = s.id join child c on c.id = sc.child_id
          where s.constellation_id = $1 and s.status = any($2::text[])
          group by s.id, h.id order by s.start_date, s.created_at limit $3`,
        [k.rawId, args.filter?.status ?? ['REQUESTED', 'CONFIRMED'], args.first ?? 20],
      );
      return {
        edges: rows.map((s) => ({
          node: {
            id: gid('Sleepover', s.id),
            kind: s.kind,
            status: s.status,
            startDate: s.start_date,
            endDate: s.end_date,
            childCount: s.children.length,
            household: household({ id: s.hid, name: s.hname, postcode_district: s.postcode_district }),
            children: s.children.map((c: { id: string; first_name: string; dob: string }) => ({ id: gid('Child', c.id), firstName: c.first_name, age: age(c.dob, ctx.today) })),
          },
        })),
      };
    },
  },
  Household: {
    carers: (h, _a, ctx) => ctx.carers.load(h.rawId),
    currentPlacements: (h, _a, ctx) => ctx.placements.load(h.rawId),
  },
};

// graphql-js's default resolver reads properties; give it the functions above per type.
for (const [typeName, fields] of Object.entries(resolvers)) {
  const type = schema.getType(typeName) as GraphQLObjectType;
  for (const [field, fn] of Object.entries(fields)) type.getFields()[field].resolve = fn;
}

function loaders(today: string) {
  return {
    carers: new DataLoader<string, object[]>(async (ids) => {
      const { rows } = await pool.query(`select id, name, household_id from carer where household_id = any($1::uuid[]) order by name, id`, [ids]);
      return ids.map((id) => rows.filter((r) => r.household_id === id).map((r) => ({ id: gid('Carer', r.id), name: r.name })));
    }),
    placements: new DataLoader<string, object[]>(async (ids) => {
      const { rows } = await pool.query(
        `select p.id, p.start_date, p.household_id, c.id as cid, c.first_name, c.date_of_birth from placement p join child c on c.id = p.child_id
          where p.household_id = any($1::uuid[]) and p.period @> $2::date order by p.start_date, p.id`,
        [ids, today],
      );
      return ids.map((id) =>
        rows
          .filter((r) => r.household_id === id)
          .map((r) => ({ id: gid('Placement', r.id), startDate: r.start_date, child: { id: gid('Child', r.cid), firstName: r.first_name, age: age(r.date_of_birth, today) } })),
      );
    }),
  };
}

// Counting statements runs each request in an AsyncLocalStorage context, which costs on Node 20:
// only the process the benchmark probes for counts does it (as for Hubnet).
const COUNTING = process.env.BASELINE_COUNT_STATEMENTS === '1';
const server = http.createServer((req, res) => void (COUNTING ? countStatements(() => handle(req, res)).result : handle(req, res)));

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const body = await new Promise<string>((resolve) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => resolve(b));
  });
  try {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const { payload } = await jwtVerify(token ?? '', key, { issuer: 'hubnet' });
    const today = londonToday();
    const { rows } = await pool.query(
      `select u.id, u.name, u.organisation_id as org, m.constellation_id from app_user u
         left join carer c on c.user_id = u.id
         left join constellation_membership m on m.household_id = c.household_id and m.role = 'HUB' and m.period @> $2::date
        where u.id = $1 and u.active`,
      [payload.sub, today],
    );
    if (!rows[0]) throw new Error('unauthenticated');
    const { query, variables } = JSON.parse(body);
    const result = await graphql({ schema, source: query, rootValue: root, contextValue: { viewer: rows[0], today, ...loaders(today) }, variableValues: variables });
    res.writeHead(200, { 'content-type': 'application/json', ...(COUNTING ? { 'x-sql-statements': String(currentStatementCount() ?? 0) } : {}) }).end(JSON.stringify(result));
  } catch (e) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(e) }] }));
  }
}
server.listen(Number(process.env.PORT ?? 4500), () => console.log(`baseline listening on ${process.env.PORT ?? 4500}`));
