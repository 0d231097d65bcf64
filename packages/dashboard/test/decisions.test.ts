import type { Inbox } from "@kon/protocol";
import { describe, expect, it } from "vitest";
import { putDecision } from "../src/store/decisions.ts";
import { applyDecisionToInbox, applyInboxRead, applyKontaskToInbox, emptyInbox, inboxCount, inboxWithAnsweredElsewhere } from "../src/store/inbox.ts";
import { applyDecisions, emptyLog, unplacedPending, upsertMessage } from "../src/store/session-log.ts";
import { decision, kontask, message, settled } from "./fixtures.ts";

const older = decision({ id: "d1", createdAt: "2026-03-01T10:00:00Z" });
const newer = decision({ id: "d2", createdAt: "2026-03-01T10:01:00Z", turnId: "t2" });
const waitingKontask = kontask({ id: "k1", createdAt: "2026-03-01T10:00:30Z", status: "awaiting_input" });

const read = (items: Inbox["items"]): Inbox => ({ items, count: items.length });

describe("session decisions", () => {
  it("groups decisions by the turn that asked and keeps a list unchanged when nothing changed", () => {
    let byTurn = putDecision({}, older);
    byTurn = putDecision(byTurn, newer);
    byTurn = putDecision(byTurn, decision({ id: "d0", createdAt: "2026-03-01T09:59:00Z" }));
    expect(byTurn.t1?.map((d) => d.id)).toEqual(["d0", "d1"]);
    expect(byTurn.t2?.map((d) => d.id)).toEqual(["d2"]);
    expect(putDecision(byTurn, settled(older))).not.toBe(byTurn);
  });

  it("never lets a late pending copy bring a settled decision back", () => {
    const done = settled(older);
    const byTurn = putDecision(putDecision({}, older), done);
    expect(byTurn.t1?.[0]?.status).toBe("allowed");
    expect(putDecision(byTurn, older)).toBe(byTurn);
  });

  it("keeps only the open session's decisions and finds pending ones with no turn on screen", () => {
    let log = applyDecisions(emptyLog("claude", "s1"), [older, newer, decision({ id: "x", createdAt: "2026-03-01T10:02:00Z", sessionId: "other" })]);
    expect(Object.values(log.decisions).flat().map((d) => d.id)).toEqual(["d1", "d2"]);
    log = upsertMessage(log, message({ id: "m1", createdAt: "2026-03-01T10:03:00Z", role: "assistant", turnId: "t1" }));
    expect(unplacedPending(log.decisions, log.messages, null).map((d) => d.id)).toEqual(["d2"]);
    expect(unplacedPending(log.decisions, log.messages, "t2")).toEqual([]);
    log = applyDecisions(log, [settled(newer)]);
    expect(unplacedPending(log.decisions, log.messages, null)).toEqual([]);
  });
});

describe("inbox", () => {
  it("lists what waits newest first, adds asked decisions and drops answered ones", () => {
    let inbox = applyInboxRead(emptyInbox, read([{ kind: "decision", at: older.createdAt, decision: older }, { kind: "kontask", at: waitingKontask.createdAt, kontask: waitingKontask }]));
    expect(inbox.items?.map((i) => i.kind)).toEqual(["kontask", "decision"]);
    inbox = applyDecisionToInbox(inbox, newer);
    expect(inboxCount(inbox)).toBe(3);
    expect(inbox.items?.[0]).toMatchObject({ kind: "decision", decision: { id: "d2" } });
    expect(applyDecisionToInbox(inbox, newer)).toBe(inbox);
    inbox = applyDecisionToInbox(inbox, settled(newer));
    expect(inboxCount(inbox)).toBe(2);
  });

  it("does not bring back a decision answered while the inbox was being read", () => {
    let inbox = applyInboxRead(emptyInbox, read([]));
    inbox = applyDecisionToInbox(inbox, settled(older));
    expect(inboxCount(inbox)).toBe(0);
    inbox = applyInboxRead(inbox, read([{ kind: "decision", at: older.createdAt, decision: older }]));
    expect(inboxCount(inbox)).toBe(0);
    expect(applyDecisionToInbox(inbox, older)).toBe(inbox);
  });

  it("updates or drops a kontask it holds, and asks for a re-read for one it does not", () => {
    const inbox = applyInboxRead(emptyInbox, read([{ kind: "kontask", at: waitingKontask.createdAt, kontask: waitingKontask }]));
    const renamed = applyKontaskToInbox(inbox, "updated", { ...waitingKontask, title: "renamed" });
    expect(renamed.reread).toBe(false);
    expect(renamed.state.items?.[0]).toMatchObject({ kontask: { title: "renamed" } });
    expect(inboxCount(applyKontaskToInbox(inbox, "updated", { ...waitingKontask, status: "completed" }).state)).toBe(0);
    expect(inboxCount(applyKontaskToInbox(inbox, "deleted", waitingKontask).state)).toBe(0);
    const fresh = kontask({ id: "k2", createdAt: "2026-03-01T10:09:00Z", status: "awaiting_input" });
    expect(applyKontaskToInbox(inbox, "created", fresh)).toEqual({ state: inbox, reread: true });
    expect(applyKontaskToInbox(inbox, "created", { ...fresh, status: "pending" })).toEqual({ state: inbox, reread: false });
  });

  it("keeps a decision someone else answered in place among the waiting ones", () => {
    const items = [{ kind: "decision" as const, at: newer.createdAt, decision: newer }];
    const shown = inboxWithAnsweredElsewhere(items, { d1: settled(older) });
    expect(shown.map((i) => (i.kind === "decision" ? `${i.decision.id}:${i.decision.status}` : ""))).toEqual(["d2:pending", "d1:allowed"]);
    expect(inboxWithAnsweredElsewhere(items, { d2: settled(newer) })).toHaveLength(1);
  });
});
