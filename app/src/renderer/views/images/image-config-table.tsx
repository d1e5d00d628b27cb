// The "Configuration" table of the image detail: what a container made from the image gets unless
// the run says otherwise (entrypoint, command, environment, ports, volumes, labels, workdir, user).
// Each row is named by its field, so a screen reader (and e2e) finds "Command" by name.
import type { ReactNode } from 'react';
import { argvText, type ImageConfigFacts } from './image-facts.ts';

function Lines({ items }: { items: string[] }) {
  return items.length === 0 ? <span className="muted">none</span> : <>{items.map((item) => <div key={item} className="mono">{item}</div>)}</>;
}

function Row({ field, children }: { field: string; children: ReactNode }) {
  return (
    <tr aria-label={field}>
      <th scope="row">{field}</th>
      <td>{children}</td>
    </tr>
  );
}

export function ImageConfigTable({ facts }: { facts: ImageConfigFacts }) {
  const argv = (words: string[]) => (words.length === 0 ? <span className="muted">none</span> : <span className="mono">{argvText(words)}</span>);
  return (
    <table aria-label="Configuration" className="data-table config-table">
      <tbody>
        <Row field="Entrypoint">{argv(facts.entrypoint)}</Row>
        <Row field="Command">{argv(facts.cmd)}</Row>
        <Row field="Working directory">{facts.workdir ? <span className="mono">{facts.workdir}</span> : <span className="muted">/</span>}</Row>
        <Row field="User">{facts.user ? <span className="mono">{facts.user}</span> : <span className="muted">root (default)</span>}</Row>
        <Row field="Environment"><Lines items={facts.env} /></Row>
        <Row field="Exposed ports"><Lines items={facts.exposedPorts} /></Row>
        <Row field="Volumes"><Lines items={facts.volumes} /></Row>
        <Row field="Labels"><Lines items={facts.labels.map(([key, value]) => `${key}=${value}`)} /></Row>
      </tbody>
    </table>
  );
}
