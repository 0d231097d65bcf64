import type { ComponentChildren } from "preact";
import { app } from "../app-instance.ts";
import { route } from "../router.ts";
import { useStore } from "../store/use-store.ts";
import { inboxCount } from "../store/inbox.ts";
import { ConnectionStatus } from "./connection-status.tsx";
import { Link } from "./link.tsx";

const USER_LINKS = [
  ["Sessions", "/sessions/claude", "/sessions"],
  ["Kontasks", "/kontasks", "/kontasks"],
  ["Host", "/host", "/host"],
] as const;
const ADMIN_LINKS = [
  ["Policy", "/admin/policy"],
  ["Pool", "/admin/pool"],
  ["Guardrails", "/admin/guardrails"],
  ["Budgets", "/admin/budgets"],
  ["Flags", "/admin/flags"],
  ["Users", "/admin/users"],
  ["Usage", "/admin/usage"],
] as const;

/** The inbox link with the number of things waiting for the person, on every page. */
function InboxLink({ current }: { current: boolean }) {
  const count = useStore(app.store, (s) => inboxCount(s.inbox));
  return (
    <Link href="/inbox" aria-current={current ? "page" : undefined} aria-label={count > 0 ? `Inbox, ${count} waiting` : "Inbox"}>
      Inbox
      {count > 0 && (
        <span class="nav-count" aria-hidden="true">
          {count}
        </span>
      )}
    </Link>
  );
}

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
          {links.slice(0, USER_LINKS.length).map(([label, href, prefix]) => (
            <Link key={href} href={href} aria-current={path.startsWith(prefix) ? "page" : undefined}>
              {label}
            </Link>
          ))}
          <InboxLink current={path === "/inbox"} />
          {links.slice(USER_LINKS.length).map(([label, href, prefix]) => (
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
