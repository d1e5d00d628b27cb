// A compose project's merged log: every service's lines as they arrive, each prefixed with its
// service in the service's colour, followed live, with the Logs tab's search, timestamps, copy and
// download (the same LogPanel). Lines always carry their timestamps (the backend reads them to
// resume after a restart), so the Timestamps toggle only shows them: no reopening.
import { useCallback, useState } from 'react';
import { LogPanel } from '../container-detail/logs/log-panel.tsx';
import { useLogLines } from '../container-detail/logs/use-log-stream.ts';
import '../../terminal/palette.css';
import { sourceClass } from './compose-model.ts';

const TAIL = 1000;

export function ProjectLogs({ project, services }: { project: string; services: readonly string[] }) {
  const [timestamps, setTimestamps] = useState(false);
  const stream = useLogLines('composeLogs', [project, { tail: TAIL }], project);
  // Keyed by the names, not the array's identity: a new list with the same services keeps the rows' memo.
  const servicesKey = services.join('\n');
  const colour = useCallback((source: string) => sourceClass(source, servicesKey.split('\n')), [servicesKey]);

  return (
    <LogPanel stream={stream} timestamps={timestamps} onTimestampsChange={setTimestamps} opening={project} downloadName={project}
      endedText="The log stream ended." label="Project logs" sourceClass={colour} />
  );
}
