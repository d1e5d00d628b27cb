// A value that changes every 30 s, so relative times ("2 minutes ago") move on while a list sits
// on screen. Rows take it as a prop: one timer per view, not one per row.
import { useEffect, useState } from 'react';

export function useClockTick(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
