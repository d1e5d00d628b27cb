// The Berth VM's boot, as the host sees it: the guest init prints one "berth-stage: <name>" line
// per stage to the console (vm-assets/guest: initramfs-init, rc.start, run-berthd), and the host
// shows the latest one while it waits for the engine, so "Starting VM…" says how far it got.
import { closeSync, openSync, readSync } from 'node:fs';

/** The stages in the order the guest reaches them ('data-format' only on a fresh data disk). */
export const BOOT_STAGES = ['kernel', 'system', 'data-format', 'data', 'engine'] as const;
export type BootStage = (typeof BOOT_STAGES)[number];

const STAGE_TEXT: Record<BootStage, string> = {
  kernel: 'kernel up, mounting the system image',
  system: 'system image mounted, setting up the guest',
  'data-format': 'formatting the data disk (first start)',
  data: 'data disk ready, starting the engine',
  engine: 'the engine is starting',
};

/** The words for a stage; before the guest's first marker QEMU is still booting the kernel. */
export function stageText(stage: string | undefined): string {
  if (stage === undefined) return 'booting the kernel';
  return (STAGE_TEXT as Record<string, string>)[stage] ?? stage;
}

/** The latest stage marker in console output, or undefined before the first. A marker may share its
 * line with other output (berthd and the kernel write to the same console), so it is not anchored. */
export function latestStage(consoleText: string): string | undefined {
  let last: string | undefined;
  for (const match of consoleText.matchAll(/berth-stage: ([a-z][a-z-]*)/g)) last = match[1];
  return last;
}

/** The stages are printed early in a boot: the first MiB of the console holds them all, however
 * much berthd logs after. */
const HEAD_BYTES = 1024 * 1024;

/** The latest stage in a console log file (truncated at each boot); undefined when there is none. */
export function readLatestStage(consoleLog: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(consoleLog, 'r');
  } catch {
    return undefined;
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const length = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    return latestStage(buffer.subarray(0, length).toString('latin1'));
  } finally {
    closeSync(fd);
  }
}
