import { useEffect } from "preact/hooks";
import { app } from "./app-instance.ts";
import { lazyPage } from "./components/lazy-page.tsx";
import { Link } from "./components/link.tsx";
import { PageBoundary } from "./components/page-boundary.tsx";
import { Shell } from "./components/shell.tsx";
import { InboxPage } from "./pages/inbox-page.tsx";
import { HostPage } from "./pages/host-page.tsx";
import { KontasksPage } from "./pages/kontasks-page.tsx";
import { LoginPage } from "./pages/login-page.tsx";
import { SessionPage } from "./pages/session-page.tsx";
import { SessionsPage } from "./pages/sessions-page.tsx";
import { match, navigate, route } from "./router.ts";
import { useStore } from "./store/use-store.ts";

const KontaskPage = lazyPage<{ id: string }>(() => import("./pages/kontask-page.tsx"));
const HostSessionPage = lazyPage<{ id: string }>(() => import("./pages/host-session-page.tsx"));
const PoolPage = lazyPage(() => import("./pages/admin/pool-page.tsx"));
const GuardrailsPage = lazyPage(() => import("./pages/admin/guardrails-page.tsx"));
const BudgetsPage = lazyPage(() => import("./pages/admin/budgets-page.tsx"));
const FlagsPage = lazyPage(() => import("./pages/admin/flags-page.tsx"));
const UsersPage = lazyPage(() => import("./pages/admin/users-page.tsx"));
const UsagePage = lazyPage(() => import("./pages/admin/usage-page.tsx"));
const PolicyPage = lazyPage(() => import("./pages/admin/policy-page.tsx"));

const HOME = "/sessions/claude";
const ADMIN_PAGES = { policy: PolicyPage, pool: PoolPage, guardrails: GuardrailsPage, budgets: BudgetsPage, flags: FlagsPage, users: UsersPage, usage: UsagePage };

/** Where to go after logging in; kept in memory, never in the URL. */
let afterLogin = HOME;

function NotFound() {
  return (
    <section class="page">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href={HOME}>Go to your sessions</Link>.
      </p>
    </section>
  );
}

function Page({ path, isAdmin }: { path: string; isAdmin: boolean }) {
  let params = match("/sessions/:agent/:sessionId", path);
  if (params) return <SessionPage key={params.agent} agent={params.agent ?? ""} sessionId={params.sessionId ?? ""} />;
  if ((params = match("/sessions/:agent", path))) return <SessionsPage agent={params.agent ?? ""} />;
  if (path === "/kontasks") return <KontasksPage />;
  if (path === "/inbox") return <InboxPage />;
  if ((params = match("/kontasks/:id", path))) return <KontaskPage id={params.id ?? ""} />;
  if (path === "/host") return <HostPage />;
  if ((params = match("/host/:id", path))) return <HostSessionPage id={params.id ?? ""} />;
  if ((params = match("/admin/:page", path))) {
    const AdminPage = ADMIN_PAGES[params.page as keyof typeof ADMIN_PAGES];
    if (AdminPage && isAdmin) return <AdminPage />;
    if (AdminPage)
      return (
        <section class="page">
          <h1>Operators only</h1>
          <p>This page is for admins. Ask an admin if you need it.</p>
        </section>
      );
  }
  return <NotFound />;
}

export function Root() {
  const auth = useStore(app.store, (s) => s.auth);
  const isAdmin = useStore(app.store, (s) => s.user?.role === "admin");
  const path = useStore(route, (r) => r.path);

  useEffect(() => {
    if (auth === "signed-out" && path !== "/login") {
      afterLogin = path === "/" ? HOME : path + location.search;
      navigate("/login", { replace: true });
    } else if (auth === "signed-in" && (path === "/login" || path === "/")) {
      navigate(path === "/login" ? afterLogin : HOME, { replace: true });
      afterLogin = HOME;
    } else if (path === "/") navigate(HOME, { replace: true });
  }, [auth, path]);

  useEffect(() => {
    if (path === "/login") document.title = "Log in · kon";
  }, [path]);

  if (auth === "checking") return <p class="muted page">Loading…</p>;
  if (auth === "signed-out") return path === "/login" ? <LoginPage /> : null;
  if (path === "/login" || path === "/") return null;
  return (
    <Shell>
      <PageBoundary key={path}>
        <Page path={path} isAdmin={isAdmin} />
      </PageBoundary>
    </Shell>
  );
}
