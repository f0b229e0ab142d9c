/**
 * How a screen uses the typed client: variables and result are checked against the schema at
 * compile time (try misspelling a field in docs/operations/hub-dashboard.graphql and run
 * `npm run codegen`).
 */
import { createHubnetClient } from './client';
import { HubDashboardDocument, LoginDocument } from './graphql';

export async function hubDashboard(url: string, email: string, password: string, byDocumentId = false) {
  let token: string | null = null;
  const request = createHubnetClient({ url, token: () => token, byDocumentId });
  const login = await request(LoginDocument, { input: { email, password } });
  // Two kinds of failure: top-level errors (the request could not run) and userErrors (it ran and
  // the answer is no, e.g. INVALID_CREDENTIALS).
  if (login.errors) throw new Error(login.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  const problem = login.data?.login.userErrors[0];
  if (problem) throw new Error(`${problem.code}: ${problem.message}`);
  token = login.data?.login.token ?? null;
  const today = new Date().toISOString().slice(0, 10);
  const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const { data, errors } = await request(HubDashboardDocument, { from: today, to: inAWeek, now: new Date().toISOString() });
  if (errors) throw new Error(errors.map((e) => `${e.extensions?.code}: ${e.message}`).join('; '));
  const hub = data?.me?.hubOf;
  return {
    constellation: hub?.name,
    households: hub?.members.edges.map((e) => e.node.household.name) ?? [],
    freeBedsTonight: hub?.availability[0]?.bedsFree,
    waitingRequests: hub?.sleepovers.edges.length ?? 0,
  };
}
