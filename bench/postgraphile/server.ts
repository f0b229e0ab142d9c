/**
 * The PostGraphile comparator: PostGraphile 5 (amber preset) served by grafserv on Node's http,
 * answering the hub carer's dashboard from the bench_pg views and functions (schema.sql), so
 * Hubnet's figures can also be read as ratios to a schema-first server that compiles the whole
 * dashboard into one SQL statement. Same auth work as the others: the bearer token is verified
 * on every request, and the viewer it names is what every view filters on (through pgSettings).
 *
 * Needs Node 22 or later (PostGraphile 5's engines); the bench starts it on Node 24 when it runs
 * on anything older. Environment: PORT, DATABASE_URL (the hubnet_postgraphile role's URL, from
 * setup.ts), JWT_SECRET, DB_POOL_MAX, POSTGRAPHILE_COUNT_STATEMENTS=1 for the idle process the
 * bench asks how many statements a request took (GET /__statements: every statement sent so far).
 */
import http from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const COUNTING = process.env.POSTGRAPHILE_COUNT_STATEMENTS === '1';
let statements = 0;
if (COUNTING) {
  // Every statement any client of the pool sends: transaction control and set_config included,
  // as they cost a round trip each.
  const proto = pg.Client.prototype as unknown as { query: (this: pg.Client, ...args: unknown[]) => unknown };
  const query = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  };
}

const key = new TextEncoder().encode(process.env.JWT_SECRET);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });

/** The viewer's id for the views, or none (then every view is empty and hubOf is null). */
async function viewerOf(authorization: string | undefined): Promise<string | null> {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key, { issuer: 'hubnet', algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    return payload.sub ?? null;
  } catch {
    return null;
  }
}

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ['bench_pg'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, websockets: false, watch: false },
  grafast: {
    explain: false,
    async context(requestContext) {
      const userId = await viewerOf(requestContext.node?.req.headers.authorization);
      return { pgSettings: userId ? { 'jwt.claims.user_id': userId } : {} };
    },
  },
};

async function main() {
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  // Build the schema before listening, so the first measured request does not pay for it.
  await pgl.getSchema();
  const handler = serv.createHandler();
  const server = http.createServer((req, res) => {
    if (COUNTING && req.url === '/__statements') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ statements }));
      return;
    }
    handler(req, res);
  });
  const port = Number(process.env.PORT ?? 4700);
  server.listen(port, '127.0.0.1', () => console.log(`postgraphile listening on ${port} (Node ${process.version})`));
  // Nothing to drain between benchmark runs: a graceful close would wait on the load generator's
  // keep-alive connections.
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
