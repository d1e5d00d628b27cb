// Build (route /build): build an image from a folder, with the log streaming, the current step
// highlighted and counted (Step N/M), a failure pointing at its Dockerfile line, Run for the new
// image, and the recent builds with their outcome and duration.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { BuildRecord, BuildSpec } from '../../../common/desktop-api.ts';
import { useDesktopApi } from '../../api/api-context.tsx';
import { queryKeys } from '../../api/query-keys.ts';
import { shortId } from '../../components/format.ts';
import { LogViewport } from '../container-detail/logs/log-viewport.tsx';
import { useFrameTick } from '../container-detail/logs/use-frame-tick.ts';
import { RunDialog } from '../images/run-dialog.tsx';
import { BuildForm } from './build-form.tsx';
import { formatDuration, RecentBuilds } from './recent-builds.tsx';
import { buildSession, type BuildState } from './build-session.ts';
import '../container-detail/logs/logs.css';
import './build.css';

export const RECENT_BUILDS_KEY = ['builds'] as const;
const NO_BUILDS: BuildRecord[] = [];
const LOG_RENDER_INTERVAL_MS = 100;

function Outcome({ state, onRun }: { state: BuildState; onRun(image: string): void }) {
  switch (state.phase) {
    case 'done': {
      const name = state.tags[0] ?? shortId(state.imageId);
      return (
        <div className="build-outcome build-ok" role="status">
          <span>Built <strong>{name}</strong> ({shortId(state.imageId)}) in {formatDuration(state.durationMs)}</span>
          <button type="button" className="primary" onClick={() => onRun(state.tags[0] ?? state.imageId)}>Run</button>
        </div>
      );
    }
    case 'failed':
      return (
        <div className="build-outcome build-failed" role="alert">
          <p className="build-error-message">{state.message}</p>
          {state.line !== undefined && (
            <p className="build-error-line">Dockerfile line {state.line}: <code>{state.lineText ?? ''}</code></p>
          )}
        </div>
      );
    case 'cancelled':
      return <div className="build-outcome" role="status">Build cancelled</div>;
    default:
      return null;
  }
}

export function BuildView() {
  const api = useDesktopApi();
  const client = useQueryClient();
  const [tick, schedule] = useFrameTick();
  const [following, setFollowing] = useState(true);
  const [running, setRunning] = useState<string>();
  // At most one render per LOG_RENDER_INTERVAL_MS, on an animation frame: a log pouring 50,000
  // lines a second cannot be read at 60 frames a second anyway, and every frame it does not
  // repaint leaves the main thread to the user's input.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = buildSession.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = undefined;
        schedule();
      }, LOG_RENDER_INTERVAL_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [schedule]);
  const recent = useQuery({ queryKey: RECENT_BUILDS_KEY, queryFn: () => api.recentBuilds() });

  const onEnd = useCallback(() => {
    void client.invalidateQueries({ queryKey: RECENT_BUILDS_KEY });
    void client.invalidateQueries({ queryKey: queryKeys.images });
  }, [client]);
  // Stable callbacks: the form and the list are memoised, so the per-frame renders of a fast log
  // touch only the log and the step line.
  const start = useCallback((spec: BuildSpec) => {
    setFollowing(true);
    buildSession.start(api, spec, onEnd);
  }, [api, onEnd]);
  // The close goes out before the list is read again, on the same ordered channel, and the
  // backend records the cancelled build as it handles the close.
  const cancel = useCallback(() => {
    buildSession.cancel();
    onEnd();
  }, [onEnd]);

  const { state, step, buffer } = buildSession;
  return (
    <section className="build-view" aria-labelledby="build-heading">
      <header className="view-header">
        <h1 id="build-heading">Build</h1>
      </header>
      <BuildForm running={state.phase === 'running'} onBuild={start} onCancel={cancel} />
      {state.phase !== 'idle' && (
        <div className="build-progress">
          <p className="build-step" aria-live="polite">
            {step ? <><span className="build-step-counter">Step {step.step}/{step.total}</span> <code>{step.instruction}</code></> : state.phase === 'running' ? 'Sending the build context…' : null}
            {step?.line !== undefined && <span className="build-step-line"> (line {step.line})</span>}
          </p>
          <Outcome state={state} onRun={setRunning} />
          <LogViewport buffer={buffer} tick={tick} following={following} onFollowingChange={setFollowing}
            query="" currentLine={null} showTimestamps={false} label="Build log" currentStep={state.phase === 'running' ? step?.logIndex : undefined} />
        </div>
      )}
      <RecentBuilds builds={recent.data ?? NO_BUILDS} />
      {running && <RunDialog image={running} label={running} onClose={() => setRunning(undefined)} />}
    </section>
  );
}
