// Coalesces any number of "something changed" signals into at most one React render per animation
// frame: a container printing 100,000 lines/s delivers dozens of batches a second, and each must
// cost only its append, never a render of its own.
import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Returns [tick, schedule]. `schedule()` asks for a render on the next frame; `onFrame` runs just
 * before it and may return true to ask for another frame (e.g. a search still scanning).
 */
export function useFrameTick(onFrame?: () => boolean | void): [number, () => void] {
  const [tick, setTick] = useState(0);
  const frame = useRef<number | null>(null);
  const latestOnFrame = useRef(onFrame);
  latestOnFrame.current = onFrame;
  const schedule = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      if (latestOnFrame.current?.() === true) schedule();
      setTick((t) => t + 1);
    });
  }, []);
  useEffect(() => () => {
    if (frame.current !== null) cancelAnimationFrame(frame.current);
    frame.current = null;
  }, []);
  return [tick, schedule];
}
