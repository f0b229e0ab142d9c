import DataLoader from 'dataloader';

/**
 * A DataLoader for one connection field under a list of parents (members of each constellation,
 * children of each …): keys that share the same arguments are answered by one statement, which
 * fetches a page per parent (typically a lateral join). Cost follows the query's shape, not the
 * number of parents.
 */
export function pagedLoader<A, R>(run: (parentIds: string[], args: A) => Promise<Map<string, R[]>>) {
  return new DataLoader<{ parentId: string; args: A }, R[], string>(
    async (keys) => {
      const groups = new Map<string, { args: A; ids: string[] }>();
      for (const k of keys) {
        const sig = JSON.stringify(k.args);
        let g = groups.get(sig);
        if (!g) groups.set(sig, (g = { args: k.args, ids: [] }));
        g.ids.push(k.parentId);
      }
      const results = new Map<string, R[]>();
      await Promise.all(
        [...groups.entries()].map(async ([sig, g]) => {
          const byParent = await run(g.ids, g.args);
          for (const id of g.ids) results.set(`${sig}|${id}`, byParent.get(id) ?? []);
        }),
      );
      return keys.map((k) => results.get(`${JSON.stringify(k.args)}|${k.parentId}`) ?? []);
    },
    { cacheKeyFn: (k) => `${JSON.stringify(k.args)}|${k.parentId}` },
  );
}
