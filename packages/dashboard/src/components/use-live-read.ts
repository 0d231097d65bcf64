import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../api/errors.ts";
import type { Polled } from "./use-polling.ts";

/**
 * Reads `load` for `key`, and again whenever `version` moves (live frames), at most once per
 * `minGapMs`; keeps the last good answer for the same key.
 */
export function useLiveRead<T>(load: () => Promise<T>, key: string, version: number, minGapMs = 500): Polled<T> {
  const [state, setState] = useState<Polled<T> & { key: string }>({ data: null, error: null, key });
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const lastRead = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, lastRead.current + minGapMs - Date.now());
    const timer = setTimeout(() => {
      lastRead.current = Date.now();
      loadRef.current().then(
        (data) => {
          if (keyRef.current === key) setState({ data, error: null, key });
        },
        (error: unknown) => {
          if (keyRef.current === key) setState((s) => ({ data: s.key === key ? s.data : null, error: messageOf(error), key }));
        },
      );
    }, wait);
    return () => clearTimeout(timer);
  }, [key, version, minGapMs]);
  return state.key === key ? state : { data: null, error: null };
}
