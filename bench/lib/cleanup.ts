// Everything a bench starts (engines, the registry) registers its stop() here, so Ctrl-C or a
// crash in the middle of a run still stops the daemons and removes their temp dirs.

type Stopper = () => Promise<void>;

const stoppers = new Set<Stopper>();
let installed = false;

async function runAll(): Promise<void> {
  // Newest first: engines go before the registry they pull from.
  for (const stop of [...stoppers].reverse()) {
    stoppers.delete(stop);
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
      process.stderr.write(`\nbench: ${sig}, stopping engines and removing temp dirs…\n`);
      void runAll().finally(() => process.exit(130));
    });
  }
}

/** Registers stop; returns a function that runs it once and unregisters it. */
export function onCleanup(stop: Stopper): Stopper {
  install();
  let done = false;
  const once: Stopper = async () => {
    if (done) return;
    done = true;
    stoppers.delete(once);
    await stop();
  };
  stoppers.add(once);
  return once;
}

export function cleanupAll(): Promise<void> {
  return runAll();
}
