import { DashboardCloseCode, type DashboardCloseReason } from "@kon/protocol";

const TEXT: Record<DashboardCloseReason, string> = {
  token_expired: "access token expired",
  logged_out: "logged out",
  user_disabled: "user disabled",
  token_revoked: "access token revoked",
  role_changed: "role changed; reconnect",
  too_slow: "too slow; reconnect and read back",
};

/** The close code and reason a dashboard stream ends with when its access ends. */
export function closeFrameOf(reason: DashboardCloseReason): { code: number; text: string } {
  return { code: DashboardCloseCode[reason], text: TEXT[reason] };
}
