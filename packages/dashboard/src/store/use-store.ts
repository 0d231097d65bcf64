import { useEffect, useRef, useState } from "preact/hooks";
import type { Store } from "./store.ts";

/** Re-renders only when the selected value changes identity, so a streamed delta touches one article. */
export function useStore<S, T>(store: Store<S>, select: (state: S) => T): T {
  const selectRef = useRef(select);
  selectRef.current = select;
  const [, setTick] = useState(0);
  const value = select(store.get());
  const valueRef = useRef(value);
  valueRef.current = value;
  useEffect(
    () =>
      store.subscribe(() => {
        if (!Object.is(selectRef.current(store.get()), valueRef.current)) setTick((n) => n + 1);
      }),
    [store],
  );
  return value;
}
