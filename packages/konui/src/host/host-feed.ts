import type { ObserverEvent } from "@kon/protocol";
import type { LiveHub } from "../live/hub.ts";
import type { HostAccess } from "./host-access.ts";

/** The observer's journal entries, out to the dashboards that may see them as `host` frames. */
export class HostFeed {
  constructor(
    private readonly hub: LiveHub,
    private readonly access: HostAccess,
  ) {}

  observe(event: ObserverEvent): void {
    // "Many sessions changed" names none, so it goes to the host-wide view (admins) only.
    const userIds = event.kind === "session" ? this.access.audienceOf(event.session) : [];
    this.hub.publish({ type: "host", event }, { userIds });
  }
}
