// Prints the client's size: source, minified (terser), and both gzipped. `npm ci && npm run size`.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const source = readFileSync(new URL('../realtime.js', import.meta.url), 'utf8');
const min = (await minify(source, { module: true, compress: { passes: 2 }, mangle: true })).code;
const gz = (s) => gzipSync(Buffer.from(s), { level: 9 }).length;
console.log(JSON.stringify({ sourceBytes: Buffer.byteLength(source), sourceGzipBytes: gz(source),
  minifiedBytes: Buffer.byteLength(min), minifiedGzipBytes: gz(min) }));
