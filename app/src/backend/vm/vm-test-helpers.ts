// What the real-VM tests share: the `berth` CLI run as a user runs it, a terminal session of the
// docker CLI in a real pty, and the processes of one test home (so afterAll can kill them all).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn as spawnPty, type IPty } from '@lydell/node-pty';
import { processAlive } from '../engine-process-helpers.ts';

export const BERTH = fileURLToPath(new URL('../../../bin/berth', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `berth <args>` with stdin closed (no terminal: reset must not prompt). */
export function berth(args: string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(BERTH, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    // 'close', not 'exit': the detached QEMU and forwarder must not hold the CLI's pipes open.
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Live processes whose command line names the home: its QEMU and its forwarder, whoever started
 * them (a pid from the state file alone could by now belong to someone else). */
export function processesOfHome(home: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((pid) => {
    if (pid === process.pid) return false;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes(home) && /qemu-system|forwarder-main/.test(cmdline) && processAlive(pid);
    } catch {
      return false;
    }
  });
}

export function qemusOfHome(home: string): number[] {
  return processesOfHome(home).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu-system'));
}

// CSI and OSC sequences a shell's line editor may weave into its echo.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

/** A program in a real pseudo-terminal, its output collected as text without escape codes. */
export class PtySession {
  readonly pty: IPty;
  private output = '';
  private waiters: Array<() => void> = [];
  exit: Promise<number>;

  constructor(file: string, args: string[], env: Record<string, string>, size: { cols: number; rows: number }) {
    this.pty = spawnPty(file, args, { name: 'xterm', cols: size.cols, rows: size.rows, env: { ...process.env, ...env } as Record<string, string> });
    this.pty.onData((chunk) => {
      this.output += chunk;
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exit = new Promise((resolve) => this.pty.onExit(({ exitCode }) => {
      for (const wake of this.waiters.splice(0)) wake();
      resolve(exitCode);
    }));
  }

  get text(): string {
    return this.output.replace(ANSI, '');
  }

  /** Where the output is now: later waits look only at what comes after it. */
  mark(): number {
    return this.text.length;
  }

  /** Resolves with the first match of `pattern` in the output after `from`; rejects after
   * timeoutMs (a hang is a failure, not something to wait out). */
  async waitFor(pattern: RegExp, from: number, timeoutMs = 120_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.text.slice(from).match(pattern);
      if (match) return match;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${pattern} in the terminal within ${timeoutMs} ms; it shows:\n${this.text.slice(from).slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  type(line: string): void {
    this.pty.write(`${line}\r`);
  }

  kill(): void {
    try {
      this.pty.kill('SIGKILL');
    } catch {
      // gone already
    }
  }
}
