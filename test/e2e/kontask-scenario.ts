import { toolCall, type Scenario } from "../support/messages-api.ts";

/**
 * Asks for one Bash call that keeps the process's `KONUI_TOKEN` in `tokenFile` (so the test can
 * try it afterwards) and creates a kontask with it through konui; the reply quotes the status,
 * e.g. "HTTP 201".
 */
export function createKontaskWithOwnToken(tokenFile: string): Scenario {
  return toolCall("Bash", {
    command:
      `printf %s "$KONUI_TOKEN" > ${JSON.stringify(tokenFile)} && ` +
      `curl -s -o /dev/null -w 'HTTP %{http_code}' -X POST "$KONUI_URL/api/kontasks" ` +
      `-H "Authorization: Bearer $KONUI_TOKEN" -H 'content-type: application/json' ` +
      `-d '{"title":"Made by Claude","status":"completed","context":{"output":"<p>done</p>"}}'`,
    description: "create a kontask",
  });
}
