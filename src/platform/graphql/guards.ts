import type { Ctx } from '../context';
import type { Viewer } from '../viewer';
import { unauthenticated } from './errors';

/** Per-resolver guard (no global middleware on hot paths): every query but `me` and `login` needs a viewer. */
export function viewerOf(ctx: Ctx): Viewer {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}
