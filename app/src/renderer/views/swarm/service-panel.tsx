// A selected service: its tasks (GET /tasks?filters={"service":[id]}) and its logs, followed
// (GET /services/{id}/logs through the serviceLogs stream).
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LogLine, SwarmService } from '../../../common/desktop-api.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { useStream } from '../../api/use-stream.ts';
import { QueryStatus } from '../../components/empty-state.tsx';

/** Lines kept on screen; older ones scroll away. */
const MAX_LINES = 2000;

export function ServicePanel({ service, onClose }: { service: SwarmService; onClose(): void }) {
  const api = useDesktopApi();
  const tasks = useQuery({ queryKey: queryKeys.swarmTasks(service.id), queryFn: () => api.listServiceTasks(service.id), refetchInterval: 2000 });
  const [lines, setLines] = useState<LogLine[]>([]);
  const [logError, setLogError] = useState<string>();
  useStream('serviceLogs', [service.id, { follow: true, tail: 500, timestamps: false }], service.id, {
    next: (batch) => setLines((old) => [...old, ...batch].slice(-MAX_LINES)),
    error: (error) => setLogError(error.message),
  });
  return (
    <section className="swarm-service-panel" aria-label={`Service ${service.name}`}>
      <div className="view-header">
        <h2>{service.name}: tasks</h2>
        <span className="spacer" />
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <QueryStatus what="tasks" isPending={tasks.isPending} error={tasks.error} />
      {tasks.data && (
        <div className="table-scroll">
          <table aria-label="Tasks" className="data-table">
            <thead>
              <tr>
                <th scope="col">Slot</th>
                <th scope="col">Image</th>
                <th scope="col">State</th>
                <th scope="col">Desired</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {tasks.data.map((task) => (
                <tr key={task.id} aria-label={`${service.name}.${task.slot ?? task.nodeId.slice(0, 12)} ${task.state}`}>
                  <td>{task.slot ?? '—'}</td>
                  <td className="mono">{task.image}</td>
                  <td>{task.state}</td>
                  <td>{task.desiredState}</td>
                  <td>{task.error ?? task.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Logs</h3>
      {logError && <p role="alert" className="form-error">Could not read the logs: {logError}</p>}
      <pre className="swarm-logs" role="log" aria-label={`Logs of ${service.name}`}>
        {lines.map((line) => line.text).join('\n')}
      </pre>
    </section>
  );
}
