import { useLayoutEffect } from "preact/hooks";

let atBottom = true;
let listening = 0;
const onScroll = () => {
  atBottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
};

/** Keeps the page pinned to the newest output while the person is at the bottom; `key` changes when output grows. */
export function useFollowBottom(key: unknown): void {
  useLayoutEffect(() => {
    if (listening++ === 0) {
      atBottom = true;
      window.addEventListener("scroll", onScroll, { passive: true });
    }
    return () => {
      if (--listening === 0) window.removeEventListener("scroll", onScroll);
    };
  }, []);
  useLayoutEffect(() => {
    if (atBottom) window.scrollTo(0, document.documentElement.scrollHeight);
  }, [key]);
}
