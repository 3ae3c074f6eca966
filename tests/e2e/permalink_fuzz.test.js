// Property/fuzz test of the permalink codec, web/loader/40-permalink.js, in node (no
// browser, no DOM): the codec is pure functions, so the file runs alone in an empty vm
// context and the test calls its parsePermalink / encodePermalink directly. (A C++
// libFuzzer target cannot reach JavaScript; this is its counterpart.)
// Properties, over many deterministic pseudo-random inputs:
//   1. parsePermalink never throws, whatever the fragment;
//   2. it returns null for fragments that are not permalinks, {error: non-empty string}
//      for broken ones, or a well-formed record (index a whole number 0..9999, params
//      a plain record of strings, paramOrder listing exactly its keys);
//   3. encode → parse is the identity for any widget name, parameter names and
//      values (any characters, including ; , : = % # and non-ASCII), seed and time.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const SOURCE = path.join(__dirname, '..', '..', 'web', 'loader', '40-permalink.js');
const ITERATIONS = 20000;

// The codec file alone, strict as in the assembled loader, in a context holding only the
// language's own globals: any reach for the DOM (document, window, location) throws.
function loadCodec() {
  const context = vm.createContext({});
  vm.runInContext(`'use strict';\n${fs.readFileSync(SOURCE, 'utf8')}`, context, { filename: SOURCE });
  return vm.runInContext('({ parsePermalink, encodePermalink, encodeActions, validSeed, validTime })', context);
}

// Deterministic PRNG (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ALPHABET = ['a', 'z', '0', '9', '-', '_', '.', ';', ',', ':', '=', '%', '#', '&', '?', '/', ' ', '+', '"', '<', '>',
  '\\', "'", 'é', '→', '😀', '\u0000', '\n', '%2', '%zz', '%E0%A4%A', 'sb=', 'v1', 'w=', 'p=', 's=', 't=', 'i=',
  '__proto__', 'constructor', 'toString', 'hasOwnProperty'];

function randomString(r, max) {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function checkShape(res, input) {
  if (res === null) return;
  assert.equal(typeof res, 'object', `non-object result for ${JSON.stringify(input)}`);
  if ('error' in res) {
    assert.ok(typeof res.error === 'string' && res.error.length > 0, `empty error for ${JSON.stringify(input)}`);
    return;
  }
  assert.equal(typeof res.widget, 'string');
  assert.ok(Number.isInteger(res.index) && res.index >= 0 && res.index <= 9999, `index ${res.index} for ${JSON.stringify(input)}`);
  assert.deepEqual(Object.keys(res.params).sort(), [...new Set(res.paramOrder)].sort(),
    `params and paramOrder disagree for ${JSON.stringify(input)}`);
  for (const k of Object.keys(res.params)) assert.equal(typeof res.params[k], 'string');
  assert.equal(typeof res.actions, 'string', `actions for ${JSON.stringify(input)}`);
}

const runtime = (() => { try { return loadCodec(); } catch (e) { return { loadError: e }; } })();

test('the permalink codec (web/loader/40-permalink.js) runs alone, with no DOM', () => {
  assert.ok(!runtime.loadError, `40-permalink.js did not load without a DOM: ${runtime.loadError && runtime.loadError.stack}`);
  assert.equal(typeof runtime.parsePermalink, 'function');
  assert.equal(typeof runtime.encodePermalink, 'function');
});

test(`parsePermalink never throws and returns null, {error} or a well-formed record (${ITERATIONS} random fragments)`, () => {
  const { parsePermalink, encodePermalink } = runtime;
  const r = rng(9);
  const valid = '#' + encodePermalink({ widget: 'rate-limiter', index: 2, params: { rate: '10r/s', burst: '5' }, seed: 42, time: 1500000 });
  for (let i = 0; i < ITERATIONS; i++) {
    let input;
    const kind = i % 3;
    if (kind === 0) input = randomString(r, 40);
    else if (kind === 1) input = '#sb=v1;' + randomString(r, 30);
    else { // mutate a valid permalink: insert, delete or replace a few pieces
      input = valid;
      for (let m = 1 + Math.floor(r() * 3); m > 0; m--) {
        const at = Math.floor(r() * input.length);
        const op = Math.floor(r() * 3);
        const piece = ALPHABET[Math.floor(r() * ALPHABET.length)];
        input = op === 0 ? input.slice(0, at) + piece + input.slice(at)
          : op === 1 ? input.slice(0, at) + input.slice(at + 1 + Math.floor(r() * 4))
            : input.slice(0, at) + piece + input.slice(at + 1);
      }
    }
    let res;
    assert.doesNotThrow(() => { res = parsePermalink(input); }, `threw on ${JSON.stringify(input)}`);
    checkShape(res, input);
    if (!input.replace(/^#/, '').startsWith('sb=')) assert.equal(res, null, `non-permalink ${JSON.stringify(input)} not null`);
  }
});

test(`encodePermalink → parsePermalink is the identity (${ITERATIONS / 4} random runs)`, () => {
  const { parsePermalink, encodePermalink } = runtime;
  const r = rng(17);
  for (let i = 0; i < ITERATIONS / 4; i++) {
    const params = Object.create(null); // so that "__proto__" is an ordinary key, as in a URL
    const n = Math.floor(r() * 5);
    for (let k = 0; k < n; k++) params[randomString(r, 6) || 'k'] = randomString(r, 10);
    const o = { widget: randomString(r, 12) || 'hello', index: Math.floor(r() * 10000), params,
      seed: Math.floor(r() * 2 ** 53), time: Math.floor(r() * 86400e6) };
    // Half the runs carry actions (a v2 link), with any characters in them.
    if (i % 2) o.actions = `${Math.floor(r() * 1e7)}:${randomString(r, 8) || 'a'}:${randomString(r, 6)}+${Math.floor(r() * 1e7)}:x`;
    const frag = '#' + encodePermalink(o);
    const back = parsePermalink(frag);
    assert.ok(back && !back.error, `encoded permalink failed to parse: ${frag} → ${JSON.stringify(back)}`);
    assert.equal(back.widget, o.widget, frag);
    assert.equal(back.index, o.index, frag);
    assert.deepEqual(back.paramOrder, Object.keys(params), `parameter names changed: ${frag}`);
    for (const k of Object.keys(params))
      assert.ok(Object.prototype.hasOwnProperty.call(back.params, k) && back.params[k] === params[k], `parameter ${JSON.stringify(k)} changed: ${frag}`);
    assert.equal(String(back.seed), String(o.seed), frag);
    assert.equal(String(back.time), String(o.time), frag);
    assert.equal(back.actions, o.actions || '', `actions changed: ${frag}`);
    assert.ok(frag.startsWith(o.actions ? '#sb=v2;' : '#sb=v1;'), `a link without actions stays v1: ${frag}`);
  }
});
