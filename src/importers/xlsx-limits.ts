// Limits on a workbook before exceljs reads it. An .xlsx is a zip: a 5 MB file once expanded to
// 1.8 GB in memory, and a 17 MB one ran the process out of heap. The zip's central directory says
// how big each part is once uncompressed, so that is read first (a few kilobytes at the end of the
// file) and a workbook beyond the limits is refused with a plain message. A file that is not a zip,
// or a damaged one, is left for exceljs to refuse as it always has.
import { ImportError } from './import-errors.js';

/** Uncompressed size of all parts together: a plan of tens of thousands of rows is well under it. */
export const MAX_XLSX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;
/** Parts in the zip (a workbook has a few dozen). */
export const MAX_XLSX_PARTS = 2_000;
/** Rows in the first worksheet. */
export const MAX_XLSX_ROWS = 100_000;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
const ZIP64_MARK = 0xffffffff;

interface ZipParts {
  count: number;
  uncompressedBytes: number;
  /** A size too large for a plain zip (zip64): certainly over the limit. */
  zip64: boolean;
}

/** Sizes from the central directory, or undefined when `content` is not a readable zip. */
function readCentralDirectory(content: Buffer): ZipParts | undefined {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535, at the very end.
  const earliest = Math.max(0, content.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = content.length - 22; i >= earliest; i -= 1) {
    if (content.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = content.readUInt16LE(eocd + 10);
  const offset = content.readUInt32LE(eocd + 16);
  if (entries === 0xffff || offset === ZIP64_MARK) return { count: entries, uncompressedBytes: Number.POSITIVE_INFINITY, zip64: true };
  let at = offset;
  let uncompressedBytes = 0;
  for (let n = 0; n < entries; n += 1) {
    if (at + 46 > content.length || content.readUInt32LE(at) !== CENTRAL_ENTRY_SIGNATURE) return undefined;
    const size = content.readUInt32LE(at + 24);
    if (size === ZIP64_MARK) return { count: entries, uncompressedBytes: Number.POSITIVE_INFINITY, zip64: true };
    uncompressedBytes += size;
    at += 46 + content.readUInt16LE(at + 28) + content.readUInt16LE(at + 30) + content.readUInt16LE(at + 32);
  }
  return { count: entries, uncompressedBytes, zip64: false };
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-GB')} MB`;

/** Refuses a workbook whose parts would expand beyond the limits (ImportError, so exit 1). */
export function checkXlsxSize(content: Buffer | Uint8Array, file?: string): void {
  const parts = readCentralDirectory(Buffer.isBuffer(content) ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength));
  if (!parts) return;
  const fileField = file !== undefined ? { file } : {};
  if (parts.zip64 || parts.uncompressedBytes > MAX_XLSX_UNCOMPRESSED_BYTES) {
    throw new ImportError({
      ...fileField,
      message: `the workbook would expand to ${parts.zip64 ? 'more than 4 GB' : megabytes(parts.uncompressedBytes)} when opened; sendbot reads workbooks up to ${megabytes(MAX_XLSX_UNCOMPRESSED_BYTES)}. Save just the plan's sheet in a new workbook (or as CSV UTF-8) and import that.`,
    });
  }
  if (parts.count > MAX_XLSX_PARTS) {
    throw new ImportError({ ...fileField, message: `the workbook has ${parts.count.toLocaleString('en-GB')} parts; a plan workbook has a few dozen. Save the plan's sheet in a new workbook and import that.` });
  }
}

/** Refuses a first worksheet with more rows than a plan could have. */
export function checkXlsxRowCount(rows: number, file?: string): void {
  if (rows <= MAX_XLSX_ROWS) return;
  throw new ImportError({
    ...(file !== undefined ? { file } : {}),
    message: `the first sheet has ${rows.toLocaleString('en-GB')} rows; sendbot reads up to ${MAX_XLSX_ROWS.toLocaleString('en-GB')}. Remove the rows below the plan (or split the file) and import again.`,
  });
}
