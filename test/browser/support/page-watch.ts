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

  constructor(readonly page: Page, readonly name: string) {
    page.on("console", (message) => {
      if (message.type() === "error") this.problems.push(`console error on ${page.url()}: ${message.text()}`);
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
