import { describe, expect, it } from "vitest";
import { JournalEntry, OBSERVER_JOURNAL_SESSION_ID, OBSERVER_JOURNAL_TURN_ID, ObserverSessionsQuery, ObserverUsageQuery } from "../src/index.ts";

describe("observer schemas", () => {
  it("reads an observer entry of the journal, which belongs to no turn", () => {
    const entry = JournalEntry.parse({
      cursor: 7,
      turnId: OBSERVER_JOURNAL_TURN_ID,
      sessionId: OBSERVER_JOURNAL_SESSION_ID,
      seq: 3,
      at: "2026-12-02T13:00:00.000Z",
      payload: { type: "observer", event: { kind: "sessions", changed: 120 } },
    });
    expect(entry.payload).toEqual({ type: "observer", event: { kind: "sessions", changed: 120 } });
    expect(JournalEntry.safeParse({ ...entry, payload: { type: "observer", event: { kind: "nope" } } }).success).toBe(false);
  });

  it("takes dates and date-times as UTC instants and refuses anything else", () => {
    expect(ObserverUsageQuery.parse({ since: "2026-11-01", until: "2026-11-02T10:00:00+02:00" })).toEqual({
      groupBy: "day",
      since: "2026-11-01T00:00:00.000Z",
      until: "2026-11-02T08:00:00.000Z",
    });
    for (const bad of ["yesterday", "2026-13-01", "", "1700000000"]) expect(ObserverUsageQuery.safeParse({ since: bad }).success).toBe(false);
    expect(ObserverUsageQuery.safeParse({ since: "2026-11-02", until: "2026-11-01" }).success).toBe(false);
  });

  it("pages with limit 1–200 and refuses unknown parameters", () => {
    expect(ObserverSessionsQuery.parse({ limit: "20", offset: "40", active: "true" })).toEqual({ limit: 20, offset: 40, active: "true" });
    expect(ObserverSessionsQuery.safeParse({ limit: "201" }).success).toBe(false);
    expect(ObserverSessionsQuery.safeParse({ sort: "name" }).success).toBe(false);
  });
});
