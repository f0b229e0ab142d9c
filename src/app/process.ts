import type { Logger } from '../platform/log';

/** How long a graceful stop may take before the process exits anyway (a deployment's grace period is longer). */
const FORCED_EXIT_MS = 20_000;

/**
 * SIGTERM and SIGINT stop the process once, gracefully: `stop` finishes what is in flight, then
 * the process exits 0, or 1 when stopping failed or took longer than FORCED_EXIT_MS.
 */
export function stopOnSignals(log: Logger, what: string, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, `${what} shutting down`);
    const force = setTimeout(() => process.exit(1), FORCED_EXIT_MS);
    force.unref();
    try {
      await stop();
      process.exit(0);
    } catch (err) {
      log.error({ err }, `${what} shutdown failed`);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void onSignal('SIGTERM'));
  process.on('SIGINT', () => void onSignal('SIGINT'));
}

/** Runs an entry point; a failure to start is printed and exits 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
