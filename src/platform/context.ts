import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer';
import type { App } from './app';
import type { Logger } from './log';

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
