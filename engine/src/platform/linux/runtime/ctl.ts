// conmon's control fifo (<bundle>/ctl, conmon src/ctrl.c): lines "<type> <height> <width>\n";
// type 1 resizes the pty, type 2 reopens the log file.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { conflict } from '../../../core/errors.ts';

async function writeCtl(ctlPath: string, line: string): Promise<void> {
  let handle;
  try {
    // Non-blocking: conmon always holds the read end (and a dummy writer) while it lives, so a
    // missing reader (ENXIO) or fifo (ENOENT) means the monitor is gone rather than "wait".
    handle = await open(ctlPath, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENXIO') throw conflict('container is not running');
    throw error;
  }
  try {
    await handle.write(line);
  } finally {
    await handle.close();
  }
}

export function resizeViaCtl(ctlPath: string, height: number, width: number): Promise<void> {
  const h = Math.max(0, Math.floor(height));
  const w = Math.max(0, Math.floor(width));
  return writeCtl(ctlPath, `1 ${h} ${w}\n`);
}

export function reopenLogViaCtl(ctlPath: string): Promise<void> {
  return writeCtl(ctlPath, '2 0 0\n');
}
