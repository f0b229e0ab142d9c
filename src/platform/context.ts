import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { App } from './app';
import type { Logger } from './log';
import type { Viewer } from './viewer';

/**
 * Everything one request (or one subscription event) needs. Built fresh each time and never
 * shared: its EntityManager fork and its DataLoaders cache only what this viewer may see.
 */
export class Ctx {
  private readonly loaderCache = new Map<symbol, unknown>();
  private currentViewer: Viewer | null;

  constructor(
    readonly app: App,
    readonly em: EntityManager,
    viewer: Viewer | null,
    readonly requestId: string,
    readonly log: Logger,
    readonly idempotencyKey: string | null = null,
    readonly clientAddress: string | null = null,
    /** scheme://host the request came in on, for links back to the service when PUBLIC_URL is unset. */
    readonly origin: string | null = null,
  ) {
    this.currentViewer = viewer;
  }

  get viewer(): Viewer | null {
    return this.currentViewer;
  }

  /**
   * A successful login answers as the user who just logged in (their organisation, household,
   * hub…), and so does the rest of that request: the credentials were just shown. Loaders cached
   * so far were scoped to the previous viewer, so they are dropped.
   */
  actAs(viewer: Viewer): void {
    this.currentViewer = viewer;
    this.loaderCache.clear();
  }

  /** A per-request memo; capabilities use it for their DataLoaders (see defineLoader). */
  memo<T>(key: symbol, make: (ctx: Ctx) => T): T {
    let v = this.loaderCache.get(key) as T | undefined;
    if (v === undefined) {
      v = make(this);
      this.loaderCache.set(key, v);
    }
    return v;
  }
}

/** Declares a per-request DataLoader (or any memo) next to the capability that owns it. */
export function defineLoader<T>(name: string, make: (ctx: Ctx) => T): (ctx: Ctx) => T {
  const key = Symbol(name);
  return (ctx: Ctx) => ctx.memo(key, make);
}

/**
 * A subscription forks per event (DESIGN.md): each event is executed with a Ctx of its own, so
 * nothing cached for one event (entities, DataLoaders) is served for the next, and the subscriber
 * is looked up again — a deactivated user gets nothing more. A subscription source that already
 * built the event's Ctx (to decide whether to deliver it) binds it here; the WebSocket layer uses
 * it, or builds a fresh one.
 */
const eventContexts = new WeakMap<object, Ctx>();

export function withEventContext<T extends object>(event: T, ctx: Ctx): T {
  eventContexts.set(event, ctx);
  return event;
}

export function eventContextOf(event: unknown): Ctx | undefined {
  return event && typeof event === 'object' ? eventContexts.get(event) : undefined;
}

/** A fresh Ctx for one event of a user's subscription; its viewer is null once the user is deactivated. */
export async function subscriberContext(app: App, userId: string): Promise<Ctx> {
  const em = app.orm.em.fork() as unknown as EntityManager;
  const viewer = await app.auth.loadViewer(em, userId);
  const requestId = randomUUID();
  return new Ctx(app, em, viewer, requestId, app.log.child({ requestId }));
}
