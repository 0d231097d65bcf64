import type { AgentSession } from "@kon/protocol";

export const STATE_LABEL = { idle: "Idle", queued: "Queued", running: "Running" } as const;

export function sessionTitle(session: Pick<AgentSession, "title"> | null | undefined): string {
  return session?.title?.trim() || "Untitled session";
}

export function hotLabel(hot: boolean | null): { text: string; title: string } {
  if (hot === true) return { text: "Hot", title: "A live claude process holds this conversation: the next message starts at once." };
  if (hot === false) return { text: "Cold", title: "No process holds this conversation: the next message starts one and resumes it." };
  return { text: "Unknown", title: "konsole could not be asked whether a process holds this conversation." };
}
