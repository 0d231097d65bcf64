import type { ComponentChildren } from "preact";
import { app } from "../app-instance.ts";
import { route } from "../router.ts";
import { useStore } from "../store/use-store.ts";
import { ConnectionStatus } from "./connection-status.tsx";
import { Link } from "./link.tsx";

const USER_LINKS = [
  ["Sessions", "/sessions/claude", "/sessions"],
  ["Kontasks", "/kontasks", "/kontasks"],
  ["Host", "/host", "/host"],
] as const;
const ADMIN_LINKS = [
  ["Pool", "/admin/pool"],
  ["Guardrails", "/admin/guardrails"],
  ["Flags", "/admin/flags"],
  ["Users", "/admin/users"],
  ["Usage", "/admin/usage"],
] as const;

export function Shell({ children }: { children: ComponentChildren }) {
  const user = useStore(app.store, (s) => s.user);
  const path = useStore(route, (r) => r.path);
  const links: [string, string, string][] = USER_LINKS.map(([label, href, prefix]) => [label, href, prefix]);
  if (user?.role === "admin") links.push(...ADMIN_LINKS.map(([label, href]): [string, string, string] => [label, href, href]));
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">kon</span>
        <nav aria-label="Main">
          {links.map(([label, href, prefix]) => (
            <Link key={href} href={href} aria-current={path.startsWith(prefix) ? "page" : undefined}>
              {label}
            </Link>
          ))}
        </nav>
        <div class="who">
          <ConnectionStatus />
          <span class="username">{user?.username}</span>
          <button type="button" class="quiet" onClick={() => void app.logout()}>
            Log out
          </button>
        </div>
      </header>
      <main>{children}</main>
    </div>
  );
}
