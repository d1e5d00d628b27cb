// Signal names and numbers on Linux, as `docker kill -s` and STOPSIGNAL accept them.
import { constants } from 'node:os';
import { invalid } from './errors.ts';

const byName = constants.signals as Record<string, number>;

/** Accepts "KILL", "SIGKILL", "sigkill", "9" and real-time "RTMIN+3"; anything else is a 400. */
export function parseSignal(value: string): number {
  const raw = value.trim();
  if (/^\d+$/.test(raw)) {
    const number = Number(raw);
    if (number >= 1 && number <= 64) return number;
    throw invalid(`Invalid signal: ${value}`);
  }
  const upper = raw.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (byName[name] !== undefined) return byName[name];
  const rt = /^SIGRTM(IN|AX)([+-]\d+)?$/.exec(name);
  if (rt) {
    const base = rt[1] === 'IN' ? 34 : 64;
    const number = base + Number(rt[2] ?? 0);
    if (number >= 34 && number <= 64) return number;
  }
  throw invalid(`Invalid signal: ${value}`);
}

export function signalName(number: number): string {
  return Object.entries(byName).find(([, n]) => n === number)?.[0] ?? String(number);
}
