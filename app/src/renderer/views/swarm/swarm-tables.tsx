// The Swarm view's plain tables: nodes and stacks, and how published ports read.
import type { StackSummary, SwarmNode, SwarmPort } from '../../../common/desktop-api.ts';

/** "8080→80/tcp" per port, as `docker service ls` prints "*:8080->80/tcp". */
export function portsText(ports: SwarmPort[]): string {
  return ports.map((p) => `${p.published ? `${p.published}→` : ''}${p.target}/${p.protocol}${p.mode === 'host' ? ' (host)' : ''}`).join(', ');
}

export function NodesTable({ nodes }: { nodes: SwarmNode[] }) {
  return (
    <div className="table-scroll">
      <table aria-label="Nodes" className="data-table">
        <thead>
          <tr>
            <th scope="col">Hostname</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Availability</th>
            <th scope="col">Address</th>
            <th scope="col">Engine</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((node) => (
            <tr key={node.id} aria-label={node.hostname}>
              <td className="strong">{node.hostname}</td>
              <td>{node.role}{node.leader ? ' (leader)' : ''}</td>
              <td>{node.state}</td>
              <td>{node.availability}</td>
              <td className="mono">{node.address}</td>
              <td>{node.engineVersion}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StacksTable({ stacks, onRemove }: { stacks: StackSummary[]; onRemove(name: string): void }) {
  if (stacks.length === 0) return <p className="muted">No stacks. Deploy a compose file to create one.</p>;
  return (
    <div className="table-scroll">
      <table aria-label="Stacks" className="data-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="number">Services</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {stacks.map((stack) => (
            <tr key={stack.name} aria-label={stack.name}>
              <td className="strong mono">{stack.name}</td>
              <td className="number">{stack.services}</td>
              <td><div className="row-actions"><button type="button" className="danger-outline" onClick={() => onRemove(stack.name)}>Remove</button></div></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
