import { randomUUID } from "node:crypto";
import { ApiError, type Role, type UpdateUserRequest, type User } from "@kon/protocol";
import { asc, eq, sql } from "drizzle-orm";
import { countRows, type Db } from "../db/open.ts";
import { users } from "../db/schema.ts";
import { iso, type Clock } from "../time.ts";
import { hashPassword } from "./password.ts";

export type UserRow = typeof users.$inferSelect;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    disabled: row.disabled,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export class UserStore {
  /** Prepared once: this runs on every authenticated request. */
  private readonly byId;

  constructor(
    private readonly db: Db,
    private readonly now: Clock,
    private readonly passwordCost: number,
  ) {
    this.byId = db.select().from(users).where(eq(users.id, sql.placeholder("id"))).prepare();
  }

  findById(id: string): UserRow | undefined {
    return this.byId.get({ id });
  }

  findByUsername(username: string): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.username, username)).get();
  }

  list(): User[] {
    return this.db.select().from(users).orderBy(asc(users.createdAt)).all().map(toUser);
  }

  count(): number {
    return countRows(this.db, users);
  }

  async create(input: { username: string; password: string; role: Role }): Promise<User> {
    if (this.findByUsername(input.username)) throw new ApiError("conflict", `User ${input.username} already exists`);
    const passwordHash = await hashPassword(input.password, this.passwordCost);
    const at = this.now();
    const row: UserRow = {
      id: randomUUID(),
      username: input.username,
      passwordHash,
      role: input.role,
      disabled: false,
      createdAt: at,
      updatedAt: at,
    };
    try {
      this.db.insert(users).values(row).run();
    } catch (err) {
      if (String(err).includes("UNIQUE")) throw new ApiError("conflict", `User ${input.username} already exists`);
      throw err;
    }
    return toUser(row);
  }

  async update(id: string, change: UpdateUserRequest, actorId: string): Promise<User> {
    const row = this.findById(id);
    if (!row) throw new ApiError("not_found", "No such user");
    if (id === actorId && (change.disabled === true || change.role === "user")) {
      throw new ApiError("conflict", "Admins cannot disable or demote themselves");
    }
    const passwordHash = change.password ? await hashPassword(change.password, this.passwordCost) : row.passwordHash;
    const next: UserRow = {
      ...row,
      passwordHash,
      role: change.role ?? row.role,
      disabled: change.disabled ?? row.disabled,
      updatedAt: this.now(),
    };
    this.db.update(users).set(next).where(eq(users.id, id)).run();
    return toUser(next);
  }
}
