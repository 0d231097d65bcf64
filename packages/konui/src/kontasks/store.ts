import { randomUUID } from "node:crypto";
import {
  ApiError,
  type CreateKontaskRequest,
  type Kontask,
  type KontaskContext,
  type KontaskListQuery,
  type KontaskPage,
  type KontaskStatus,
  type UpdateKontaskRequest,
} from "@kon/protocol";
import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../db/open.ts";
import { kontasks } from "../db/schema.ts";
import { iso, type Clock } from "../time.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { canWrite, visibleTo, type KontaskActor } from "./access.ts";

export type KontaskRow = typeof kontasks.$inferSelect;
type CreateInput = z.output<typeof CreateKontaskRequest>;

export function toKontask(row: KontaskRow): Kontask {
  return {
    id: row.id,
    type: row.type,
    status: row.status as KontaskStatus,
    title: row.title,
    description: row.description,
    context: row.context as KontaskContext,
    scope: row.scope,
    tags: row.tags,
    targetUser: row.targetUser,
    createdBy: row.createdBy,
    sessionId: row.sessionId,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export class KontaskStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  create(input: CreateInput, owner: { userId: string; createdBy: string; sessionId: string | null }): KontaskRow {
    const at = this.now();
    const row: KontaskRow = {
      id: randomUUID(),
      type: input.type,
      status: input.status,
      title: input.title,
      description: input.description ?? null,
      context: input.context,
      scope: input.scope ?? null,
      tags: input.tags,
      targetUser: input.targetUser ?? null,
      createdBy: owner.createdBy,
      ownerUserId: owner.userId,
      sessionId: owner.sessionId,
      createdAt: at,
      updatedAt: at,
    };
    this.db.insert(kontasks).values(row).run();
    return row;
  }

  /** The kontask if `actor` may see it; 404 otherwise (including when it exists but is not theirs). */
  get(id: string, actor: KontaskActor): KontaskRow {
    const row = this.db.select().from(kontasks).where(eq(kontasks.id, id)).get();
    if (!row || !visibleTo(row, actor)) throw new ApiError("not_found", "No such kontask");
    return row;
  }

  list(query: KontaskListQuery, actor: KontaskActor): KontaskPage {
    const conditions: (SQL | undefined)[] = [this.visibility(actor)];
    if (query.status) conditions.push(eq(kontasks.status, query.status));
    if (query.type) conditions.push(eq(kontasks.type, query.type));
    if (query.scope) conditions.push(eq(kontasks.scope, query.scope));
    if (query.session) conditions.push(eq(kontasks.sessionId, query.session));
    if (query.createdBy) conditions.push(eq(kontasks.createdBy, query.createdBy));
    if (query.tag) conditions.push(sql`exists (select 1 from json_each(${kontasks.tags}) where value = ${query.tag})`);
    if (query.since) conditions.push(gte(kontasks.createdAt, Date.parse(query.since)));
    if (query.cursor) {
      const after = decodeCursor(query.cursor);
      conditions.push(
        or(lt(kontasks.createdAt, after.createdAt), and(eq(kontasks.createdAt, after.createdAt), lt(kontasks.id, after.id))),
      );
    }
    const rows = this.db
      .select()
      .from(kontasks)
      .where(and(...conditions))
      .orderBy(desc(kontasks.createdAt), desc(kontasks.id))
      .limit(query.limit + 1)
      .all();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      kontasks: page.map(toKontask),
      nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null,
    };
  }

  update(id: string, change: UpdateKontaskRequest, actor: KontaskActor): KontaskRow {
    const row = this.get(id, actor);
    if (!canWrite(row, actor, "update")) throw new ApiError("forbidden", "Not yours to change");
    const next: KontaskRow = {
      ...row,
      status: change.status ?? row.status,
      title: change.title ?? row.title,
      description: change.description === undefined ? row.description : change.description,
      context: change.context ? { ...row.context, ...change.context } : row.context,
      scope: change.scope === undefined ? row.scope : change.scope,
      tags: change.tags ?? row.tags,
      targetUser: change.targetUser === undefined ? row.targetUser : change.targetUser,
      updatedAt: Math.max(this.now(), row.updatedAt),
    };
    this.db.update(kontasks).set(next).where(eq(kontasks.id, id)).run();
    return next;
  }

  delete(id: string, actor: KontaskActor): KontaskRow {
    const row = this.get(id, actor);
    if (!canWrite(row, actor, "delete")) throw new ApiError("forbidden", "Only its owner or an admin may delete a kontask");
    this.db.delete(kontasks).where(eq(kontasks.id, id)).run();
    return row;
  }

  private visibility(actor: KontaskActor): SQL | undefined {
    if (actor.kind === "admin") return undefined;
    if (actor.kind === "process") return eq(kontasks.sessionId, actor.sessionId);
    return or(eq(kontasks.ownerUserId, actor.userId), eq(kontasks.targetUser, actor.username));
  }
}
