/**
 * Global IDs: opaque to clients, base64url("Type:uuid"). Decoding never throws: anything that is
 * not one of ours reads as "unknown", exactly like an ID of another organisation.
 */
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: unknown): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200) return null;
  const raw = Buffer.from(globalId, 'base64url').toString('utf8');
  const i = raw.indexOf(':');
  if (i <= 0) return null;
  const type = raw.slice(0, i);
  const id = raw.slice(i + 1);
  if (!UUID_RE.test(id)) return null;
  return { type, id };
}

/** The database id behind a global id of the expected type, or null. */
export function idOf(type: string, globalId: unknown): string | null {
  const d = fromGlobalId(globalId);
  return d && d.type === type ? d.id : null;
}
