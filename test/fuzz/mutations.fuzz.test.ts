import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { hubnetSchema } from '../../src/app/schema';
import { startTestApp, type TestApp } from '../support/app';
import { gid } from '../support/fixtures';
import { errorsOf, openSocket } from '../support/socket';
import { inputArbitrary } from './arbitraries';

/**
 * Random and malformed input to every mutation of the schema: never a 5xx, never an internal or
 * unmasked error, and for every refused call the database is exactly as it was (row counts and a
 * checksum of every table). Over graphql-ws too: there every mutation is refused before it runs,
 * and random arguments to every subscription get a clean answer on a socket that stays open.
 */
const RUNS_PER_MUTATION = Number(process.env.FUZZ_RUNS ?? 25);
const ALLOWED_ERROR_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'FORBIDDEN', 'UNAUTHENTICATED', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED']);

let t: TestApp;
// Built at collection time: test.each needs the mutation names before beforeAll runs.
const schema: GraphQLSchema = hubnetSchema();
let ids: string[];
let tokens: string[];
let tables: string[];
beforeAll(async () => {
  t = await startTestApp();
  const w = await t.fx.world();
  ids = [
    gid('Household', w.satA),
    gid('Household', w.lone),
    gid('Household', w.hubHousehold),
    gid('Household', w.foreignHousehold),
    gid('Constellation', w.k),
    gid('Constellation', w.k2),
    gid('Child', w.childA),
    gid('Child', w.childB),
    gid('Child', w.foreignChild),
    gid('Placement', w.placementA),
    // A user whose token the fuzz does not use: a random deactivateUser that succeeds on it must not
    // close the sockets of the viewers below (4403) for the rest of the file.
    gid('User', w.otherLiaison.id),
    gid('User', w.foreignAdmin.id),
    gid('Carer', w.carerA.carerId),
    // Right id, wrong type.
    gid('Child', w.satA),
    gid('Household', w.childA),
  ];
  tokens = [w.admin.token, w.manager.token, w.hubCarer.token!, w.carerA.token!];
  tables = (await t.fx.sql(`select tablename from pg_tables where schemaname = current_schema() and tablename not in ('mikro_orm_migrations') order by 1`)).map((r) => r.tablename);
});
afterAll(async () => t.stop());

/** One checksum per table: any row added, removed or changed shows. */
async function snapshot(): Promise<Record<string, string>> {
  const parts = tables.map((tb) => `select '${tb}' as t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as s from "${tb}" x`);
  const rows = await t.fx.sql(parts.join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.t, r.s]));
}

function mutationCases() {
  const fields = Object.values(schema.getMutationType()!.getFields());
  return fields.filter((f) => f.name !== 'login').map((f) => [f.name] as const);
}

test.each(mutationCases())('%s: random and malformed input', async (name) => {
  const field = schema.getMutationType()!.getFields()[name];
  const arg = field.args.find((a) => a.name === 'input');
  const selection = 'userErrors { field message code }';
  const inputArb = arg ? inputArbitrary(arg.type, { ids }) : fc.constant(undefined);
  const argType = arg ? `($i: ${String(arg.type)})` : '';
  const query = `mutation${argType} { ${name}${arg ? '(input: $i)' : ''} { ${selection} } }`;

  await fc.assert(
    fc.asyncProperty(inputArb, fc.constantFrom(...tokens), async (input, token) => {
      const before = await snapshot();
      const r = await t.gql(query, arg ? { i: input } : {}, { token });
      expect(r.status).toBeLessThan(500);
      for (const e of r.errors ?? []) {
        expect(ALLOWED_ERROR_CODES.has(String(e.extensions?.code))).toBe(true);
        expect(JSON.stringify(e)).not.toMatch(/\n\s+at |stacktrace|node_modules/);
      }
      const refused = (r.errors?.length ?? 0) > 0 || (r.data?.[name]?.userErrors?.length ?? 0) > 0;
      if (refused) {
        expect(await snapshot()).toEqual(before);
      }
    }),
    // Password checks cost an argon2 verification each: fewer runs there keep the suite quick.
    { numRuns: name === 'changePassword' ? Math.ceil(RUNS_PER_MUTATION / 4) : RUNS_PER_MUTATION, endOnFailure: true },
  );
});

function subscriptionCases() {
  return Object.values(schema.getSubscriptionType()!.getFields()).map((f) => [f.name] as const);
}

test.each(mutationCases())('%s over graphql-ws: refused before it runs, whatever the input', async (name) => {
  const field = schema.getMutationType()!.getFields()[name];
  const arg = field.args.find((a) => a.name === 'input');
  const inputArb = arg ? inputArbitrary(arg.type, { ids }) : fc.constant(undefined);
  const query = `mutation${arg ? `($i: ${String(arg.type)})` : ''} { ${name}${arg ? '(input: $i)' : ''} { userErrors { field message code } } }`;
  await fc.assert(
    fc.asyncProperty(inputArb, fc.constantFrom(...tokens), async (input, token) => {
      const before = await snapshot();
      const s = await openSocket(t.url, token);
      try {
        const r = await s.run(query, arg ? { i: input } : {});
        // A frame over the cap closes the socket before anything is parsed: refused too.
        if (r.type === 'closed') expect(r.payload.code).toBe(1009);
        else {
          const errors = errorsOf(r);
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) {
            expect(ALLOWED_ERROR_CODES.has(String(e.extensions?.code)) || e.extensions?.code === 'BAD_REQUEST').toBe(true);
            expect(JSON.stringify(e)).not.toMatch(/\n\s+at |stacktrace|node_modules/);
          }
        }
      } finally {
        s.close();
      }
      expect(await snapshot()).toEqual(before);
    }),
    { numRuns: Math.ceil(RUNS_PER_MUTATION / 5), endOnFailure: true },
  );
});

test.each(subscriptionCases())('%s over graphql-ws: random arguments get a clean answer', async (name) => {
  const field = schema.getSubscriptionType()!.getFields()[name];
  const vars = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `subscription${vars ? `(${vars})` : ''} { ${name}${args ? `(${args})` : ''} { __typename } }`;
  const values = fc.record(Object.fromEntries(field.args.map((a) => [a.name, inputArbitrary(a.type, { ids })])));
  for (const token of tokens) {
    let s = await openSocket(t.url, token);
    try {
      await fc.assert(
        fc.asyncProperty(values, async (v) => {
          if (s.ws.readyState !== s.ws.OPEN) s = await openSocket(t.url, token);
          // Subscribed (no answer until an event) or refused at once, cleanly; never an internal error.
          const r = await Promise.race([s.run(query, v), new Promise<null>((res) => setTimeout(() => res(null), 100))]);
          if (r?.type === 'closed') return void expect(r.payload.code).toBe(1009);
          if (r) {
            for (const e of errorsOf(r)) {
              expect(ALLOWED_ERROR_CODES.has(String(e.extensions?.code)) || e.extensions?.code === 'BAD_REQUEST').toBe(true);
              expect(JSON.stringify(e)).not.toMatch(/\n\s+at |stacktrace|node_modules|syntax|invalid input/i);
            }
          }
          expect(s.ws.readyState).toBe(s.ws.OPEN);
        }),
        { numRuns: Math.ceil(RUNS_PER_MUTATION / 5), endOnFailure: true },
      );
    } finally {
      s.close();
    }
  }
});
