/**
 * How deeply `text` nests arrays and objects, if it were JSON — counted in one linear pass without
 * parsing (brackets inside strings do not count). Lets a handler refuse a body like `[[[[…]]]]`
 * before JSON.parse spends seconds and hundreds of megabytes building it. Stops counting at `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i += 1;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth -= 1;
  }
  return false;
}
