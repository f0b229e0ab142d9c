/**
 * The hub dashboard timed as interleaved runs: Hubnet, PostGraphile and the baseline take turns
 * (the order rotating from one round to the next), so that a machine that slows down or speeds
 * up mid-run moves all three alike, and each round gives a same-moment ratio. One run of each
 * swings by ±20 % on a shared 2-core machine; the median ratio of several rounds does not.
 */
import { openLoop, type LoadResult, type Request } from './load';

export type Target = 'hubnet' | 'postgraphile' | 'baseline';
export const TARGETS: Target[] = ['hubnet', 'postgraphile', 'baseline'];

/** One timed run in a round. */
export interface PairRun {
  clients: number;
  round: number;
  target: Target;
  result: LoadResult;
  /** CPU milliseconds per request: the server process, all PostgreSQL processes. */
  cpu: { server: number; postgres: number };
}

export interface OpenRun {
  target: Target;
  rate: number;
  result: LoadResult;
}

export interface Measured {
  result: LoadResult;
  cpu: { server: number; postgres: number };
}

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** `rounds` rounds at each client count; in round r the targets start from the r-th. */
export async function interleavedRounds(clientCounts: number[], rounds: number, run: (target: Target, clients: number) => Promise<Measured>, log: (line: string) => void): Promise<PairRun[]> {
  const runs: PairRun[] = [];
  for (const clients of clientCounts) {
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < TARGETS.length; i++) {
        const target = TARGETS[(round + i) % TARGETS.length];
        const { result, cpu } = await run(target, clients);
        runs.push({ clients, round, target, result, cpu });
        log(
          `  round ${round + 1}/${rounds}, ${clients} clients, ${target}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors, CPU ${cpu.server.toFixed(2)} + ${cpu.postgres.toFixed(2)} ms/req`,
        );
      }
    }
  }
  return runs;
}

/** `repeats` open-loop runs of each target at `rate`, taking turns as above. */
export async function interleavedOpenLoops(
  urls: Record<Target, string>,
  rate: number,
  seconds: number,
  repeats: number,
  next: (t: Target) => () => Request,
  log: (line: string) => void,
): Promise<OpenRun[]> {
  const runs: OpenRun[] = [];
  for (let round = 0; round < repeats; round++) {
    for (let i = 0; i < TARGETS.length; i++) {
      const target = TARGETS[(round + i) % TARGETS.length];
      const result = await openLoop(urls[target], rate, seconds, next(target));
      runs.push({ target, rate, result });
      log(
        `  open loop ${rate}/s, run ${round + 1}/${repeats}, ${target}: served ${result.rps.toFixed(0)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.errors} errors`,
      );
    }
  }
  return runs;
}

export interface RoundsSummary {
  clients: number;
  rounds: number;
  /** Median req/s, p99 and CPU per request of each target. */
  median: Record<Target, { rps: number; p99: number; server: number; postgres: number }>;
  /** Median over rounds of each round's Hubnet / other ratio of req/s, and how many rounds Hubnet led. */
  ratio: Record<'postgraphile' | 'baseline', { rps: number; led: number }>;
}

export function summariseRounds(runs: PairRun[]): RoundsSummary[] {
  const counts = [...new Set(runs.map((r) => r.clients))];
  return counts.map((clients) => {
    const at = runs.filter((r) => r.clients === clients);
    const rounds = [...new Set(at.map((r) => r.round))];
    const of = (t: Target) => at.filter((r) => r.target === t);
    const med = (t: Target) => ({
      rps: median(of(t).map((r) => r.result.rps)),
      p99: median(of(t).map((r) => r.result.p99)),
      server: median(of(t).map((r) => r.cpu.server)),
      postgres: median(of(t).map((r) => r.cpu.postgres)),
    });
    const ratio = (other: 'postgraphile' | 'baseline') => {
      const perRound = rounds.map((round) => {
        const h = at.find((r) => r.round === round && r.target === 'hubnet')!.result.rps;
        const o = at.find((r) => r.round === round && r.target === other)!.result.rps;
        return h / o;
      });
      return { rps: median(perRound), led: perRound.filter((x) => x > 1).length };
    };
    return {
      clients,
      rounds: rounds.length,
      median: { hubnet: med('hubnet'), postgraphile: med('postgraphile'), baseline: med('baseline') },
      ratio: { postgraphile: ratio('postgraphile'), baseline: ratio('baseline') },
    };
  });
}

export function summariseOpen(runs: OpenRun[]): Record<Target, { runs: number; served: number; p99: number; worstP99: number; errors: number }> {
  const of = (t: Target) => runs.filter((r) => r.target === t);
  const s = (t: Target) => ({
    runs: of(t).length,
    served: median(of(t).map((r) => r.result.rps)),
    p99: median(of(t).map((r) => r.result.p99)),
    worstP99: Math.max(...of(t).map((r) => r.result.p99)),
    errors: of(t).reduce((n, r) => n + r.result.errors, 0),
  });
  return { hubnet: s('hubnet'), postgraphile: s('postgraphile'), baseline: s('baseline') };
}

/** RESULTS.md's section for the interleaved dashboard runs. */
export function roundsMarkdown(summaries: RoundsSummary[], open: ReturnType<typeof summariseOpen> | null, openRate: number, seconds: number): string[] {
  const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  const lines = [
    '## Hub dashboard: Hubnet, PostGraphile and the baseline taking turns',
    '',
    `Closed loops of ${seconds} s, the three servers taking turns in a rotating order; the ratio is the median over rounds of each round's Hubnet / other req/s ("led": rounds in which Hubnet served more).`,
    '',
    '| clients | rounds | Hubnet req/s | PostGraphile req/s | baseline req/s | Hubnet / PostGraphile | Hubnet / baseline | Hubnet p99 ms | PostGraphile p99 ms |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map(
      (s) =>
        `| ${s.clients} | ${s.rounds} | ${f(s.median.hubnet.rps, 0)} | ${f(s.median.postgraphile.rps, 0)} | ${f(s.median.baseline.rps, 0)} | **${f(s.ratio.postgraphile.rps, 2)}** (led ${s.ratio.postgraphile.led}/${s.rounds}) | ${f(s.ratio.baseline.rps, 2)} (led ${s.ratio.baseline.led}/${s.rounds}) | ${f(s.median.hubnet.p99, 1)} | ${f(s.median.postgraphile.p99, 1)} |`,
    ),
    '',
    'CPU per request (medians of the same runs; server process + all PostgreSQL processes, ms):',
    '',
    '| clients | Hubnet | PostGraphile | baseline |',
    '| ---: | ---: | ---: | ---: |',
    ...summaries.map((s) => `| ${s.clients} | ${(['hubnet', 'postgraphile', 'baseline'] as Target[]).map((t) => `${f(s.median[t].server, 2)} + ${f(s.median[t].postgres, 2)}`).join(' | ')} |`),
    '',
  ];
  if (open) {
    lines.push(
      `Open loop at ${openRate} req/s (latency from when each request was due), taking turns likewise:`,
      '',
      '| server | runs | served req/s (median) | p99 ms (median) | worst p99 ms | errors |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...(['hubnet', 'postgraphile', 'baseline'] as Target[]).map((t) => `| ${t} | ${open[t].runs} | ${f(open[t].served, 0)} | ${f(open[t].p99, 1)} | ${f(open[t].worstP99, 1)} | ${open[t].errors} |`),
      '',
    );
  }
  return lines;
}
