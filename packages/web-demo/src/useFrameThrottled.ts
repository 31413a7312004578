import { useEffect, useRef, useState } from 'react';

/**
 * Follows `value`, but at most once per animation frame: a burst of pointer events (a fast stroke, or a test
 * replaying one) costs one model-input rendering per frame instead of one per event.
 */
export function useFrameThrottled<T>(value: T): T {
  const [shown, setShown] = useState(value);
  const latest = useRef(value);
  latest.current = value;
  const frame = useRef<number | null>(null);

  useEffect(() => {
    if (frame.current !== null || Object.is(value, shown)) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setShown(() => latest.current);
    });
  }, [value, shown]);

  useEffect(
    () => () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    },
    [],
  );
  return shown;
}
