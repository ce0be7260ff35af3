import { describe, expect, it } from 'vitest';
import { FramingError, JsonStreamSplitter } from './framing';

describe('JsonStreamSplitter', () => {
  it('emits one message split over many chunks only when it is complete', () => {
    const s = new JsonStreamSplitter();
    const text = JSON.stringify({ id: 1, result: [{ rows: [{ name: 'a' }] }], error: null });
    const out: string[] = [];
    for (const ch of text) out.push(...s.push(ch));
    expect(out).toEqual([text]);
    expect(s.pending).toBe(0);
  });

  it('emits several back-to-back messages from one chunk, with or without whitespace between', () => {
    const s = new JsonStreamSplitter();
    const out = s.push('{"id":1}{"id":2} \n[3,4]\t{"id":5}');
    expect(out.map((t) => JSON.parse(t))).toEqual([{ id: 1 }, { id: 2 }, [3, 4], { id: 5 }]);
  });

  it('ignores braces, brackets and escaped quotes inside strings', () => {
    const s = new JsonStreamSplitter();
    const tricky = { match: 'inport == "{x}" && ip4.src == {10.0.0.1]', q: 'a\\"}b"{', back: '\\' };
    const text = JSON.stringify(tricky);
    const out = [...s.push(text.slice(0, 17)), ...s.push(text.slice(17) + text)];
    expect(out.map((t) => JSON.parse(t))).toEqual([tricky, tricky]);
  });

  it('keeps a multi-byte UTF-8 character split across chunks intact', () => {
    const s = new JsonStreamSplitter();
    const bytes = Buffer.from(JSON.stringify({ name: 'réseau-éà-💡' }));
    const cut = bytes.indexOf(0xc3) + 1;
    const out = [...s.push(bytes.subarray(0, cut)), ...s.push(bytes.subarray(cut))];
    expect(JSON.parse(out[0] as string)).toEqual({ name: 'réseau-éà-💡' });
  });

  it('holds a partial message and completes it with the next chunk', () => {
    const s = new JsonStreamSplitter();
    expect(s.push('{"id":1}{"id":')).toEqual(['{"id":1}']);
    expect(s.pending).toBeGreaterThan(0);
    expect(s.push('2}')).toEqual(['{"id":2}']);
  });

  it('rejects garbage between messages', () => {
    const s = new JsonStreamSplitter();
    expect(() => s.push('{"id":1} x')).toThrow(FramingError);
  });
});
