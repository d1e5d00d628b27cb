// Everything a bench starts (engines, the registry) registers its stop() here, so Ctrl-C or a
// crash in the middle of a run still stops the daemons and removes their temp dirs.

type Stopper = () => Promise<void>;

const stoppers = new Set<Stopper>();
let installed = false;
let abortSignal: string | undefined;

/** The signal that interrupted the run, if any: results gathered after it are not trustworthy. */
export function aborted(): string | undefined {
  return abortSignal;
}

async function runAll(): Promise<void> {
  // Newest first: engines go before the registry they pull from. Each stopper memoizes its
  // promise, so a second runAll (signal handler and main's finally) waits for the same work.
  for (const stop of [...stoppers].reverse()) {
    try {
      await stop();
    } catch (e) {
      process.stderr.write(`bench cleanup: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      abortSignal = sig;
      process.stderr.write(`\nbench: ${sig}, stopping engines and removing temp dirs…\n`);
      void runAll().finally(() => process.exit(130));
    });
  }
}

/** Registers stop; returns a function that runs it once (later calls share that run). */
export function onCleanup(stop: Stopper): Stopper {
  install();
  let running: Promise<void> | undefined;
  const once: Stopper = () => (running ??= stop().finally(() => stoppers.delete(once)));
  stoppers.add(once);
  return once;
}

export function cleanupAll(): Promise<void> {
  return runAll();
}
