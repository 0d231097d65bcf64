import type { ProcessSlots } from "../pool/process-slots.ts";

export interface LaneJob {
  id: string;
  sessionId: string;
  /** Whether the job runs a Claude process and so needs a global slot. */
  needsSlot: boolean;
  /** Who the slot is for (slots are shared fairly between users). */
  owner: string;
  run(): Promise<void>;
  /** Called instead of `run` when the job is taken out of the queue. */
  cancel(): void;
}

interface Lane {
  waiting: LaneJob[];
  running: LaneJob | null;
}

/**
 * One FIFO lane per session (one job at a time each) in front of the global process slots.
 * A job counts as waiting until it holds its lane and, if it needs one, a slot.
 */
export class SessionLanes {
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly slots: ProcessSlots) {}

  waitingIn(sessionId: string): number {
    return this.lanes.get(sessionId)?.waiting.length ?? 0;
  }

  /** How many jobs are ahead of a new one in this session's lane. */
  depth(sessionId: string): number {
    const lane = this.lanes.get(sessionId);
    if (!lane) return 0;
    const started = lane.running !== null && lane.waiting[0] !== lane.running;
    return lane.waiting.length + (started ? 1 : 0);
  }

  enqueue(job: LaneJob): void {
    const lane = this.lanes.get(job.sessionId) ?? { waiting: [], running: null };
    this.lanes.set(job.sessionId, lane);
    lane.waiting.push(job);
    this.pump(job.sessionId);
  }

  /** Takes a job that has not started out of its lane (and cancels it); undefined when it is running or unknown. */
  remove(jobId: string): LaneJob | undefined {
    for (const lane of this.lanes.values()) {
      const index = lane.waiting.findIndex((job) => job.id === jobId);
      if (index === -1) continue;
      const [job] = lane.waiting.splice(index, 1);
      job?.cancel();
      return job;
    }
    return undefined;
  }

  /** Cancels every waiting job of one session, or of all. */
  cancelWaiting(sessionId?: string): LaneJob[] {
    const cancelled: LaneJob[] = [];
    for (const [id, lane] of this.lanes) {
      if (sessionId !== undefined && id !== sessionId) continue;
      for (const job of lane.waiting.splice(0)) {
        job.cancel();
        cancelled.push(job);
      }
    }
    return cancelled;
  }

  private pump(sessionId: string): void {
    const lane = this.lanes.get(sessionId);
    if (!lane || lane.running) return;
    const job = lane.waiting[0];
    if (!job) {
      this.lanes.delete(sessionId);
      return;
    }
    lane.running = job;
    void this.runHead(lane, job);
  }

  private async runHead(lane: Lane, job: LaneJob): Promise<void> {
    if (job.needsSlot) await this.slots.acquire(job.owner);
    // The job may have been removed while it waited for a slot.
    const index = lane.waiting.indexOf(job);
    if (index === -1) {
      if (job.needsSlot) this.slots.release();
    } else {
      lane.waiting.splice(index, 1);
      try {
        await job.run();
      } finally {
        if (job.needsSlot) this.slots.release();
      }
    }
    lane.running = null;
    this.pump(job.sessionId);
  }
}
