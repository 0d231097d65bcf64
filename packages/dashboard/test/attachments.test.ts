import { describe, expect, it } from "vitest";
import { checkAttachments, type AttachmentCandidate } from "../src/logic/attachments.ts";

const MB = 1024 * 1024;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const WEBP = new Uint8Array([...Array.from("RIFF", (c) => c.charCodeAt(0)), 0, 0, 0, 0, ...Array.from("WEBP", (c) => c.charCodeAt(0))]);
const TEXT = new TextEncoder().encode("a,b\n1,2\n");

const file = (name: string, type: string, size: number, head: Uint8Array): AttachmentCandidate => ({ name, type, size, head });

describe("checkAttachments (the server's rules and wording)", () => {
  it("accepts images by their bytes and text, CSV and JSON by type or extension", () => {
    expect(
      checkAttachments([file("shot.png", "image/png", 1000, PNG), file("data.csv", "text/csv", 10, TEXT), file("notes.md", "", 10, TEXT)]),
    ).toBeNull();
    expect(checkAttachments([file("pic", "application/octet-stream", 100, WEBP)])).toBeNull();
  });

  it("refuses a fourth file with the count", () => {
    const four = [1, 2, 3, 4].map((i) => file(`f${i}.txt`, "text/plain", 1, TEXT));
    expect(checkAttachments(four)).toBe("At most 3 files per message (this one has 4)");
  });

  it("refuses a file over 5 MB by its cleaned name", () => {
    expect(checkAttachments([file("big log?.txt", "text/plain", 5 * MB + 1, TEXT)])).toBe("big log_.txt is larger than 5 MB");
  });

  it("refuses types the server does not take", () => {
    expect(checkAttachments([file("doc.pdf", "application/pdf", 100, new Uint8Array([0x25, 0x50]))])).toBe(
      "doc.pdf: only JPEG, PNG, GIF and WebP images and plain text, CSV or JSON files are accepted",
    );
    expect(checkAttachments([file("fake.png", "image/png", 100, TEXT)])).toMatch(/only JPEG, PNG/);
  });

  it("refuses images totalling more than 10 MB", () => {
    const images = [1, 2, 3].map((i) => file(`p${i}.png`, "image/png", 4 * MB, PNG));
    expect(checkAttachments(images)).toBe("Images may total at most 10 MB per message");
    expect(checkAttachments(images.slice(0, 2))).toBeNull();
  });
});
