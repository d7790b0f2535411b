// Splitting what people type into words, keeping quoted phrases together ("due:\"31 March 25\"").

export function splitWords(text: string): string[] {
  return splitWordSpans(text).map((w) => w.word);
}

/** A word and where it stands in the text it came from (quotes included), so a note can be kept verbatim. */
export interface WordSpan {
  word: string;
  start: number;
  end: number;
}

export function splitWordSpans(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  const re = /(\S*?)"([^"]*)"(\S*)|(\S*?)“([^”]*)”(\S*)|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const word = m[7] !== undefined ? m[7] : m[2] !== undefined ? `${m[1]}${m[2]}${m[3]}` : `${m[4]}${m[5]}${m[6]}`;
    words.push({ word, start: m.index, end: m.index + m[0].length });
  }
  return words;
}

/** Removes a leading "/send" (or "send") so the same text works from any platform or the console. */
export function stripSendPrefix(text: string): string {
  return text.replace(/^\s*\/?send\b\s*/i, '').trim();
}
