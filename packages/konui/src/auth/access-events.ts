import type { DashboardCloseReason } from "@kon/protocol";

/** Someone lost access: one login (`jti`) or every login of a user but `exceptJti`. */
export interface AccessLost {
  userId: string;
  jti?: string;
  exceptJti?: string;
  reason: Exclude<DashboardCloseReason, "token_expired">;
}

type Listener = (lost: AccessLost) => void;

/** Tells whoever holds long-lived connections (the dashboard stream) that access was taken away. */
export class AccessEvents {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(lost: AccessLost): void {
    for (const listener of [...this.listeners]) listener(lost);
  }
}
