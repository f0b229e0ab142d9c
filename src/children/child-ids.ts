import { idOf } from '../platform/graphql/ids';
import { type Problems, UserErrorCode } from '../platform/graphql/user-errors';

/**
 * The children named by an input's `childIds`, decoded: a problem for an id that is not a Child's,
 * or a child named twice. Whether the children exist and may be named is for the caller's scoped
 * read; the ids come back in the order given.
 */
export function decodeChildIds(p: Problems, globalIds: string[]): string[] {
  const ids = globalIds.map((g) => idOf('Child', g));
  if (ids.some((id) => !id)) p.add(UserErrorCode.NOT_FOUND, 'No such child.', ['input', 'childIds']);
  else if (new Set(ids).size !== ids.length) p.add(UserErrorCode.INVALID_INPUT, 'A child is named twice.', ['input', 'childIds']);
  return ids as string[];
}
