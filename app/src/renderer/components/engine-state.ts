// Engine states as words (README.md: Running / Starting / Stopped / Error).
import type { EngineState } from '../../common/desktop-api.ts';

export const ENGINE_STATE_TEXT: Record<EngineState, string> = {
  running: 'Running', starting: 'Starting', stopping: 'Stopping', stopped: 'Stopped', error: 'Error',
};
