// Slack sends what a person typed in a slash command with three characters HTML-escaped: & as
// &amp;, < as &lt; and > as &gt; (Slack's "Formatting text: escaping"; no other entity is used).
// Decoded on the way in, so a note holds "A&E < 18 weeks", not "A&amp;E &lt; 18 weeks" — and is
// escaped again, as all output is, when it goes back to Slack (src/render/slack-escape.ts).
// &amp; is decoded last, so "&amp;lt;" (someone typing "&lt;") stays "&lt;".

export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
