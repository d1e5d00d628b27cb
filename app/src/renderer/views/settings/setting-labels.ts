// The Settings screen's names for each setting (README.md), and a change put into words for the
// toast that confirms or refuses it.
import type { AppSettingsChange } from '../../../common/desktop-api.ts';

export const SETTING_LABELS = {
  theme: 'Theme',
  engineEndpoint: 'Engine endpoint at launch',
  startAtLogin: 'Start at login',
  keepEngineRunningOnQuit: 'Keep engine running on quit',
  containerFailed: 'Container failed',
  containerUnhealthy: 'Container unhealthy',
  vmCpus: 'CPUs',
  vmMemoryMiB: 'Memory (MiB)',
  vmDiskGiB: 'Disk size (GiB)',
  vmResourceSaverMinutes: 'Resource saver (idle minutes)',
  vmShares: 'Shared folders',
  engineLocation: 'Engine location',
} as const;

const onOff = (value: boolean) => (value ? 'on' : 'off');

export function describeChange(change: AppSettingsChange): string {
  const parts: string[] = [];
  if (change.theme !== undefined) parts.push(`${SETTING_LABELS.theme}: ${change.theme[0]!.toUpperCase()}${change.theme.slice(1)}`);
  if (change.engineEndpoint !== undefined) parts.push(`${SETTING_LABELS.engineEndpoint}: ${change.engineEndpoint ?? 'the last one chosen'}`);
  if (change.startAtLogin !== undefined) parts.push(`${SETTING_LABELS.startAtLogin}: ${onOff(change.startAtLogin)}`);
  if (change.keepEngineRunningOnQuit !== undefined) parts.push(`${SETTING_LABELS.keepEngineRunningOnQuit}: ${onOff(change.keepEngineRunningOnQuit)}`);
  if (change.notifications?.containerFailed !== undefined) parts.push(`${SETTING_LABELS.containerFailed} notifications: ${onOff(change.notifications.containerFailed)}`);
  if (change.notifications?.containerUnhealthy !== undefined) parts.push(`${SETTING_LABELS.containerUnhealthy} notifications: ${onOff(change.notifications.containerUnhealthy)}`);
  const vm = (value: number | null | undefined, unit: string) => (value === null ? 'default' : `${value}${unit}`);
  if (change.vmCpus !== undefined) parts.push(`VM ${SETTING_LABELS.vmCpus}: ${vm(change.vmCpus, '')}`);
  if (change.vmMemoryMiB !== undefined) parts.push(`VM memory: ${vm(change.vmMemoryMiB, ' MiB')}`);
  if (change.vmDiskGiB !== undefined) parts.push(`VM disk size: ${vm(change.vmDiskGiB, ' GiB')}`);
  if (change.vmResourceSaverMinutes !== undefined) parts.push(`Resource saver: ${change.vmResourceSaverMinutes === null ? 'off' : `after ${change.vmResourceSaverMinutes} min idle`}`);
  if (change.vmShares !== undefined) parts.push(`${SETTING_LABELS.vmShares}: ${change.vmShares.length ? change.vmShares.join(', ') : 'the home folder only'}`);
  if (change.engineLocation !== undefined) parts.push(`${SETTING_LABELS.engineLocation}: ${change.engineLocation}`);
  return parts.join(', ') || 'the settings';
}
