// The Berth VM's state in words, shared by the tray (main) and the renderer's sidebar and banner:
// while it boots, "Starting VM… (<boot stage>)", never a spinner without words.
import type { EngineStatus } from './desktop-api.ts';

export function vmStatusText(status: EngineStatus): string {
  if (status.vm?.state === 'paused-by-resource-saver') return 'Resource saver (VM stopped while idle)';
  switch (status.state) {
    case 'running': return `VM running${status.version?.Version ? ` (engine ${status.version.Version})` : ''}`;
    case 'starting': return `Starting VM… (${status.vm?.stageText ?? 'booting'})`;
    case 'stopping': return 'Stopping VM…';
    case 'stopped': return 'VM stopped';
    case 'error': return `VM error${status.message ? `: ${status.message.slice(0, 80)}` : ''}`;
  }
}
