// Splits a byte stream into back-to-back JSON texts, as OVSDB sends them: no newlines or length prefixes.
import { StringDecoder } from 'node:string_decoder';

export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/**
 * Incremental splitter: counts brace/bracket depth outside strings (honouring backslash escapes) and
 * emits each complete top-level JSON text. Scanning resumes where the last chunk ended, so a large
 * message split over many chunks is scanned once.
 */
export class JsonStreamSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxMessageBytes = 256 * 1024 * 1024) {}

  /** Feeds a chunk; returns the complete JSON texts it finished (possibly none). */
  push(chunk: Buffer | string): string[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: string[] = [];
    let start = 0;
    let i = this.scanned;
    const buf = this.buffer;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c /* \ */) this.escaped = true;
        else if (c === 0x22 /* " */) this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          if (start === i) start = i + 1;
          continue;
        }
        if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) {
          throw new FramingError(`unexpected character ${JSON.stringify(buf[i])} between JSON messages`);
        }
        start = i;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          out.push(buf.slice(start, i + 1));
          start = i + 1;
        }
      }
    }
    this.buffer = buf.slice(start);
    this.scanned = this.buffer.length;
    if (this.buffer.length > this.maxMessageBytes) {
      throw new FramingError(`message larger than ${this.maxMessageBytes} bytes`);
    }
    return out;
  }

  /** Bytes held for an incomplete message (0 when the stream is between messages). */
  get pending(): number {
    return this.buffer.length;
  }

  reset(): void {
    this.buffer = '';
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}
