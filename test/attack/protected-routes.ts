// Every route family konui and konsole protect, as concrete requests on real resources, with
// who may use each: so the suite can try each one with everything that must be refused.

import type { World } from "./token-world.ts";

export interface Use {
  method: string;
  path: string;
  body?: unknown;
}

export interface KonuiRoute extends Use {
  /** Only an admin may use it. */
  admin: boolean;
  /** Acts on alice's session or kontask: another user (bob) must be refused. */
  alices: boolean;
  /** A process token bound to alice's session may use it. */
  process: boolean;
  /** The dashboard WebSocket: the token goes as a sub-protocol. */
  live?: boolean;
}

/** Ordered so the control run (with the right token) destroys nothing a later route needs. */
export function konuiRoutes(w: World): KonuiRoute[] {
  const s = `/api/agents/claude/sessions/${w.sessionId}`;
  const k = `/api/kontasks/${w.kontaskId}`;
  const route = (method: string, path: string, who: Partial<KonuiRoute> = {}, body?: unknown): KonuiRoute => ({
    method,
    path,
    ...(body === undefined ? {} : { body }),
    admin: false,
    alices: false,
    process: false,
    ...who,
  });
  return [
    route("GET", "/api/me", { process: true }),
    route("GET", "/api/live", { live: true }),
    route("GET", "/api/users", { admin: true }),
    route("POST", "/api/users", { admin: true }, { username: "mallory", password: "mallory-password" }),
    route("PATCH", `/api/users/${w.aliceId}`, { admin: true }, { role: "user" }),
    route("GET", "/api/sessions/stats", { admin: true }),
    route("POST", "/api/kontasks", { process: true }, { title: "a kontask", type: "task" }),
    route("POST", "/api/kontasks", { alices: true, process: true }, { title: "into alice's session", type: "task", sessionId: w.sessionId }),
    route("GET", "/api/kontasks", { process: true }),
    route("GET", k, { alices: true, process: true }),
    route("PATCH", k, { alices: true, process: true }, { title: "changed" }),
    route("POST", `${k}/choose`, { alices: true }, { value: "yes" }),
    route("POST", "/api/agents/claude/session", {}, { title: "another" }),
    route("GET", "/api/agents/claude/sessions"),
    route("GET", s, { alices: true, process: true }),
    route("PATCH", s, { alices: true }, { title: "renamed" }),
    route("GET", `${s}/messages`, { alices: true, process: true }),
    route("POST", `${s}/message?async=true`, { alices: true }, { text: "hi" }),
    route("GET", `${s}/turns/${w.turnId}`, { alices: true, process: true }),
    route("POST", `${s}/turns/${w.turnId}/interrupt`, { alices: true }),
    route("GET", "/api/agents/claude/guardrails"),
    route("PUT", "/api/agents/claude/guardrails", { admin: true }, { max_turns_chat: 20 }),
    route("GET", "/api/flags"),
    route("PUT", "/api/flags/session_tab_enabled", { admin: true }, { enabled: true }),
    route("GET", "/api/usage"),
    route("GET", "/api/konsole/hot", { admin: true }),
    route("POST", `${s}/reset`, { alices: true }),
    route("DELETE", k, { alices: true }),
    route("DELETE", s, { alices: true }),
    route("POST", "/api/logout"),
  ];
}

/** A process token's session is its whole world: alice's other session is out of reach. */
export function otherSessionReads(w: World): Use[] {
  const s = `/api/agents/claude/sessions/${w.otherSessionId}`;
  return [
    { method: "GET", path: s },
    { method: "GET", path: `${s}/messages` },
    { method: "POST", path: "/api/kontasks", body: { title: "into another session", type: "task", sessionId: w.otherSessionId } },
  ];
}

export function internalRoutes(): Use[] {
  return [
    { method: "POST", path: "/internal/process-tokens", body: { sessionId: "s", userId: "u", processId: "p" } },
    { method: "POST", path: "/internal/process-tokens/pool", body: { processId: "p" } },
    { method: "POST", path: `/internal/process-tokens/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}/bind`, body: { sessionId: "s", userId: "u" } },
    { method: "DELETE", path: "/internal/process-tokens/any" },
  ];
}

export const konsoleRoutes: Use[] = [
  { method: "POST", path: "/sessions/attack/turns", body: { userId: "u1", text: "hi" } },
  { method: "POST", path: "/sessions/attack/hot-prompt", body: { userId: "u1", text: "hi" } },
  { method: "GET", path: "/hot/status" },
  { method: "PUT", path: "/hot/config", body: { targetSize: 3 } },
  { method: "GET", path: "/sessions/attack" },
  { method: "GET", path: "/sessions/attack/turns" },
  { method: "POST", path: "/sessions/attack/reset" },
  { method: "DELETE", path: "/sessions/attack" },
  { method: "GET", path: "/turns/attack-turn" },
  { method: "GET", path: "/turns/attack-turn/events" },
  { method: "POST", path: "/turns/attack-turn/interrupt" },
  { method: "GET", path: "/observer/sessions" },
  { method: "GET", path: "/observer/sessions/attack" },
  { method: "GET", path: "/observer/usage" },
  { method: "GET", path: "/observer/blocks" },
  { method: "GET", path: "/observer/status" },
  { method: "GET", path: "/ws" },
];
