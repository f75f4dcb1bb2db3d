/**
 * Watches the bytes of the stdio transport for framing the JSON-RPC reader cannot recover from.
 * vscode-jsonrpc's reader, on a header without a usable `Content-Length` (or with LF-only line
 * ends, which it never recognises as the end of a header), reports an error nobody handles or
 * waits forever, and every later message is lost: the server is alive and answers nothing. There
 * is no way to find the next message boundary again, so the server says why and exits, and the
 * client restarts it, as rust-analyzer does on a reader error.
 *
 * The checker only observes; the library's reader still parses the stream it is given.
 */

/** No real header is this long; a longer one is not a header. */
const MAX_HEADER_BYTES = 8 * 1024;
const CR = 0x0d;
const LF = 0x0a;

export class FramingChecker {
  /** Bytes of the message body still to come; -1 while reading a header. */
  private bodyLeft = -1;
  private header: number[] = [];
  private failed: string | undefined;

  /** Feeds the next chunk; returns why the stream cannot be read, once it cannot. */
  push(chunk: Uint8Array): string | undefined {
    let i = 0;
    while (i < chunk.length && this.failed === undefined) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= take;
        i += take;
        continue;
      }
      const byte = chunk[i++];
      this.header.push(byte);
      if (byte === LF && this.header[this.header.length - 2] !== CR) {
        this.failed = 'a header line ends with LF alone; the LSP base protocol requires CRLF';
      } else if (this.header.length > MAX_HEADER_BYTES) {
        this.failed = `no end of header after ${MAX_HEADER_BYTES} bytes`;
      } else if (endsWithBlankLine(this.header)) {
        this.endHeader();
      }
    }
    return this.failed;
  }

  private endHeader(): void {
    const lines = Buffer.from(this.header).toString('ascii').split('\r\n').slice(0, -2);
    this.header = [];
    let length: number | undefined;
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) {
        this.failed = `malformed header line ${JSON.stringify(line)}`;
        return;
      }
      if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d+$/.test(value)) {
        this.failed = `Content-Length is not a byte count: ${JSON.stringify(value)}`;
        return;
      }
      length = Number(value);
    }
    if (length === undefined) this.failed = 'a header without Content-Length';
    else this.bodyLeft = length;
  }
}

function endsWithBlankLine(bytes: number[]): boolean {
  const n = bytes.length;
  return n >= 4 && bytes[n - 1] === LF && bytes[n - 2] === CR && bytes[n - 3] === LF && bytes[n - 4] === CR;
}
