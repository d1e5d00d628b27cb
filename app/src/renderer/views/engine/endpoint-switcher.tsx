// Which engine the app talks to (README.md: combobox "Engine endpoint" + textbox "Other endpoint"
// + Connect): Berth's own, any Docker-API socket (unix://…) or tcp://host:port.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';

const OTHER = '__other__';

function endpointProblem(url: string): string | undefined {
  if (!url) return 'type an endpoint such as unix:///var/run/docker.sock or tcp://127.0.0.1:2375';
  if (!/^(unix|tcp|http|https|npipe):\/\/.+/.test(url)) return 'an endpoint starts with unix://, tcp://, http:// or https://';
  return undefined;
}

export function EndpointSwitcher() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const endpoints = useQuery({ queryKey: queryKeys.endpoints, queryFn: () => api.listEndpoints() });
  const [choice, setChoice] = useState('');
  const [other, setOther] = useState('');
  const [problem, setProblem] = useState<string>();
  useEffect(() => { if (endpoints.data && choice === '') setChoice(endpoints.data.currentId); }, [endpoints.data, choice]);
  const select = useMutation({
    mutationFn: (url: string) => api.selectEndpoint(url),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.engine, status);
      // A different engine: every list is someone else's now.
      void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'engine' || query.queryKey[1] !== undefined });
      toastSuccess(`Connected to ${status.endpoint}`);
    },
    onError: (error, url) => toastError(`Could not connect to ${url}`, error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const url = choice === OTHER ? other.trim() : choice;
    const why = choice === OTHER ? endpointProblem(url) : undefined;
    setProblem(why);
    if (!why && url) select.mutate(url);
  };
  const known = endpoints.data?.endpoints ?? [];
  const listed = endpoints.data && !known.some((endpoint) => endpoint.id === endpoints.data.currentId)
    ? [...known, { id: endpoints.data.currentId, url: endpoints.data.current, label: endpoints.data.current, builtin: false }]
    : known;
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Endpoint</h2>
      {endpoints.error && <p role="alert" className="query-error">Could not list endpoints: {endpoints.error.message}</p>}
      <form className="endpoint-form" onSubmit={submit} noValidate>
        <label className="field">
          <span>Engine endpoint</span>
          <select aria-label="Engine endpoint" value={choice} onChange={(event) => { setChoice(event.target.value); setProblem(undefined); }}>
            {listed.map((endpoint) => (
              <option key={endpoint.id} value={endpoint.id}>
                {endpoint.label === endpoint.url ? endpoint.url : `${endpoint.label} (${endpoint.url})`}{endpoint.id === endpoints.data?.currentId ? ' — current' : ''}
              </option>
            ))}
            <option value={OTHER}>Other endpoint…</option>
          </select>
        </label>
        <label className="field">
          <span>Other endpoint</span>
          <input type="text" aria-label="Other endpoint" value={other} placeholder="unix:///var/run/docker.sock or tcp://127.0.0.1:2375"
            onChange={(event) => { setOther(event.target.value); setChoice(OTHER); setProblem(undefined); }}
            aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} spellCheck={false} autoComplete="off" />
        </label>
        <button type="submit" className="primary" disabled={select.isPending} aria-busy={select.isPending || undefined}>Connect</button>
      </form>
      {problem && <p id={`${id}-problem`} className="form-error">{problem}</p>}
    </section>
  );
}
