// Runs a fast-check property over generated requests with a fixed seed (BERTH_FUZZ_SEED and
// BERTH_FUZZ_RUNS override it), and says which seed and request failed.
import fc from 'fast-check';

export interface FuzzSettings {
  seed: number;
  runs: number;
}

export function fuzzSettings(defaultRuns: number): FuzzSettings {
  const seed = process.env.BERTH_FUZZ_SEED ? Number(process.env.BERTH_FUZZ_SEED) : 20261205;
  const runs = process.env.BERTH_FUZZ_RUNS ? Number(process.env.BERTH_FUZZ_RUNS) : defaultRuns;
  return { seed, runs };
}

/** Checks `check` on `runs` generated values; stops at the first failure (no shrinking: a
 * failure may have taken the server down, and then every smaller case would fail too). */
export async function fuzz<T>(name: string, settings: FuzzSettings, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<void>): Promise<void> {
  try {
    await fc.assert(fc.asyncProperty(arbitrary, check), { seed: settings.seed, numRuns: settings.runs, endOnFailure: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${name}: failed with seed ${settings.seed} (rerun: BERTH_FUZZ_SEED=${settings.seed} BERTH_FUZZ_RUNS=${settings.runs})\n${message}`, { cause: error });
  }
}
