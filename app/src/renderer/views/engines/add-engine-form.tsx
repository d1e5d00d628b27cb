// "Add engine": a name, an endpoint (unix://, tcp:// or ssh://[user@]host[:port], which the backend
// dials through the system ssh as the docker CLI does), optional TLS material (PEM text, pasted)
// and whether to save it as a docker context, so the docker CLI sees it too (TLS needs that: the
// keys live in the context's own 0600 files, never in Berth's settings).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { NewEngineSpec } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { toastError, toastSuccess } from '../../store/toast-store.ts';

export function AddEngineForm() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [saveAsContext, setSaveAsContext] = useState(true);
  const [useTls, setUseTls] = useState(false);
  const [pem, setPem] = useState({ ca: '', cert: '', key: '' });
  const [verify, setVerify] = useState(true);
  const [problem, setProblem] = useState<string>();
  const add = useMutation({
    mutationFn: (spec: NewEngineSpec) => api.addEngine(spec),
    onSuccess: (engine) => {
      void client.invalidateQueries({ queryKey: queryKeys.engines });
      void client.invalidateQueries({ queryKey: queryKeys.endpoints });
      toastSuccess(engine.context ? `Added ${engine.label} (docker context ${engine.context})` : `Added ${engine.label}`);
      setName('');
      setUrl('');
      setPem({ ca: '', cert: '', key: '' });
    },
    onError: (error) => toastError('Could not add the engine', error),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const why = !name.trim() ? 'give the engine a name' : !/^(unix|tcp|ssh):\/\/.+/.test(url.trim()) ? 'an endpoint starts with unix://, tcp:// or ssh://' : undefined;
    setProblem(why);
    if (why) return;
    add.mutate({ name: name.trim(), url: url.trim(), saveAsContext, ...(useTls ? { tls: { ...pem, verify } } : {}) });
  };
  return (
    <section aria-labelledby={`${id}-heading`} className="panel add-engine">
      <h2 id={`${id}-heading`}>Add engine</h2>
      <form className="add-engine-form" onSubmit={submit} noValidate>
        <label className="field"><span>Name</span>
          <input type="text" aria-label="Engine name" value={name} onChange={(e) => setName(e.target.value)} placeholder="build-server" spellCheck={false} autoComplete="off" />
        </label>
        <label className="field"><span>Endpoint</span>
          <input type="text" aria-label="Engine endpoint URL" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="tcp://build-server:2376, ssh://me@build-server or unix:///path/docker.sock" spellCheck={false} autoComplete="off"
            aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-problem` : undefined} />
        </label>
        <label className="check"><input type="checkbox" checked={saveAsContext} onChange={(e) => setSaveAsContext(e.target.checked)} /> Save as docker context</label>
        <label className="check"><input type="checkbox" checked={useTls} onChange={(e) => setUseTls(e.target.checked)} /> TLS (tcp://)</label>
        {useTls && (
          <div className="tls-fields">
            {(['ca', 'cert', 'key'] as const).map((file) => (
              <label key={file} className="field"><span>{file === 'ca' ? 'CA certificate' : file === 'cert' ? 'Client certificate' : 'Client key'} (PEM)</span>
                <textarea aria-label={`TLS ${file}`} rows={3} value={pem[file]} onChange={(e) => setPem({ ...pem, [file]: e.target.value })} spellCheck={false} />
              </label>
            ))}
            <label className="check"><input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} /> Verify the server's certificate</label>
          </div>
        )}
        <button type="submit" className="primary" disabled={add.isPending} aria-busy={add.isPending || undefined}>Add engine</button>
      </form>
      {problem && <p id={`${id}-problem`} className="form-error">{problem}</p>}
    </section>
  );
}
