// Summaries of frame times and latencies for the UI benchmarks.
import { percentile } from '../lib/stats.ts';

export interface FrameSummary {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  /** Frames longer than one 60 Hz vsync (16.7 ms) and than two (33.3 ms). */
  over16: number;
  over33: number;
}

export function frameSummary(deltas: number[]): FrameSummary {
  return {
    frames: deltas.length,
    p50: percentile(deltas, 50),
    p95: percentile(deltas, 95),
    max: deltas.length ? Math.max(...deltas) : Number.NaN,
    // A small tolerance: rAF timestamps of a steady 60 Hz stream jitter by a fraction of a ms.
    over16: deltas.filter((d) => d > 16.7 + 0.5).length,
    over33: deltas.filter((d) => d > 33.3 + 0.5).length,
  };
}

export function ms(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(1)} ms` : '—';
}

export function verdict(value: number, target: number): string {
  if (!Number.isFinite(value)) return 'N/A';
  return value <= target ? 'PASS' : 'MISS';
}
