import fs from "node:fs";
import path from "node:path";
import { ApiError, type Message } from "@kon/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, json, type Harness } from "./support/harness.ts";

let h: Harness;
let alice: string;
let sessionId: string;
beforeEach(async () => {
  h = await createHarness();
  alice = await h.userToken("alice");
  sessionId = await h.newSession(alice);
});
afterEach(() => h.close());

const MB = 1024 * 1024;
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const GIF = new TextEncoder().encode("GIF89a....");
const WEBP = Uint8Array.from([...new TextEncoder().encode("RIFF"), 0, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 ")]);
const PDF = new TextEncoder().encode("%PDF-1.7\nhello");
const ZIP = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);

function padded(head: Uint8Array, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(head);
  return bytes;
}

function form(files: { bytes: Uint8Array | string; name: string; type?: string }[], text = "look at these"): FormData {
  const data = new FormData();
  data.set("text", text);
  for (const f of files) data.append("files", new File([f.bytes], f.name, { type: f.type ?? "" }));
  return data;
}

const send = (body: FormData) => h.call("POST", `/api/agents/claude/sessions/${sessionId}/message`, { token: alice, body });
const uploadsDir = () => path.join(h.dir, "uploads", sessionId);
const writtenFiles = () => (fs.existsSync(uploadsDir()) ? fs.readdirSync(uploadsDir()) : []);

async function expectRefused(res: Response, status: number) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(h.konsole.requests).toHaveLength(0);
  expect(writtenFiles()).toEqual([]);
}

describe("attachments", () => {
  it("sends JPEG, PNG, GIF and WebP (checked by content) to Claude as images", async () => {
    const res = await send(
      form([
        { bytes: PNG, name: "shot.png", type: "image/png" },
        { bytes: JPEG, name: "photo.bin", type: "application/octet-stream" },
        { bytes: GIF, name: "anim.gif" },
      ]),
    );
    expect(res.status).toBe(200);
    const images = h.konsole.requests[0]?.request.images ?? [];
    expect(images.map((i) => i.mediaType)).toEqual(["image/png", "image/jpeg", "image/gif"]);
    expect(Buffer.from(images[0]?.data ?? "", "base64")).toEqual(Buffer.from(PNG));
    const { userMessage } = await json<{ userMessage: Message }>(res);
    expect(userMessage.attachments.map((a) => [a.kind, a.name, a.mediaType, a.path])).toEqual([
      ["image", "shot.png", "image/png", null],
      ["image", "photo.bin", "image/jpeg", null],
      ["image", "anim.gif", "image/gif", null],
    ]);
    await send(form([{ bytes: WEBP, name: "pic.webp", type: "image/webp" }]));
    expect(h.konsole.requests[1]?.request.images[0]?.mediaType).toBe("image/webp");
  });

  it("stores text, CSV and JSON under generated names and sends them to konsole under the same names", async () => {
    const res = await send(
      form([
        { bytes: "hello notes", name: "notes.txt", type: "text/plain" },
        { bytes: "a,b\n1,2\n", name: "data.csv", type: "text/csv" },
        { bytes: '{"k":1}', name: "conf.json", type: "application/json" },
      ]),
    );
    expect(res.status).toBe(200);
    const stored = writtenFiles().sort();
    expect(stored).toHaveLength(3);
    for (const f of stored) expect(f).toMatch(/^[0-9a-f-]{36}\.(txt|csv|json)$/);

    const { userMessage } = await json<{ userMessage: Message }>(res);
    const csv = userMessage.attachments.find((a) => a.name === "data.csv");
    const csvName = path.basename(csv?.path ?? "");
    expect(csv?.path).toBe(`uploads/${csvName}`);
    expect(fs.readFileSync(path.join(uploadsDir(), csvName), "utf8")).toBe("a,b\n1,2\n");

    const request = h.konsole.requests[0]?.request;
    expect(request?.files.map((f) => f.name).sort()).toEqual(stored);
    const sentCsv = request?.files.find((f) => f.name === csvName);
    expect(Buffer.from(sentCsv?.data ?? "", "base64").toString("utf8")).toBe("a,b\n1,2\n");
    expect(request?.images).toEqual([]);

    const text = request?.text ?? "";
    expect(text).toContain("look at these");
    expect(text).toContain(`saved at uploads/${csvName}]`);
    expect(text).not.toContain(h.dir);
    expect(userMessage.text).toBe(text);
  });

  it("removes its stored copies when konsole does not take the turn", async () => {
    h.konsole.failWith = new ApiError("unavailable", "konsole is unreachable");
    const res = await send(form([{ bytes: "a,b\n", name: "data.csv", type: "text/csv" }]));
    expect(res.status).toBe(503);
    expect(writtenFiles()).toEqual([]);
    const session = await json<{ messages: Message[] }>(
      await h.call("GET", `/api/agents/claude/sessions/${sessionId}`, { token: alice }),
    );
    expect(session.messages).toEqual([]);
  });

  it.each(["../../../../tmp/evil.txt", "..\\..\\evil.txt", "/etc/passwd.txt", "a/../../b.txt", "....//....//x.txt", "\u0000.txt"])(
    "never writes outside the uploads dir for the name %j",
    async (name) => {
      const res = await send(form([{ bytes: "pwned", name, type: "text/plain" }]));
      expect(res.status).toBe(200);
      const { userMessage } = await json<{ userMessage: Message }>(res);
      const written = userMessage.attachments[0]?.path ?? "";
      expect(written).toMatch(/^uploads\/[0-9a-f-]{36}\.txt$/);
      expect(writtenFiles()).toEqual([path.basename(written)]);
      expect(h.konsole.requests[0]?.request.files.map((f) => f.name)).toEqual([path.basename(written)]);
      expect(userMessage.attachments[0]?.name).not.toMatch(/[\\/]/);
      expect(fs.existsSync("/tmp/evil.txt")).toBe(false);
    },
  );

  it("refuses more than 3 files with a 400 that names the rule", async () => {
    const four = [1, 2, 3, 4].map((i) => ({ bytes: `f${i}`, name: `f${i}.txt`, type: "text/plain" }));
    const res = await send(form(four));
    await expectRefused(res, 400);
    expect(await json(res)).toEqual({ error: { code: "bad_request", message: "At most 3 files per message (this one has 4)" } });
  });

  it("refuses a file over 5 MB with 413", async () => {
    await expectRefused(await send(form([{ bytes: padded(PNG, 5 * MB + 1), name: "big.png", type: "image/png" }])), 413);
    await expectRefused(await send(form([{ bytes: "x".repeat(5 * MB + 1), name: "big.txt", type: "text/plain" }])), 413);
  });

  it("refuses more than 10 MB of images in total with 413", async () => {
    const images = [1, 2, 3].map((i) => ({ bytes: padded(PNG, 4 * MB), name: `i${i}.png`, type: "image/png" }));
    await expectRefused(await send(form(images)), 413);
  });

  it("refuses a body over the upload limit before reading it", async () => {
    const res = await h.call("POST", `/api/agents/claude/sessions/${sessionId}/message`, {
      token: alice,
      body: "x".repeat(17 * MB),
      headers: { "content-type": "multipart/form-data; boundary=x" },
    });
    await expectRefused(res, 413);
  });

  it.each([
    ["a PDF", PDF, "doc.pdf", "application/pdf"],
    ["a ZIP", ZIP, "archive.zip", "application/zip"],
    ["a ZIP named .txt", ZIP, "notes.txt", "text/plain"],
    ["a PDF claiming to be PNG", PDF, "fake.png", "image/png"],
    ["binary claiming to be text", Uint8Array.from([0x00, 0x01, 0xfe, 0xff]), "x.txt", "text/plain"],
    ["an MP4", Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode("ftypmp42")]), "v.mp4", "video/mp4"],
    ["audio", new TextEncoder().encode("ID3\u0003"), "a.mp3", "audio/mpeg"],
    ["text with an unaccepted type", new TextEncoder().encode("<html>"), "page.html", "text/html"],
    ["invalid JSON", new TextEncoder().encode("{nope"), "x.json", "application/json"],
  ])("refuses %s with 415", async (_what, bytes, name, type) => {
    await expectRefused(await send(form([{ bytes, name, type }])), 415);
  });

  it("removes the session's uploads with the session", async () => {
    await send(form([{ bytes: "keep me", name: "a.txt", type: "text/plain" }]));
    expect(writtenFiles()).toHaveLength(1);
    expect((await h.call("DELETE", `/api/agents/claude/sessions/${sessionId}`, { token: alice })).status).toBe(204);
    expect(fs.existsSync(uploadsDir())).toBe(false);
  });

  it("writes nothing when one file of several is refused", async () => {
    await expectRefused(
      await send(
        form([
          { bytes: "ok", name: "ok.txt", type: "text/plain" },
          { bytes: PDF, name: "doc.pdf", type: "application/pdf" },
        ]),
      ),
      415,
    );
  });
});
