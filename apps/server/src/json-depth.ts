// Measures the nesting of JSON text without parsing it: one pass, no recursion, so a body nested 100,000 deep is
// refused before JSON.parse, zod or tRPC's re-serialisation (recursive, so a stack overflow) ever touch it.

/** True when the text holds arrays/objects nested deeper than `max`. Brackets inside strings are not counted. */
export function isNestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character (\" does not end the string)
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
