import { startTestApp, type TestApp } from '../support/app';
import { day } from '../support/fixtures';

type Login = { id: string; token: string };

/** The app and the organisation-wide staff a file's hubs are built in. */
export interface HubWorld {
  t: TestApp;
  org: string;
  manager: Login;
  ssw: Login;
}

export async function startHubWorld(organisation: string): Promise<HubWorld> {
  const t = await startTestApp();
  const org = await t.fx.organisation(organisation);
  return { t, org, manager: await t.fx.user(org, 'FOSTERING_MANAGER'), ssw: await t.fx.user(org, 'SUPERVISING_SOCIAL_WORKER') };
}

export interface Hub {
  k: string;
  hub: string;
  sat: string;
  liaison: Login;
  /** Tokens of the hub's carer and the satellite's carer. */
  hubCarer: string;
  satCarer: string;
  satCarerUserId: string;
}

export interface HubOptions {
  beds?: number;
  minAge?: number;
  maxAge?: number;
  maxChildren?: number;
  /** Children placed with the hub household itself. */
  own?: number;
}

/**
 * Builders for a file whose tests each build their own hub (a constellation with its own liaison
 * worker, a hub household and one satellite, each with a carer), so that no test shares nights,
 * beds or limits with another. `world` is read when a builder runs, after beforeAll has set it.
 */
export function hubBuilders(world: () => HubWorld, defaults: { beds: number }) {
  async function makeHub(opts: HubOptions = {}): Promise<Hub> {
    const { t, org } = world();
    const liaison = await t.fx.user(org, 'LIAISON_WORKER');
    const hub = await t.fx.household(org, { name: 'Hub', minAge: opts.minAge ?? 0, maxAge: opts.maxAge ?? 17, maxChildren: opts.maxChildren ?? 6 });
    const k = await t.fx.constellation(org, hub, { beds: opts.beds ?? defaults.beds, liaison: liaison.id });
    const sat = await t.fx.household(org, { name: 'Satellite', maxChildren: 6 });
    await t.fx.member(org, k, sat);
    const hubCarer = (await t.fx.carer(org, hub)).token!;
    const satCarer = await t.fx.carer(org, sat);
    for (let i = 0; i < (opts.own ?? 0); i++) await t.fx.placement(org, await t.fx.child(org, { firstName: `Own${i}` }), hub);
    return { k, hub, sat, liaison, hubCarer, satCarer: satCarer.token!, satCarerUserId: satCarer.userId! };
  }

  /** A child of `years` placed with the satellite (or `household`); consent as the fixtures give it unless `consent` says otherwise. */
  async function kid(h: Hub, opts: { name?: string; years?: number; consent?: string | null; household?: string } = {}): Promise<string> {
    const { t, org } = world();
    const c = await t.fx.child(org, { firstName: opts.name ?? 'Kid', dob: day(-Math.round((opts.years ?? 9) * 365.25) - 10), consent: opts.consent });
    await t.fx.placement(org, c, opts.household ?? h.sat);
    return c;
  }

  /** Runs a one-field operation with `{ i }` as its variables and answers that field's payload. */
  async function gql(doc: string, i: Record<string, unknown>, token: string) {
    const r = await world().t.gql(doc, { i }, { token });
    expect(r.errors).toBeUndefined();
    return Object.values(r.data as Record<string, unknown>)[0] as any;
  }

  return { makeHub, kid, gql };
}
