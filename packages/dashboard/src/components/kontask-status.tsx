import type { KontaskStatus } from "@kon/protocol";

export function KontaskStatusPill({ status }: { status: KontaskStatus }) {
  return <span class={`pill kontask-${status}`}>{status.replace("_", " ")}</span>;
}
