// Part of the DesktopApi contract, re-exported by desktop-api.ts:
// The items of the log, stats and terminal streams.

export interface LogOptions {
  follow: boolean;
  /** Lines from the end to start with; 'all' for everything. */
  tail: number | 'all';
  timestamps: boolean;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** Which service printed it, in a merged log (compose projects). */
  source?: string;
  /** RFC 3339 with nanoseconds, when timestamps were asked for. */
  timestamp?: string;
  text: string;
}

/** One sample of GET /containers/{id}/stats, already reduced to rates the charts plot. */
export interface StatsSample {
  /** Milliseconds since the epoch, as the engine read it. */
  time: number;
  /** Percent of one CPU, as `docker stats` shows (may exceed 100 on several CPUs). */
  cpuPercent: number;
  memoryUsage: number;
  memoryLimit: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export type TerminalTarget =
  | { kind: 'container'; id: string; /** Defaults to the first of /bin/bash, /bin/sh that exists. */ shell?: string[] }
  | { kind: 'host' };

export interface TerminalSize { cols: number; rows: number }

export type TerminalInput = { data: string } | { resize: TerminalSize };

export type TerminalOutput = { data: string } | { exit: number | null };
