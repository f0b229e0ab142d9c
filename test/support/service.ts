import { loadViewer } from '../../src/auth/viewer';
import { Ctx } from '../../src/platform/context';
import { runMutation, type Outcome, type Tx } from '../../src/platform/mutation';
import type { TestApp } from './app';

/**
 * A request context for a user, built the way the HTTP layer builds one, so tests can call domain
 * services directly (fine-grained rules) through the same transaction and audit runner.
 */
export async function contextFor(t: TestApp, userId: string): Promise<Ctx> {
  const app = t.service.app;
  const em = app.orm.em.fork();
  const viewer = await loadViewer(em, userId);
  if (!viewer) throw new Error(`no active user ${userId}`);
  return new Ctx(app, em, viewer, `service-test-${Date.now()}`, app.log);
}

/** Runs a domain service as `userId` inside the mutation runner (one transaction, audit, userErrors). */
export async function runAs<P extends object>(t: TestApp, userId: string, action: string, input: unknown, fn: (tx: Tx) => Promise<Outcome<P>>) {
  return runMutation(await contextFor(t, userId), action, input, fn);
}
