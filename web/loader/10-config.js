/* scalebook.js — the widget loader: upgrades every <scalebook-widget name="…" …params…>.
 *
 * A classic script (module scripts do not load from file://). It loads, next to itself,
 *   scalebook-widgets.index.js       the bundles and the widgets each holds
 * and for each bundle the page needs (see [SECTION] runtime)
 *   scalebook-widgets.<id>.js        Emscripten glue (registers window.ScalebookBundles[id])
 *   scalebook-widgets.<id>.wasm      over http(s), or
 *   scalebook-widgets.<id>.wasm.js   the Wasm gzipped, as base64 (a .wasm can't be fetched from file://)
 * compiles each bundle once per page and instantiates it once per widget (isolation: one
 * widget's failure never stops the others; measured in docs/architecture.md "Widget
 * instances"). <script data-instance="shared"> drives every canvas from one instance.
 *
 * Sources: web/loader/, one file per concern, run in file-name order inside one function
 * scope (src/site/loader.h assembles them; `scalebook build` writes assets/scalebook.js,
 * `scalebook loader --out FILE` writes it anywhere):
 *   10-config.js     this header, the page's script element, attribute sets
 *   20-runtime.js    bundles: choose, fetch or decode, compile once, instantiate per widget
 *   30-theme.js      light or dark for one element
 *   40-permalink.js  the #sb= codec (pure functions: tests/e2e/permalink_fuzz.test.js runs
 *                    this file alone in node, with no DOM)
 *   50-frames.js     the WebGL context budget and the frame loop
 *   55-dom.js        the stylesheet (widget.css, carried as WIDGET_CSS) and a DOM builder
 *   60-widget.js     one widget: start, configure once, errors, theme, size, GL release
 *   70-controls.js   DOM controls generated from the schema (parameters, actions, scrubber)
 *   75-share.js      the Share panel: permalink, embed snippets
 *   80-observers.js  near / in-view / resize / DPR / theme observers
 *   85-page-link.js  the page's own permalink: which widget it names, landing, the test API
 *   90-element.js    the <scalebook-widget> custom element
 *
 * Attributes of <scalebook-widget>:
 *   name="…"            the catalog widget (required)
 *   <param>="…"         any parameter of the widget's schema, validated against it
 *   seed="42"           the run's seed (whole number, 0 … 2^53−1)
 *   sim-speed="2"       playback speed, 0.1 … 10
 *   time="1500000"      start at this simulated time (µs), replayed from reset
 *   paused              start paused (prefers-reduced-motion always starts paused)
 *   theme="dark|light"  force a palette (default: <html data-theme>, then the system)
 *   id, class, style, title, hidden, lang, dir, slot, data-*, aria-*: ordinary HTML
 * Anything else is an error shown inside the widget's box (text only, never HTML).
 *
 * Permalinks: the page URL fragment #sb=v1;w=NAME;i=INDEX;p=k:v,k:v;s=SEED;t=TIME_US, or v2 with
 *   the reader's actions: …;t=TIME_US;a=T_US:name:arg,arg+T_US:name (src/widgets/actions.h)
 * (keys and values percent-encoded) — see docs/embedding.md.
 *
 * Story presets: the widget's catalog presets become buttons under the canvas (applyPreset()
 * does the same); state().preset names the preset the parameters equal, or null.
 *
 * Test hook: element.scalebook.state() / summary() / frames() / digest() / permalink() …
 */

if (!window.customElements || customElements.get('scalebook-widget')) return;

// ---------------------------------------------------------------- [SECTION] config
var script = document.currentScript;
var base = script && script.src ? script.src.replace(/[#?].*$/, '').replace(/[^/]*$/, '') : '';
var scriptUrl = script && script.src ? script.src.replace(/[#?].*$/, '') : 'scalebook.js';
var sharedMode = !!(script && script.getAttribute('data-instance') === 'shared');
var measure = !!(window.SCALEBOOK_MEASURE || (script && script.hasAttribute('data-measure')));
function set(names) { var o = Object.create(null); names.forEach(function (n) { o[n] = true; }); return o; }
var HTML_ATTRS = set(['name', 'id', 'class', 'style', 'title', 'hidden', 'lang', 'dir', 'slot', 'tabindex', 'role']);
var RUNTIME_ATTRS = set(['seed', 'sim-speed', 'time', 'paused', 'theme']);
// The run's seed, speed and time ranges come from the catalog JSON (widgets/params.h:
// kMaxSeed, kMinSpeed, kMaxSpeed, kMaxTimeUs), the same numbers the host and the CLI use.
function ranges(info) {
  var r = info && info.runtime;
  if (!r) throw new Error('the widget bundle has no runtime ranges in its catalog (rebuild it)');
  return r;
}
var reducedMotion = !!(window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches);
var counter = 0;
