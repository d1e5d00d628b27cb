// The Build view's form: the folder (a native dialog in Electron, a typed path on the engine's
// machine in the dashboard), the Dockerfile in it, tags, build args, target stage and no-cache.
import { useQuery } from '@tanstack/react-query';
import { memo, useId, useState } from 'react';
import type { BuildSpec } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { useCapabilities } from '../../api/use-engine-status.ts';
import { toastError } from '../../store/toast-store.ts';

/** "KEY=value" per line (blank lines skipped); a line without "=" is an error naming it. */
export function parseBuildArgs(text: string): { args: Record<string, string>; error?: string } {
  const args: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { args, error: `"${line}" is not KEY=value` };
    args[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return { args };
}

export const BuildForm = memo(function BuildForm(props: { running: boolean; onBuild(spec: BuildSpec): void; onCancel(): void }) {
  const api = useDesktopApi();
  const id = useId();
  const electron = useCapabilities().data?.shell === 'electron';
  const [folder, setFolder] = useState('');
  const [dockerfile, setDockerfile] = useState('');
  const [tags, setTags] = useState('');
  const [argsText, setArgsText] = useState('');
  const [target, setTarget] = useState('');
  const [noCache, setNoCache] = useState(false);
  const [argsError, setArgsError] = useState<string>();
  const info = useQuery({
    queryKey: ['build-folder', folder, dockerfile],
    queryFn: () => api.buildFolderInfo(folder, dockerfile || undefined),
    enabled: folder.startsWith('/') || /^[A-Za-z]:\\/.test(folder),
    retry: false,
  });

  const choose = async () => {
    try {
      const picked = await api.pickBuildFolder();
      if (picked) { setFolder(picked); setDockerfile(''); setTarget(''); }
    } catch (error) {
      toastError('Could not open the folder dialog', error);
    }
  };

  const submit = () => {
    const parsed = parseBuildArgs(argsText);
    setArgsError(parsed.error);
    if (parsed.error) return;
    props.onBuild({
      folder,
      dockerfile: dockerfile || info.data?.dockerfile || 'Dockerfile',
      tags: tags.split(/[\s,]+/).filter(Boolean),
      buildArgs: parsed.args,
      ...(target ? { target } : {}),
      noCache,
    });
  };

  const stages = info.data?.stages ?? [];
  const declared = info.data?.args ?? [];
  return (
    <form className="build-form" aria-label="Build an image" onSubmit={(event) => { event.preventDefault(); submit(); }}>
      <div className="field build-folder">
        <label htmlFor={`${id}-folder`}>Folder</label>
        <div className="build-folder-row">
          <input id={`${id}-folder`} value={folder} spellCheck={false} placeholder={electron ? 'Choose a folder…' : '/path/on/the/engine/machine'}
            aria-describedby={info.error ? `${id}-folder-error` : undefined}
            onChange={(event) => { setFolder(event.target.value); setDockerfile(''); setTarget(''); }} />
          {electron && <button type="button" onClick={() => void choose()}>Choose…</button>}
        </div>
        {info.error && <span id={`${id}-folder-error`} className="error" role="alert">{info.error.message}</span>}
      </div>
      <div className="field">
        <label htmlFor={`${id}-dockerfile`}>Dockerfile</label>
        <select id={`${id}-dockerfile`} value={dockerfile || info.data?.dockerfile || ''} onChange={(event) => { setDockerfile(event.target.value); setTarget(''); }}>
          {(info.data?.dockerfiles.length ?? 0) === 0 && <option value="">Dockerfile</option>}
          {info.data?.dockerfiles.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-tags`}>Tags</label>
        <input id={`${id}-tags`} value={tags} spellCheck={false} placeholder="myapp:latest" onChange={(event) => setTags(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-target`}>Target stage</label>
        <select id={`${id}-target`} value={target} onChange={(event) => setTarget(event.target.value)}>
          <option value="">Last stage</option>
          {stages.map((stage) => <option key={stage} value={stage}>{stage}</option>)}
        </select>
      </div>
      <div className="field build-args">
        <label htmlFor={`${id}-args`}>Build args</label>
        <textarea id={`${id}-args`} rows={3} value={argsText} spellCheck={false}
          placeholder={declared.length > 0 ? declared.map((a) => `${a.name}=${a.default ?? ''}`).join('\n') : 'KEY=value, one per line'}
          aria-describedby={argsError ? `${id}-args-error` : undefined} onChange={(event) => setArgsText(event.target.value)} />
        {argsError && <span id={`${id}-args-error`} className="error">{argsError}</span>}
      </div>
      <label className="check">
        <input type="checkbox" checked={noCache} onChange={(event) => setNoCache(event.target.checked)} /> No cache
      </label>
      <div className="build-actions">
        {props.running
          ? <button type="button" className="danger" onClick={props.onCancel}>Cancel build</button>
          : <button type="submit" className="primary" disabled={folder === '' || info.isError}>Build</button>}
      </div>
    </form>
  );
});
