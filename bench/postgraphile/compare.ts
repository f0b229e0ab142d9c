import { isDeepStrictEqual } from 'node:util';
import { idOf } from '../../src/platform/graphql/ids';

/**
 * The bench's check, before any timing, that PostGraphile answers the same dashboard as Hubnet for
 * the same hub carer: the same constellation, hub, satellite households and carers, nights,
 * sessions, waiting sleepovers and children, in the same order. Both responses are brought to one
 * shape first; what differs by design (README.md here) is mapped, not ignored: Hubnet's global IDs
 * are decoded to the UUIDs PostGraphile returns, and a `currentPlacements` Hubnet withholds (null)
 * must be an empty list in PostGraphile's — any placement shown there is a difference.
 */

interface Dashboard {
  constellation: unknown;
  hub: unknown;
  members: unknown[];
  availability: unknown[];
  sessions: unknown[];
  sleepovers: { children: unknown[] }[];
}

// The two responses as the bench's queries select them (bench/queries.ts, ./queries.ts).
interface Named {
  id: string;
  name: string;
}
interface HubnetPlacement {
  id: string;
  startDate: string;
  child: { id: string; firstName: string; age: number };
}
interface HubnetSleepover {
  id: string;
  kind: string;
  status: string;
  startDate: string;
  endDate: string;
  childCount: number;
  household: Named | null;
  children: { id: string; firstName: string }[] | null;
}
interface HubnetSession {
  id: string;
  startsAt: string;
  [field: string]: unknown;
}
interface HubnetBody {
  data?: {
    me?: {
      hubOf?: {
        id: string;
        name: string;
        sleepoverBeds: number;
        hub: Named & { carers: Named[] };
        members: { edges: { node: { joinedOn: string; household: Named & { postcodeDistrict: string; carers: Named[]; currentPlacements: HubnetPlacement[] | null } } }[] };
        availability: unknown[];
        sessions: { edges: { node: HubnetSession }[] };
        sleepovers: { edges: { node: HubnetSleepover }[] };
      } | null;
    } | null;
  };
}
type Nodes<T> = { nodes: T[] };
interface PgNamed {
  rowId: string;
  name: string;
}
interface PgBody {
  errors?: unknown[];
  data?: {
    hubOf?: {
      rowId: string;
      name: string;
      sleepoverBeds: number;
      hub: PgNamed & { carers: Nodes<PgNamed> };
      members: Nodes<{
        joinedOn: string;
        household: PgNamed & {
          postcodeDistrict: string;
          carers: Nodes<PgNamed>;
          currentPlacements: Nodes<{ rowId: string; startDate: string; child: { rowId: string; firstName: string; age: number } }>;
        };
      }>;
      availability: Nodes<unknown>;
      sessions: Nodes<{ rowId: string; startsAt: string; [field: string]: unknown }>;
      sleepovers: Nodes<{
        rowId: string;
        kind: string;
        status: string;
        startDate: string;
        endDate: string;
        childCount: number;
        household: PgNamed | null;
        children: Nodes<{ rowId: string; firstName: string }>;
      }>;
    } | null;
  };
}

const uuid = (type: string, globalId: unknown) => idOf(type, globalId) ?? `not a ${type} ID: ${String(globalId)}`;
const instant = (v: string) => new Date(v).toISOString();

function fromHubnet(body: HubnetBody): Dashboard {
  const k = body?.data?.me?.hubOf;
  if (!k) throw new Error(`Hubnet's dashboard has no hubOf: ${JSON.stringify(body).slice(0, 500)}`);
  const carers = (cs: Named[]) => cs.map((c) => ({ id: uuid('Carer', c.id), name: c.name }));
  return {
    constellation: { id: uuid('Constellation', k.id), name: k.name, sleepoverBeds: k.sleepoverBeds },
    hub: { id: uuid('Household', k.hub.id), name: k.hub.name, carers: carers(k.hub.carers) },
    members: k.members.edges.map(({ node: m }) => ({
      joinedOn: m.joinedOn,
      household: {
        id: uuid('Household', m.household.id),
        name: m.household.name,
        postcodeDistrict: m.household.postcodeDistrict,
        carers: carers(m.household.carers),
        currentPlacements: (m.household.currentPlacements ?? []).map((p) => ({
          id: uuid('Placement', p.id),
          startDate: p.startDate,
          child: { id: uuid('Child', p.child.id), firstName: p.child.firstName, age: p.child.age },
        })),
      },
    })),
    availability: k.availability,
    sessions: k.sessions.edges.map(({ node: s }) => ({ ...s, id: uuid('PeerSupportSession', s.id), startsAt: instant(s.startsAt) })),
    sleepovers: k.sleepovers.edges.map(({ node: s }) => ({
      id: uuid('Sleepover', s.id),
      kind: s.kind,
      status: s.status,
      startDate: s.startDate,
      endDate: s.endDate,
      childCount: s.childCount,
      household: s.household && { id: uuid('Household', s.household.id), name: s.household.name },
      children: (s.children ?? []).map((c) => ({ id: uuid('Child', c.id), firstName: c.firstName })),
    })),
  };
}

function fromPostgraphile(body: PgBody): Dashboard {
  const k = body?.data?.hubOf;
  if (!k || body.errors) throw new Error(`PostGraphile's dashboard has no hubOf: ${JSON.stringify(body).slice(0, 500)}`);
  const carers = (cs: Nodes<PgNamed>) => cs.nodes.map((c) => ({ id: c.rowId, name: c.name }));
  return {
    constellation: { id: k.rowId, name: k.name, sleepoverBeds: k.sleepoverBeds },
    hub: { id: k.hub.rowId, name: k.hub.name, carers: carers(k.hub.carers) },
    members: k.members.nodes.map((m) => ({
      joinedOn: m.joinedOn,
      household: {
        id: m.household.rowId,
        name: m.household.name,
        postcodeDistrict: m.household.postcodeDistrict,
        carers: carers(m.household.carers),
        currentPlacements: m.household.currentPlacements.nodes.map((p) => ({
          id: p.rowId,
          startDate: p.startDate,
          child: { id: p.child.rowId, firstName: p.child.firstName, age: p.child.age },
        })),
      },
    })),
    availability: k.availability.nodes,
    sessions: k.sessions.nodes.map(({ rowId, ...s }) => ({ ...s, id: rowId, startsAt: instant(s.startsAt) })),
    sleepovers: k.sleepovers.nodes.map((s) => ({
      id: s.rowId,
      kind: s.kind,
      status: s.status,
      startDate: s.startDate,
      endDate: s.endDate,
      childCount: s.childCount,
      household: s.household && { id: s.household.rowId, name: s.household.name },
      children: s.children.nodes.map((c) => ({ id: c.rowId, firstName: c.firstName })),
    })),
  };
}

/** Where two values differ, as paths (at most `limit`). */
function differences(a: unknown, b: unknown, at: string, out: string[], limit = 10): void {
  if (out.length >= limit || isDeepStrictEqual(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${at}: ${a.length} entries in Hubnet's, ${b.length} in PostGraphile's`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) differences(a[i], b[i], `${at}[${i}]`, out, limit);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out, limit);
    return;
  }
  out.push(`${at}: Hubnet ${JSON.stringify(a)}, PostGraphile ${JSON.stringify(b)}`);
}

/**
 * Compares the two responses; returns what they hold (for the bench's output) or throws, naming
 * where they differ.
 */
export function assertSameDashboard(hubnetBody: unknown, postgraphileBody: unknown): string {
  // Parsed JSON as the queries select it; a response of another shape throws in the mapping.
  const h = fromHubnet(hubnetBody as HubnetBody);
  const p = fromPostgraphile(postgraphileBody as PgBody);
  const out: string[] = [];
  differences(h, p, 'hubOf', out);
  if (out.length) throw new Error(`PostGraphile's hub dashboard differs from Hubnet's:\n  ${out.join('\n  ')}`);
  const children = h.sleepovers.reduce((n, s) => n + s.children.length, 0);
  return `${h.members.length} satellite households, ${h.availability.length} nights, ${h.sessions.length} sessions, ${h.sleepovers.length} waiting sleepovers with ${children} children`;
}
