// A compose project's merged log: every service's lines as they arrive, each prefixed with its
// service in the service's colour, followed live. The `composeLogs` stream feeds the same
// LogBuffer and LogViewport as a container's Logs tab (batched appends, one render per frame).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useStream } from '../../api/use-stream.ts';
import { LogBuffer } from '../container-detail/logs/log-buffer.ts';
import { LogViewport } from '../container-detail/logs/log-viewport.tsx';
import { useFrameTick } from '../container-detail/logs/use-frame-tick.ts';
import '../container-detail/logs/logs.css';
import '../../terminal/palette.css';
import { sourceClass } from './compose-model.ts';

const CAPACITY = 200_000;
const TAIL = 1000;

export function ProjectLogs({ project, services }: { project: string; services: readonly string[] }) {
  const buffer = useMemo(() => new LogBuffer(CAPACITY), []);
  const [tick, schedule] = useFrameTick();
  const [following, setFollowing] = useState(true);
  const [failure, setFailure] = useState<string | undefined>();
  // Keyed by the names, not the array's identity: a new list with the same services keeps the rows' memo.
  const servicesKey = services.join('\n');
  const colour = useCallback((source: string) => sourceClass(source, servicesKey.split('\n')), [servicesKey]);

  useEffect(() => {
    buffer.clear();
    schedule();
  }, [buffer, schedule, project]);

  useStream('composeLogs', [project, { tail: TAIL }], project, {
    next(lines) {
      buffer.append(lines);
      schedule();
    },
    error(error) {
      setFailure(error.message);
    },
  });

  return (
    <div className="logs-tab">
      <div className="logs-toolbar" role="toolbar" aria-label="Log options">
        <label><input type="checkbox" checked={following} onChange={(event) => setFollowing(event.target.checked)} /> Follow</label>
      </div>
      <LogViewport buffer={buffer} tick={tick} following={following} onFollowingChange={setFollowing} query="" currentLine={null}
        showTimestamps={false} label="Project logs" sourceClass={colour} />
      <div className="logs-footer">
        {failure && <span role="alert">Logs could not be read: {failure}</span>}
        {!following && <button type="button" onClick={() => setFollowing(true)}>Jump to latest</button>}
        <span className="logs-count">{buffer.length.toLocaleString()} lines</span>
      </div>
    </div>
  );
}
