import { onCascade, type CascadeEvent } from '../../src/platform/cascades';

/** Every cascade the file's requests raise, in order: call at the top of a test file. */
export function recordCascades(): CascadeEvent[] {
  const events: CascadeEvent[] = [];
  onCascade(async (_tx, event) => {
    events.push(event);
  });
  return events;
}
