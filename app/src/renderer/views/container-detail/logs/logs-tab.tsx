// Logs tab: the container's output, followed live, with search, timestamps, copy and download
// (LogPanel). The stream reopens (from an empty buffer) when timestamps are toggled, and when the
// container starts again after its log ended.
import { useEffect, useState } from 'react';
import { LogPanel } from './log-panel.tsx';
import { useLogStream } from './use-log-stream.ts';

export interface LogsTabProps {
  id: string;
  name: string;
  running: boolean;
  /** State.StartedAt: a new value after the log ended means a new run to follow. */
  startedAt: string | undefined;
}

export function LogsTab({ id, name, running, startedAt }: LogsTabProps) {
  const [timestamps, setTimestamps] = useState(false);
  const [generation, setGeneration] = useState(startedAt ?? '');
  const stream = useLogStream(id, timestamps, generation);

  useEffect(() => {
    if (stream.state.phase === 'ended' && running && startedAt && startedAt !== generation) setGeneration(startedAt);
  }, [stream.state.phase, running, startedAt, generation]);

  return (
    <LogPanel stream={stream} timestamps={timestamps} onTimestampsChange={setTimestamps} opening={`${generation}\n${timestamps}`}
      downloadName={name} endedText={running ? 'The log stream ended.' : 'The container is not running; its log ends here.'} />
  );
}
