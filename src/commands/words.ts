// Splitting what people type into words, keeping quoted phrases together ("due:\"31 March 25\"").

export function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /(\S*?)"([^"]*)"(\S*)|(\S*?)“([^”]*)”(\S*)|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[7] !== undefined) words.push(m[7]);
    else if (m[2] !== undefined) words.push(`${m[1]}${m[2]}${m[3]}`);
    else words.push(`${m[4]}${m[5]}${m[6]}`);
  }
  return words;
}

/** Removes a leading "/send" (or "send") so the same text works from any platform or the console. */
export function stripSendPrefix(text: string): string {
  return text.replace(/^\s*\/?send\b\s*/i, '').trim();
}
