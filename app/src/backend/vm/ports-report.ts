// <home>/run/ports.json: what the forwarder publishes on the host and which host ports it could
// not take (and why). The forwarder writes it after every sync; `berth vm status` and the app's
// Engine view read it. A report older than the forwarder's start is not trusted (vm-control.ts).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomically } from '../atomic-json-file.ts';
import type { VmHome } from './vm-home.ts';

export interface PortProblem {
  /** `tcp 127.0.0.1:8080`, as port-specs.ts keys it. */
  key: string;
  message: string;
}

export interface PortsReport {
  updatedAt: number;
  /** pid of the forwarder that wrote it (a report from a dead forwarder is stale). */
  forwarderPid: number;
  forwarded: string[];
  problems: PortProblem[];
}

export const portsReportPath = (home: VmHome) => join(home.dir, 'run', 'ports.json');

export function writePortsReport(home: VmHome, report: PortsReport): void {
  writeJsonAtomically(portsReportPath(home), report);
}

export function readPortsReport(home: VmHome): PortsReport | undefined {
  try {
    return JSON.parse(readFileSync(portsReportPath(home), 'utf8')) as PortsReport;
  } catch {
    return undefined;
  }
}

export function clearPortsReport(home: VmHome): void {
  rmSync(portsReportPath(home), { force: true });
}
