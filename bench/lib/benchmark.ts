// What every bench/<name>.ts exports, so bench/run.ts can list, pick and run them alike.
import type { Comparison } from './comparison.ts';
import type { BenchFixtures } from './fixtures.ts';

export interface Benchmark {
  name: string;
  description: string;
  /** Starts both engines itself, measures, stops them; returns the samples for reporting. */
  run(fixtures: BenchFixtures): Promise<Comparison>;
}
