#!/usr/bin/env node
// Draws the Teams app icons and writes them as PNGs, with nothing but node:zlib:
//   manifest/teams/color.png    192×192, full colour: a white speech bubble with a tick on calm blue
//   manifest/teams/outline.png   32×32, the same bubble as a white outline on transparent
// Teams requires the outline icon to be white and transparent only. Run again after changing a
// shape: `node scripts/make-teams-icons.mjs` (or pass an output directory).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const BLUE = [0x1f, 0x5f, 0x99];
const WHITE = [0xff, 0xff, 0xff];

// ---- PNG encoding: RGBA, 8 bits per channel, filter type 0 on every row ----------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** `pixels` is width*height*4 bytes of RGBA, row by row. */
export function encodePng(width, height, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // deflate
  header[11] = 0; // standard filtering
  header[12] = 0; // no interlace
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    pixels.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes as signed distances (negative inside), sampled 4×4 per pixel for smooth edges -----

function sdRoundRect(x, y, { cx, cy, hw, hh, r }) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function distSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy);
}

function sdTriangle(x, y, points) {
  const d = Math.min(...points.map((p, i) => distSegment(x, y, p, points[(i + 1) % points.length])));
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? -d : d;
}

function distPolyline(x, y, points) {
  let d = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < points.length; i++) d = Math.min(d, distSegment(x, y, points[i], points[i + 1]));
  return d;
}

/** Renders `shade(x, y)` → [r, g, b, a] (0–1 alpha) with 4×4 supersampling. */
function render(size, shade) {
  const pixels = Buffer.alloc(size * size * 4);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [cr, cg, cb, ca] = shade(px + (sx + 0.5) / n, py + (sy + 0.5) / n);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (py * size + px) * 4;
      // Colour is alpha-weighted, so edge pixels of a white shape stay pure white.
      pixels[i] = a ? Math.round(r / a) : 255;
      pixels[i + 1] = a ? Math.round(g / a) : 255;
      pixels[i + 2] = a ? Math.round(b / a) : 255;
      pixels[i + 3] = Math.round((a / (n * n)) * 255);
    }
  }
  return pixels;
}

export function drawColorIcon() {
  const size = 192;
  const bubble = { cx: 96, cy: 88, hw: 50, hh: 36, r: 18 };
  const tail = [
    [66, 112],
    [94, 112],
    [60, 146],
  ];
  const tick = [
    [73, 89],
    [89, 104],
    [120, 72],
  ];
  return encodePng(
    size,
    size,
    render(size, (x, y) => {
      const inBubble = Math.min(sdRoundRect(x, y, bubble), sdTriangle(x, y, tail)) < 0;
      if (inBubble && distPolyline(x, y, tick) < 6) return [...BLUE, 1];
      return inBubble ? [...WHITE, 1] : [...BLUE, 1];
    }),
  );
}

export function drawOutlineIcon() {
  const size = 32;
  const bubble = { cx: 16, cy: 14, hw: 12.5, hh: 9.5, r: 4 };
  const tail = [
    [8.5, 20],
    [14.5, 20],
    [7, 29],
  ];
  const tick = [
    [11, 14],
    [14.5, 17.5],
    [21, 10.5],
  ];
  return encodePng(
    size,
    size,
    render(size, (x, y) => {
      const edge = Math.abs(Math.min(sdRoundRect(x, y, bubble), sdTriangle(x, y, tail))) < 1;
      return edge || distPolyline(x, y, tick) < 1.1 ? [...WHITE, 1] : [...WHITE, 0];
    }),
  );
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const outDir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'manifest', 'teams'));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'color.png'), drawColorIcon());
  writeFileSync(join(outDir, 'outline.png'), drawOutlineIcon());
  console.log(`Wrote color.png (192×192) and outline.png (32×32) to ${outDir}`);
}
