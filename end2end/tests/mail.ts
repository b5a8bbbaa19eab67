import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The folder Postfix's `smtp-sink -d` writes every message it accepts to, one file each;
 *  `.ci/test.sh` starts the sink and passes the folder in SMTP_SINK_DIR. */
export const sinkDir = process.env.SMTP_SINK_DIR ?? '';

export type SinkMessage = {
  file: string;
  /** The recipients from smtp-sink's `X-Rcpt-Args: <address>` lines, lower-cased. */
  recipients: string[];
  /** The message's own headers (names lower-cased, folded lines joined; first occurrence wins). */
  headers: Record<string, string>;
  /** The text/plain part, transfer encoding undone ('' when there is none). */
  text: string;
  /** The text/html part, transfer encoding undone ('' when there is none). */
  html: string;
  raw: string;
};

type Part = { headers: Record<string, string>; body: string };

function splitHeaders(raw: string): Part {
  const lines = raw.replace(/\r\n/g, '\n').split('\n');
  const headers: Record<string, string> = {};
  let current: string | null = null;
  let i = 0;
  for (; i < lines.length && lines[i] !== ''; i++) {
    const line = lines[i];
    if (/^[ \t]/.test(line)) {
      if (current) headers[current] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    current = name && !(name in headers) ? name : null;
    if (current) headers[current] = line.slice(colon + 1).trim();
  }
  return { headers, body: lines.slice(i + 1).join('\n') };
}

/** Undoes quoted-printable: soft line breaks (`=` at a line end) go, `=3D`-style escapes become
 *  bytes, and the bytes are read as UTF-8. */
export function decodeQuotedPrintable(input: string): string {
  const joined = input.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i];
    const hex = joined.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(part.body);
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return part.body;
}

function boundaryOf(headers: Record<string, string>): string | undefined {
  return /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
}

/** Every leaf part of a (possibly nested) multipart message. */
function leaves(part: Part): Part[] {
  const boundary = boundaryOf(part.headers);
  if (!boundary || !/^multipart\//i.test(part.headers['content-type'] ?? '')) return [part];
  const sections = part.body.split(new RegExp(`^--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*$`, 'm'));
  // sections[0] is the preamble, the last one the epilogue.
  return sections.slice(1, -1).flatMap((s) => leaves(splitHeaders(s.replace(/^\n/, ''))));
}

/** Parses one file written by `smtp-sink -d`: its X-* headers and Received: header, then the message. */
export function parseSinkFile(file: string, raw: string): SinkMessage {
  const recipients = [...raw.matchAll(/^X-Rcpt-Args:\s*<([^>]*)>/gim)].map((m) => m[1].toLowerCase());
  // smtp-sink's own headers end with its three-line Received: header; the message follows.
  const received = /^Received: from [^\n]*\n\s+by [^\n]*\(smtp-sink\)[^\n]*\n\s+[^\n]*\n/m.exec(raw);
  const message = received ? raw.slice(received.index + received[0].length) : raw;
  const top = splitHeaders(message);
  const parts = leaves(top);
  const find = (type: string) => {
    const p = parts.find((x) => (x.headers['content-type'] ?? 'text/plain').toLowerCase().startsWith(type));
    return p ? decodeBody(p) : '';
  };
  return { file, recipients, headers: top.headers, text: find('text/plain'), html: find('text/html'), raw };
}

/** smtp-sink creates the file at MAIL FROM and fills it as DATA arrives: a multipart message is
 *  complete once its closing boundary is there; anything else once the file has been still a while. */
async function isComplete(path: string, raw: string): Promise<boolean> {
  const boundary = /boundary="?([^";\s]+)"?/i.exec(raw)?.[1];
  if (boundary) return raw.includes(`--${boundary}--`);
  const { mtimeMs } = await stat(path);
  return Date.now() - mtimeMs > 500;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(dir, e.name));
}

/** Every complete message in the sink addressed to `address` (oldest file name first). */
export async function messagesTo(address: string): Promise<SinkMessage[]> {
  if (!sinkDir) throw new Error('SMTP_SINK_DIR is not set: start the server with SHOAL_SMTP_URL pointing to smtp-sink -d');
  const wanted = address.toLowerCase();
  const found: SinkMessage[] = [];
  for (const path of (await listFiles(sinkDir)).sort()) {
    const raw = await readFile(path, 'utf8');
    if (!raw.toLowerCase().includes(`<${wanted}>`)) continue;
    if (!(await isComplete(path, raw))) continue;
    const message = parseSinkFile(path, raw);
    if (message.recipients.includes(wanted)) found.push(message);
  }
  return found;
}

/** Waits until a complete message to `address` is in the sink; returns the first. */
export async function waitForMessageTo(address: string, timeoutMs = 20_000): Promise<SinkMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [first] = await messagesTo(address);
    if (first) return first;
    if (Date.now() > deadline) {
      throw new Error(`no message to ${address} reached the SMTP sink (${sinkDir}) within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The invitation link `{base}/a/{slug}/join/{token}` from the message's text part (else HTML). */
export function joinLink(message: SinkMessage, slug: string): string {
  return tokenLink(message, slug, 'join');
}

/** The password reset link `{base}/a/{slug}/reset/{token}`. */
export function resetLink(message: SinkMessage, slug: string): string {
  return tokenLink(message, slug, 'reset');
}

function tokenLink(message: SinkMessage, slug: string, kind: string): string {
  const pattern = new RegExp(`https?://[^\\s"'<>]+/a/${slug}/${kind}/[A-Za-z0-9_\\-]+`);
  const link = pattern.exec(message.text)?.[0] ?? pattern.exec(message.html.replace(/&amp;/g, '&'))?.[0];
  if (!link) throw new Error(`no /a/${slug}/${kind}/… link in the message ${message.file}:\n${message.text || message.raw}`);
  return link;
}
