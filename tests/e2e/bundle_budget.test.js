// The size budget of issue 9: everything a page loads for its widgets (the loader, the
// Emscripten glue and the Wasm, which holds every widget, the shaders and the font)
// stays within 300 KB gzip (gzip -9), on both delivery paths: the binary .wasm over http,
// and the gzipped base64 script used from file:// and on foreign origins.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { ROOT, BUNDLE } = require('./lib');

const BUDGET = 300 * 1024;
const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

describe('bundle size budget', () => {
  const loader = path.join(ROOT, 'web', 'scalebook.js');
  const glue = path.join(BUNDLE, 'scalebook-widgets.js');
  const wasm = path.join(BUNDLE, 'scalebook-widgets.wasm');
  const script = path.join(BUNDLE, 'scalebook-widgets.wasm.js');

  it('over http: loader + glue + .wasm <= 300 KB gzip', () => {
    const total = gz(loader) + gz(glue) + gz(wasm);
    assert.ok(total <= BUDGET, `http path is ${kb(total)} gzip, budget ${kb(BUDGET)}`);
  });

  it('from file://: loader + glue + gzipped-base64 .wasm.js <= 300 KB gzip, and it holds exactly the .wasm', () => {
    const total = gz(loader) + gz(glue) + gz(script);
    assert.ok(total <= BUDGET, `file:// path is ${kb(total)} gzip, budget ${kb(BUDGET)}`);
    const m = /^window\.ScalebookWasmGzipBase64="([A-Za-z0-9+/=]+)";\n$/.exec(fs.readFileSync(script, 'utf8'));
    assert.ok(m, 'the script defines window.ScalebookWasmGzipBase64');
    assert.ok(zlib.gunzipSync(Buffer.from(m[1], 'base64')).equals(fs.readFileSync(wasm)), 'inflates to the .wasm byte for byte');
  });
});
