// The detail view's header: name (h1), image, state and published ports, and the lifecycle buttons.
import type { ReactNode } from 'react';
import type { ContainerInfo } from './container-info.ts';

function portHost(hostIp: string): string {
  // 0.0.0.0 and :: mean "every address": the user reaches it on localhost.
  return hostIp === '' || hostIp === '0.0.0.0' || hostIp === '::' ? 'localhost' : hostIp.includes(':') ? `[${hostIp}]` : hostIp;
}

export function ContainerHeader({ info, actions }: { info: ContainerInfo; actions?: ReactNode }) {
  const state = info.paused ? 'paused' : info.status;
  return (
    <header className="detail-header">
      <div className="detail-title">
        <h1>{info.name}</h1>
        <span className={`detail-state detail-state-${state}`}>
          {state}{state === 'exited' && info.exitCode !== undefined ? ` (${info.exitCode})` : ''}
        </span>
      </div>
      <dl className="detail-facts">
        <div><dt>Image</dt><dd>{info.image}</dd></div>
        <div><dt>ID</dt><dd title={info.id}>{info.id.slice(0, 12)}</dd></div>
        {info.ports.length > 0 && (
          <div>
            <dt>Ports</dt>
            <dd>
              {info.ports.map((port) => {
                const [number, protocol] = port.containerPort.split('/');
                const label = `${port.hostPort}:${number}`;
                return protocol === 'udp'
                  ? <span key={`${port.hostIp}${label}/udp`} className="detail-port">{label}/udp</span>
                  : <a key={`${port.hostIp}${label}`} className="detail-port" href={`http://${portHost(port.hostIp)}:${port.hostPort}`} target="_blank" rel="noreferrer">{label}</a>;
              })}
            </dd>
          </div>
        )}
      </dl>
      {actions && <div className="detail-actions">{actions}</div>}
    </header>
  );
}
