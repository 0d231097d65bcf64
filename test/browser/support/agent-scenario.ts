// What the stand-in answers in the browser tests: each prompt picks a behaviour by a keyword.

import {
  loopForever,
  memory,
  slow,
  textReply,
  toolCall,
  userPrompts,
  type Scenario,
} from "../../support/messages-api.ts";

export const PICK_KONTASK = {
  title: "Pick a number",
  status: "awaiting_input",
  context: {
    output: "<p>Which number should I remember?</p>",
    choices: [
      { label: "Remember 7", value: "Remember 7", primary: true },
      { label: "Never mind", value: "Never mind" },
    ],
  },
} as const;

/** A Bash call that creates `PICK_KONTASK` through konui with the process's own KONUI_TOKEN. */
function createPickKontask(): Scenario {
  return toolCall("Bash", {
    command:
      `curl -s -o /dev/null -w 'HTTP %{http_code}' -X POST "$KONUI_URL/api/kontasks" ` +
      `-H "Authorization: Bearer $KONUI_TOKEN" -H 'content-type: application/json' ` +
      `-d '${JSON.stringify(PICK_KONTASK)}'`,
    description: "ask which number to remember",
  });
}

/** A Bash call that runs until the test creates `gateFile`, so the test sees it running. */
function gatedTool(gateFile: string): Scenario {
  return toolCall("Bash", {
    command: `while [ ! -e ${JSON.stringify(gateFile)} ]; do sleep 0.2; done; echo released`,
    description: "wait for the gate",
  });
}

/** A message naming an attached CSV gets a Bash `cat` of it, then the file's content quoted back. */
function readAttachment(): Scenario {
  return (request) => {
    const attached = /saved at (uploads\/[\w.-]+\.csv)\]/.exec(userPrompts(request).at(-1) ?? "")?.[1];
    return toolCall("Bash", { command: `cat ${attached ?? "nothing-attached"}`, description: "read the attachment" })(request);
  };
}

/** "Remember N" is answered slowly, word by word, so the page shows the reply arriving. */
export function rememberReply(n: string): string {
  return `Noted: I will keep the number ${n} in mind for the rest of this session.`;
}

export function dashboardScenario(gateFile: string): Scenario {
  const recall = memory();
  const loop = loopForever();
  const kontask = createPickKontask();
  const gated = gatedTool(gateFile);
  const attachment = readAttachment();
  return (request) => {
    const last = userPrompts(request).at(-1) ?? "";
    if (/loop/i.test(last)) return loop(request);
    if (/which number/i.test(last)) return kontask(request);
    if (/slow tool/i.test(last)) return gated(request);
    if (/saved at uploads\//.test(last)) return attachment(request);
    const remember = /remember\s+(\d+)/i.exec(last)?.[1];
    if (remember) return slow(() => textReply(rememberReply(remember)), { firstByteDelayMs: 200, deltaDelayMs: 250 })(request);
    return recall(request);
  };
}
