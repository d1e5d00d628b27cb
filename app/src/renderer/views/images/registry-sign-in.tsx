// Registry sign-in (README.md): the "Sign in to a registry" dialog and the "Registries signed in"
// list with a Sign out button per registry. The backend checks the credentials with the engine and
// keeps them where the docker CLI does (its config.json or credential helper), so the CLI and
// Berth share one sign-in.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { RegistryLogin } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { ModalDialog, SubmitActions } from '../../components/modal-dialog.tsx';
import { toastError, toastSuccess } from '../../store/toast-store.ts';

const HUB_KEY = 'https://index.docker.io/v1/';

function registryLabel(serverAddress: string): string {
  return serverAddress === HUB_KEY ? 'Docker Hub' : serverAddress;
}

export function RegistrySignInDialog({ onClose }: { onClose(): void }) {
  const api = useDesktopApi();
  const client = useQueryClient();
  const id = useId();
  const [serverAddress, setServerAddress] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string>();
  const signIn = useMutation({
    mutationFn: () => api.registrySignIn({ serverAddress, username, password }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: queryKeys.registryLogins });
      toastSuccess(`Signed in to ${registryLabel(result.serverAddress)}`, `Kept in ${result.store}, where the docker CLI finds it too`);
      onClose();
    },
  });
  const submit = () => {
    // The backend checks everything again; this only saves a round trip for the obvious.
    const missing = !username.trim() ? 'Enter a user name.' : !password ? 'Enter a password or access token.' : undefined;
    setProblem(missing);
    if (!missing) signIn.mutate();
  };
  return (
    <ModalDialog
      title="Sign in to a registry"
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label="Sign in" pending={signIn.isPending} onCancel={onClose} />}
    >
      <div className="run-fields">
        <div className="field">
          <label htmlFor={`${id}-server`}>Registry</label>
          <input id={`${id}-server`} type="text" value={serverAddress} placeholder="host[:port], e.g. registry.example.com; empty for Docker Hub"
            onChange={(event) => setServerAddress(event.target.value)} spellCheck={false} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-user`}>Username</label>
          <input id={`${id}-user`} type="text" value={username} onChange={(event) => { setUsername(event.target.value); setProblem(undefined); }}
            spellCheck={false} autoComplete="username" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input id={`${id}-password`} type="password" value={password} onChange={(event) => { setPassword(event.target.value); setProblem(undefined); }}
            autoComplete="current-password" />
        </div>
      </div>
      {problem && <p role="alert" className="form-error">{problem}</p>}
      {signIn.error && <p role="alert" className="form-error">Could not sign in: {signIn.error.message}</p>}
    </ModalDialog>
  );
}

/** The registries with stored credentials; nothing at all when there are none and nothing failed. */
export function RegistryLogins() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const logins = useQuery({ queryKey: queryKeys.registryLogins, queryFn: () => api.registryLogins() });
  const signOut = useMutation({
    mutationFn: (login: RegistryLogin) => api.registrySignOut(login.serverAddress),
    onSuccess: (_result, login) => toastSuccess(`Signed out of ${registryLabel(login.serverAddress)}`),
    onError: (error, login) => toastError(`Could not sign out of ${registryLabel(login.serverAddress)}`, error),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.registryLogins }),
  });
  const data = logins.data;
  if (!data || (data.logins.length === 0 && data.problems.length === 0)) return null;
  return (
    <section className="registry-logins" aria-labelledby="registry-logins-heading">
      <h2 id="registry-logins-heading">Registries signed in</h2>
      <ul aria-labelledby="registry-logins-heading">
        {data.logins.map((login) => (
          <li key={login.serverAddress} aria-label={registryLabel(login.serverAddress)}>
            <span className="strong">{registryLabel(login.serverAddress)}</span>
            <span>as {login.username || 'a token'}</span>
            <span className="muted">in {login.store}</span>
            <button type="button" disabled={signOut.isPending} onClick={() => signOut.mutate(login)}>Sign out</button>
          </li>
        ))}
      </ul>
      {data.problems.map((problem) => <p key={problem} role="alert" className="form-error">{problem}</p>)}
      <p className="muted">Read from {data.configPath}, as the docker CLI keeps them.</p>
    </section>
  );
}
