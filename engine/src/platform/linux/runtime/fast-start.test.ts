// startViaExecFifo on a real fifo with real processes standing in for runc's init: a command that
// ends at once makes init "dead" by the time the guard looks, although it did start (issue 10
// item 5: "cannot start a container that has stopped" from the `runc start` fallback).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startViaExecFifo } from './fast-start.ts';

let root: string;
let fifo: string;
const id = 'c1';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-fast-start-'));
  mkdirSync(join(root, id));
  fifo = join(root, id, 'exec.fifo');
  execFileSync('mkfifo', [fifo]);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The pid of a process that has ended (and been reaped). */
const deadPid = () => spawnSync('true').pid ?? 0;

describe('start through the exec fifo', () => {
  it('counts a start whose init wrote its byte and is already gone as started', async () => {
    // init's "0" already in the pipe and a writer that holds the fifo open: the byte reaches us,
    // the end of the stream never does, and the guard finds "init" dead. A reader of our own
    // lets the writer's open and write complete before the start begins.
    const keep = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = spawn('sh', ['-c', 'exec 3>"$1"; printf 0 >&3; echo written; read -r _', 'sh', fifo], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      await once(writer.stdout, 'data');
      expect(await startViaExecFifo(root, id, deadPid())).toBe(true);
      expect(existsSync(fifo)).toBe(false);
    } finally {
      writer.kill('SIGKILL');
      closeSync(keep);
    }
  });

  it('leaves a start whose init died without writing to `runc start` (and its error)', async () => {
    expect(await startViaExecFifo(root, id, deadPid())).toBe(false);
    expect(existsSync(fifo)).toBe(true);
  });

  it('starts a live init that writes its byte and closes the fifo', async () => {
    const init = spawn('sh', ['-c', 'printf 0 > "$1"; read -r _', 'sh', fifo], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      expect(await startViaExecFifo(root, id, init.pid ?? 0)).toBe(true);
    } finally {
      init.kill('SIGKILL');
    }
  });
});

