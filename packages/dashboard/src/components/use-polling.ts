import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../api/errors.ts";

export interface Polled<T> {
  data: T | null;
  error: string | null;
}

/** Reads `load` now and every `everyMs` while the page is open and visible; keeps the last good answer. */
export function usePolling<T>(load: () => Promise<T>, everyMs: number): Polled<T> {
  const [state, setState] = useState<Polled<T>>({ data: null, error: null });
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      if (document.visibilityState !== "hidden") {
        try {
          const data = await load();
          if (!stopped) setState({ data, error: null });
        } catch (err) {
          if (!stopped) setState((s) => ({ data: s.data, error: messageOf(err) }));
        }
      }
      if (!stopped) timer = setTimeout(() => void tick(), everyMs);
    };
    void tick();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [everyMs]);
  return state;
}
