import { Store } from "./store/store.ts";

export interface Location {
  path: string;
  search: URLSearchParams;
}

const read = (): Location => ({ path: location.pathname, search: new URLSearchParams(location.search) });

export const route = new Store<Location>(read());

window.addEventListener("popstate", () => route.update(() => read()));

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  route.update(() => read());
  if (!options.replace) window.scrollTo(0, 0);
}

/** The parameters of `pattern` ("/sessions/:agent") in `path`, or null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = have[i] ?? "";
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}
