// Pairs what the engine sent during a pull (tapped between engine and dashboard) with what the
// page's progress bars showed, to time "engine progress message → progress bar update".
//
// A bar is matched to its layer by name (the README contract names each bar by the layer id).
// Its value may be bytes (current) or a percentage; the engine message that caused a shown value
// is the earliest message of that layer, not older than the one matched for the bar's previous
// value, whose bytes — or rounded/floored percentage — equal it. Unmatched updates are counted.
import type { TappedProgress } from './engine-tap.ts';

export interface UiProgress {
  name: string;
  value: number | null;
  max: number | null;
  epochDom: number;
  epochFrame: number | null;
}

export interface ProgressLatencies {
  /** First engine message of a layer → its bar in the page. */
  appear: number[];
  /** Engine message with a value → the bar showing that value. */
  update: number[];
  unmatched: number;
  layers: number;
}

function shows(m: TappedProgress, value: number, max: number | null): boolean {
  // A full bar for "Download complete" / "Pull complete", which carry no byte counts.
  if (max !== null && value === max && /complete|already exists/i.test(m.status ?? '')) return true;
  if (m.current === undefined) return false;
  if (m.current === value) return true;
  if (!m.total) return false;
  const scale = max && max !== m.total ? max : 100;
  const fraction = (m.current / m.total) * scale;
  return Math.round(fraction) === value || Math.floor(fraction) === value || Math.abs(fraction - value) < 1e-6;
}

export function matchProgress(engine: TappedProgress[], ui: UiProgress[]): ProgressLatencies {
  const out: ProgressLatencies = { appear: [], update: [], unmatched: 0, layers: 0 };
  const ids = [...new Set(engine.map((m) => m.id).filter((id): id is string => !!id && /^[0-9a-f]{12}$/.test(id)))];
  for (const id of ids) {
    const sent = engine.filter((m) => m.id === id);
    const shown = ui.filter((u) => u.name.includes(id));
    if (!shown.length) continue;
    out.layers++;
    const at = (u: UiProgress) => u.epochFrame ?? u.epochDom;
    out.appear.push(at(shown[0]) - sent[0].epoch);
    let floor = 0;
    for (const u of shown) {
      if (u.value === null) continue;
      const cause = sent.findIndex((m, i) => i >= floor && m.epoch <= u.epochDom + 1 && shows(m, u.value!, u.max));
      if (cause === -1) {
        out.unmatched++;
        continue;
      }
      floor = cause;
      out.update.push(at(u) - sent[cause].epoch);
    }
  }
  return out;
}
