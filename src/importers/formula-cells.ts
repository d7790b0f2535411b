// Cells a spreadsheet would run as a formula. A plan is a record of what was written: a formula's
// value depends on when and where it was worked out (TODAY(), another sheet), and a formula typed
// into a CSV runs on the next person's computer when the file is opened in Excel (CSV injection:
// =HYPERLINK(…), -2+3+cmd|' /C calc'!A0). So such cells are refused, with the cell and a fix.
//
// What counts (OWASP's CSV-injection guidance, made precise so ordinary plan text still imports):
// after any leading spaces, tabs or line breaks (some programs drop them before evaluating), a cell
// that starts with
//   =  or  @                       always a formula;
//   +  or  -  followed directly    a formula ("-cmd|…", "+SUM(A1)", "-2+3", "--x"),
//      by anything but a number
// and these stay text:
//   a signed number                 "-5", "+2.5%", "-1,200"
//   a sign and a space              a list item: "- Relaunch the plan", "+ new pilot"
//   a sign alone                    "-" (often written for "none")
//   an apostrophe first             "'=not a formula", "'-2 weeks": the spreadsheet convention for
//                                   "this is text"; the apostrophe is dropped, the rest kept. (Excel
//                                   does not save that apostrophe in an .xlsx file, and exceljs does
//                                   not report it, so in a workbook the fix is a word before the sign.)
// Signs later in a cell ("Reduce waits -5%", a "- bullet" on a later line) are text: only a cell's
// first character makes a spreadsheet run it.

const SIGNED_NUMBER = /^[+-]\d[\d,]*(?:\.\d+)?%?$/;

/** What a cell's text is read as: its text, or why it was refused. */
export type FormulaCheck = { ok: true; text: string } | { ok: false; message: string };

function preview(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}

/** Checks one cell's text (already trimmed of surrounding whitespace) for a formula. */
export function checkFormulaText(text: string): FormulaCheck {
  const first = text[0];
  if (first === "'" && /^'[=+\-@]/.test(text)) return { ok: true, text: text.slice(1) };
  if (first === '=' || first === '@') {
    return {
      ok: false,
      message:
        `the cell starts with "${first}", so a spreadsheet would run it as a formula (${preview(text)}); sendbot takes typed text only. ` +
        `Type the value itself; if the text really begins with "${first}", put a word before it, or in a CSV file start the cell with an apostrophe ('${preview(text)})`,
    };
  }
  if (first === '+' || first === '-') {
    const second = text[1];
    if (second === undefined || second === ' ' || second === '\t' || second === '\n' || SIGNED_NUMBER.test(text)) return { ok: true, text };
    return {
      ok: false,
      message:
        `the cell starts with "${first}${second}", which a spreadsheet would run as a formula (${preview(text)}). ` +
        `For a list item put a space after the "${first}" ("${first} ${preview(text.slice(1))}"); for a number write the number alone ("-5"); ` +
        `otherwise remove the "${first}", put a word before it, or in a CSV file start the cell with an apostrophe ('${preview(text)})`,
    };
  }
  return { ok: true, text };
}

/** The refusal for a real formula cell in a workbook (exceljs gives `{ formula }` or `{ sharedFormula }`). */
export function formulaCellMessage(formula: string | undefined, sharedWith: string | undefined): string {
  const what = formula !== undefined ? `=${formula.replace(/^=/, '')}` : `a formula shared with cell ${sharedWith ?? '?'}`;
  return (
    `the cell holds a formula (${what}); sendbot imports typed values only, so the plan records what was written, not what a formula worked out on the day. ` +
    'In Excel select the cells, Copy, then Paste Special → Values, save and import again'
  );
}
