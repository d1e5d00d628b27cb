// "Image to pull" + Pull (README.md). The pull itself runs in the transfer store and shows in its
// own "Pull <ref>" region; the list refreshes when it ends.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { pullReferenceProblem } from './image-names.ts';
import { useTransfers } from './transfer-store.ts';

export function PullForm({ focus }: { focus: boolean }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const start = useTransfers((state) => state.start);
  const [reference, setReference] = useState('');
  const [problem, setProblem] = useState<string>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => { if (focus) input.current?.focus(); }, [focus]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const why = pullReferenceProblem(reference);
    setProblem(why);
    if (why) {
      input.current?.focus();
      return;
    }
    const wanted = reference.trim();
    start(api, 'pull', wanted, () => void client.invalidateQueries({ queryKey: queryKeys.images }));
    setReference('');
  };

  return (
    <form className="pull-form" onSubmit={submit} noValidate>
      <input
        ref={input}
        type="text"
        aria-label="Image to pull"
        placeholder="Image to pull, e.g. nginx:alpine or localhost:5000/app:1.0"
        value={reference}
        onChange={(event) => { setReference(event.target.value); setProblem(undefined); }}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'pull-problem' : undefined}
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className="primary">Pull</button>
      {problem && <span id="pull-problem" className="form-error">{problem}</span>}
    </form>
  );
}
