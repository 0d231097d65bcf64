import { documented, validate } from "@kon/openapi";
import {
  ApiError,
  ChooseKontaskRequest,
  CreateKontaskRequest,
  Kontask,
  KontaskListQuery,
  KontaskPage,
  SendMessageAccepted,
  UpdateKontaskRequest,
  type KontaskContext,
} from "@kon/protocol";
import { Hono } from "hono";
import { requireScope, requireUser } from "../auth/guard.ts";
import type { AppEnv, Principal } from "../http/context.ts";
import type { Services } from "../services.ts";
import { mayUseSession } from "../sessions/store.ts";
import { actorOf } from "./access.ts";
import { toKontask, type KontaskRow } from "./store.ts";

/** Kontasks: result records agents (with their process token) and people create. */
export function kontaskRoutes(s: Services) {
  const announce = (action: "created" | "updated" | "deleted", row: KontaskRow): Kontask => {
    const kontask = toKontask(row);
    const target = row.targetUser ? s.users.findByUsername(row.targetUser)?.id : undefined;
    s.hub.publish({ type: "kontask", action, kontask }, { userIds: target ? [row.ownerUserId, target] : [row.ownerUserId] });
    return kontask;
  };

  const sessionOf = (principal: Principal, requested: string | undefined): string | null => {
    if (principal.kind === "process") {
      requireScope(principal.grant, "kontasks:write");
      if (requested && requested !== principal.grant.sessionId) {
        throw new ApiError("forbidden", "Process tokens may only create kontasks for their own session");
      }
      return principal.grant.sessionId;
    }
    if (!requested) return null;
    const session = s.sessions.find(requested);
    if (!session || !mayUseSession(principal.user, session)) {
      throw new ApiError("bad_request", "Unknown session");
    }
    return session.id;
  };

  const requireKnownTarget = (targetUser: string | null | undefined): void => {
    if (targetUser && !s.users.findByUsername(targetUser)) {
      throw new ApiError("bad_request", `targetUser: no user named ${JSON.stringify(targetUser)}`, {
        fields: [{ path: "targetUser", message: "no such user" }],
      });
    }
  };

  const tags = ["kontasks"];
  return new Hono<AppEnv>()
    .post(
      "/kontasks",
      documented({ summary: "Create a kontask", tags, ok: { 201: Kontask }, errors: [403, 413, 415] }),
      validate("json", CreateKontaskRequest, "kontask"),
      async (c) => {
        const principal = c.get("principal");
        const input = c.req.valid("json");
        requireKnownTarget(input.targetUser);
        const sessionId = sessionOf(principal, input.sessionId);
        const owner =
          principal.kind === "process"
            ? { userId: principal.grant.userId, createdBy: "claude", sessionId }
            : { userId: principal.user.id, createdBy: principal.user.username, sessionId };
        return c.json(announce("created", s.kontasks.create(input, owner)), 201);
      },
    )
    .get(
      "/kontasks",
      documented({ summary: "List kontasks, newest first", tags, ok: { 200: KontaskPage } }),
      validate("query", KontaskListQuery, "kontask query"),
      (c) => c.json(s.kontasks.list(c.req.valid("query"), actorOf(c.get("principal"))), 200),
    )
    .get("/kontasks/:id", documented({ summary: "Get a kontask", tags, ok: { 200: Kontask }, errors: [404] }), (c) =>
      c.json(toKontask(s.kontasks.get(c.req.param("id"), actorOf(c.get("principal")))), 200),
    )
    .patch(
      "/kontasks/:id",
      documented({ summary: "Change a kontask (context is merged key by key)", tags, ok: { 200: Kontask }, errors: [403, 404, 413, 415] }),
      validate("json", UpdateKontaskRequest, "kontask change"),
      async (c) => {
        const principal = c.get("principal");
        if (principal.kind === "process") requireScope(principal.grant, "kontasks:write");
        const change = c.req.valid("json");
        requireKnownTarget(change.targetUser);
        return c.json(announce("updated", s.kontasks.update(c.req.param("id"), change, actorOf(principal))), 200);
      },
    )
    .delete("/kontasks/:id", documented({ summary: "Delete a kontask (owner or admin)", tags, ok: { 204: null }, errors: [403, 404] }), (c) => {
      const row = s.kontasks.delete(c.req.param("id"), actorOf(c.get("principal")));
      announce("deleted", row);
      return c.body(null, 204);
    })
    .post(
      "/kontasks/:id/choose",
      documented({
        summary: "Answer a kontask with one of its choices: the value goes to its session as the next message",
        tags,
        ok: { 202: SendMessageAccepted },
        errors: [403, 404, 409, 413, 415, 429],
      }),
      validate("json", ChooseKontaskRequest, "choice"),
      async (c) => {
        const user = requireUser(c);
        const principal = c.get("principal");
        const { value } = c.req.valid("json");
        const row = s.kontasks.get(c.req.param("id"), actorOf(principal));
        const choices = (row.context as KontaskContext).choices ?? [];
        if (!choices.some((choice) => choice.value === value)) {
          throw new ApiError("bad_request", "value is not one of the kontask's choices", { fields: [{ path: "value", message: "unknown choice" }] });
        }
        if (!row.sessionId) throw new ApiError("conflict", "This kontask does not belong to a session");
        const session = s.sessions.find(row.sessionId);
        if (!session || !mayUseSession(user, session) || !s.flags.isEnabled("session_tab_enabled", session.agent)) {
          throw new ApiError("not_found", "The kontask's session is gone");
        }
        const started = await s.sender.start(session, { text: value, kind: "task", files: [] });
        return c.json(started, 202);
      },
    );
}
