// What a page did that a person would not want: console errors, uncaught errors, dialogs, and
// every request it made (so the XSS tests can tell whether anything left the page).

import type { Page, Request } from "playwright-core";

export interface SeenRequest {
  url: string;
  method: string;
  resourceType: string;
  /** Whether the page's top frame asked (not the kontask output's frame). */
  mainFrame: boolean;
}

export class PageWatch {
  readonly problems: string[] = [];
  readonly requests: SeenRequest[] = [];
  readonly dialogs: string[] = [];
  /** Requests not answered yet (for the report of a test that timed out). */
  readonly pending = new Set<Request>();
  /** 4xx answers of the API, which Chrome reports on the console. */
  readonly apiRefusals: string[] = [];

  constructor(readonly page: Page, readonly name: string) {
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      // Chrome logs every 4xx answer; an API refusal the page handles (a 400 shown on a field,
      // the 401 of a refresh without a cookie) is behaviour the tests check on the page instead.
      const answered = /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text());
      if (answered && new URL(message.location().url, page.url()).pathname.startsWith("/api/")) {
        this.apiRefusals.push(`${message.location().url}: ${message.text()}`);
        return;
      }
      this.problems.push(`console error on ${page.url()}: ${message.text()} (${message.location().url})`);
    });
    page.on("pageerror", (error) => this.problems.push(`page error on ${page.url()}: ${error.message}`));
    page.on("dialog", (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      this.problems.push(`unexpected ${dialog.type()} dialog: ${dialog.message()}`);
      void dialog.dismiss().catch(() => {});
    });
    page.on("request", (request: Request) => {
      this.requests.push({ url: request.url(), method: request.method(), resourceType: request.resourceType(), mainFrame: isMainFrame(page, request) });
    });
    page.on("request", (request) => this.pending.add(request));
    page.on("requestfinished", (request) => this.pending.delete(request));
    page.on("requestfailed", (request) => this.pending.delete(request));
    page.on("websocket", (socket) => {
      this.requests.push({ url: socket.url(), method: "GET", resourceType: "websocket", mainFrame: true });
    });
  }
}

function isMainFrame(page: Page, request: Request): boolean {
  try {
    return request.frame() === page.mainFrame();
  } catch {
    // Requests of service workers have no frame.
    return false;
  }
}
