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
 * [SECTION] config · runtime · theme · permalinks · frame loop · styles · widget ·
 *           DOM controls · share · observers · element
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
(function () {
  'use strict';
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

  // ---------------------------------------------------------------- [SECTION] runtime
  // Bundles (src/platform/web/CMakeLists.txt): each is a whole Wasm module, the core plus
  // the widgets of one set; scalebook-widgets.index.js lists them. A page uses, for each
  // widget, a bundle it already compiled that holds it, else the bundle that holds the most
  // of the page's widgets (then the one with the fewest): the book's pages each get the one
  // bundle built for their set, an embed gets its widget's own.
  var index = null; // Promise<{ bundle id: [widget names] }>
  var modules = Object.create(null); // bundle id -> Promise<WebAssembly.Module>, once per page
  var sharedBy = Object.create(null); // bundle id -> Promise<Module> in shared mode
  var catalogs = Object.create(null); // bundle id -> parsed sb_catalog()
  var chosen = Object.create(null); // widget name -> bundle id

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error('could not load ' + src)); };
      document.head.appendChild(s);
    });
  }
  function stem(id) { return id === 'all' ? 'scalebook-widgets' : 'scalebook-widgets.' + id; }
  function loadIndex() {
    if (!index) {
      index = (window.ScalebookBundleIndex ? Promise.resolve() : loadScript(base + 'scalebook-widgets.index.js')).then(function () {
        if (!window.ScalebookBundleIndex) throw new Error('no widget bundles: scalebook-widgets.index.js is missing next to scalebook.js');
        return window.ScalebookBundleIndex;
      }, function () {
        throw new Error('no widget bundles: could not load scalebook-widgets.index.js next to scalebook.js');
      });
    }
    return index;
  }
  function knownNames(idx) {
    var seen = Object.create(null), out = [];
    Object.keys(idx).forEach(function (id) {
      idx[id].forEach(function (n) { if (!seen[n]) { seen[n] = true; out.push(n); } });
    });
    return out;
  }
  function pageNames() {
    var out = Object.create(null);
    document.querySelectorAll('scalebook-widget[name]').forEach(function (e) { out[e.getAttribute('name')] = true; });
    return out;
  }
  function parsed() {
    if (document.readyState !== 'loading') return Promise.resolve();
    return new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', function () { resolve(); }, { once: true }); });
  }
  // The bundle id for widget `name`, or an Error naming the known widgets.
  function bundleFor(name) {
    return Promise.all([loadIndex(), parsed()]).then(function (r) {
      var idx = r[0];
      if (chosen[name]) return chosen[name];
      var ids = Object.keys(idx).filter(function (id) { return idx[id].indexOf(name) >= 0; });
      if (!ids.length)
        throw new Error(name ? "unknown widget '" + name + "' (known: " + knownNames(idx).join(', ') + ')'
          : "missing attribute 'name' (known widgets: " + knownNames(idx).join(', ') + ')');
      var inUse = ids.filter(function (id) { return modules[id]; });
      var wanted = pageNames(), best = null, bestCover = -1;
      (inUse.length ? inUse : ids).forEach(function (id) {
        var cover = idx[id].filter(function (n) { return wanted[n]; }).length;
        if (cover > bestCover || (cover === bestCover && idx[id].length < idx[best].length)) { best = id; bestCover = cover; }
      });
      chosen[name] = best;
      return best;
    });
  }

  // The Wasm bytes: over http(s) the binary .wasm (streamed); from file:// (where fetch
  // cannot read files), from a foreign origin, or when the fetch fails, the classic script
  // next to it: the .wasm gzipped and base64-encoded (a third smaller than plain base64),
  // inflated here by the browser's own DecompressionStream.
  function inlined(id) { return window.ScalebookWasm && window.ScalebookWasm[id]; }
  function wasmFromBase64(id) {
    return (inlined(id) ? Promise.resolve() : loadScript(base + stem(id) + '.wasm.js')).then(function () {
      if (typeof DecompressionStream !== 'function')
        throw new Error('this browser cannot inflate the widget code (no DecompressionStream); open the page over http(s) or update the browser');
      if (!inlined(id)) throw new Error(stem(id) + '.wasm.js did not define the bundle ' + id);
      var bin = atob(inlined(id));
      var bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      var inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      return new Response(inflated).arrayBuffer();
    }).then(function (buf) { return WebAssembly.compile(buf); });
  }
  function wasmFromNetwork(id) {
    var url = base + stem(id) + '.wasm';
    return fetch(url).then(function (resp) {
      if (!resp.ok) throw new Error('HTTP ' + resp.status);
      var type = resp.headers.get('content-type') || '';
      if (WebAssembly.compileStreaming && type.indexOf('application/wasm') === 0) return WebAssembly.compileStreaming(resp);
      return resp.arrayBuffer().then(function (buf) { return WebAssembly.compile(buf); });
    });
  }
  function factory(id) { return window.ScalebookBundles && window.ScalebookBundles[id]; }
  function compile(id) {
    if (!modules[id]) {
      // Same origin only: a script tag loads across origins, fetch needs CORS headers the
      // foreign host may not send.
      var sameOrigin = false;
      try { sameOrigin = new URL(base, location.href).origin === location.origin; } catch (e) { sameOrigin = false; }
      var overHttp = /^https?:$/.test(location.protocol) && sameOrigin && !inlined(id);
      modules[id] = Promise.all([
        factory(id) ? Promise.resolve() : loadScript(base + stem(id) + '.js'),
        overHttp ? wasmFromNetwork(id).catch(function () { return wasmFromBase64(id); }) : wasmFromBase64(id)
      ]).then(function (r) {
        if (!factory(id)) throw new Error(stem(id) + '.js did not define the bundle ' + id);
        return r[1];
      });
    }
    return modules[id];
  }

  // A new instance of bundle `id` whose callbacks reach the widget owning the handle.
  function instantiate(id, registry) {
    return compile(id).then(function (mod) {
      var t0 = performance.now();
      return factory(id)({
        instantiateWasm: function (imports, done) {
          WebAssembly.instantiate(mod, imports).then(function (inst) { done(inst, mod); });
          return {};
        },
        requestFrame: function (h) { var w = registry[h]; if (w) w.wake(); },
        onParamChanged: function (h, key, value) { var w = registry[h]; if (w) w.paramChanged(key, value); },
        onShare: function (h) { var w = registry[h]; if (w) w.openShare(); },
        onCopy: function (text) {
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(function () {});
        },
        print: function () {},
        printErr: function (t) { console.warn('[scalebook] ' + t); }
      }).then(function (M) {
        M.__registry = registry;
        M.__bundle = id;
        M.__instantiateMs = performance.now() - t0;
        if (!catalogs[id]) catalogs[id] = JSON.parse(M.UTF8ToString(M._sb_catalog()));
        if (measure) (window.__scalebookInstantiateMs = window.__scalebookInstantiateMs || []).push(M.__instantiateMs);
        return M;
      });
    });
  }

  // An instance that can run widget `name`: a new one, or in shared mode the bundle's one.
  function instanceFor(name) {
    return bundleFor(name).then(function (id) {
      if (!sharedMode) return instantiate(id, {});
      if (!sharedBy[id]) sharedBy[id] = instantiate(id, {});
      return sharedBy[id];
    });
  }

  function widgetInfo(M, name) {
    var catalog = catalogs[M.__bundle] || [];
    for (var i = 0; i < catalog.length; i++) if (catalog[i].name === name) return catalog[i];
    return null;
  }

  // ---------------------------------------------------------------- [SECTION] theme
  // The element's theme attribute, then the page's <html data-theme> (the book sets it
  // from the `scalebook-theme` setting), then that stored setting, then the system.
  function isDark(el) {
    var own = el.getAttribute('theme');
    if (own === 'dark' || own === 'light') return own === 'dark';
    var t = document.documentElement.getAttribute('data-theme');
    if (t === 'dark' || t === 'light') return t === 'dark';
    try {
      var stored = localStorage.getItem('scalebook-theme');
      if (stored === 'dark' || stored === 'light') return stored === 'dark';
    } catch (e) { /* storage blocked (file://, privacy settings) */ }
    return !!(window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches);
  }

  // ---------------------------------------------------------------- [SECTION] permalinks
  // #sb=v1;w=hello;i=0;p=waves:4,speed:1.5;s=42;t=1500000
  // #sb=v2;…;t=3200000;a=1500000:add-wave:2   (v2 = v1 + the run's actions; a run without
  // actions is still written as v1, so every v1 link and reader keeps working)
  // The action log keeps its separators (: , +) readable; anything else is percent-encoded.
  function encodeActions(log) {
    return log.replace(/[^A-Za-z0-9:,+._-]+/g, function (run) { return encodeURIComponent(run); });
  }
  function encodePermalink(o) {
    var p = Object.keys(o.params).map(function (k) {
      return encodeURIComponent(k) + ':' + encodeURIComponent(o.params[k]);
    }).join(',');
    var v = o.actions ? 'v2' : 'v1';
    return 'sb=' + v + ';w=' + encodeURIComponent(o.widget) + ';i=' + o.index + ';p=' + p + ';s=' + o.seed + ';t=' + o.time +
      (o.actions ? ';a=' + encodeActions(o.actions) : '');
  }

  // Returns null when the fragment is not a permalink, {error} when it is a broken one.
  function parsePermalink(hash) {
    var frag = (hash || '').replace(/^#/, '');
    if (frag.indexOf('sb=') !== 0) return null;
    // params has no prototype: "__proto__" or "constructor" from a URL are ordinary keys.
    var out = { widget: '', index: 0, params: Object.create(null), seed: null, time: 0, paramOrder: [], actions: '' };
    var parts = frag.split(';');
    var version = parts[0].slice(3);
    if (version !== 'v1' && version !== 'v2')
      return { error: 'permalink version "' + version + '" is not supported (this page reads v1 and v2)' };
    try {
      for (var i = 1; i < parts.length; i++) {
        var eq = parts[i].indexOf('=');
        if (eq < 0) continue;
        var k = parts[i].slice(0, eq), v = parts[i].slice(eq + 1);
        if (k === 'w') out.widget = decodeURIComponent(v);
        else if (k === 'i') {
          if (!/^\d{1,4}$/.test(v)) return brokenLink('permalink: widget index "' + v + '" is not a whole number', parts);
          out.index = Number(v);
        } else if (k === 'p') {
          if (!v) continue;
          v.split(',').forEach(function (kv) {
            var c = kv.indexOf(':');
            if (c < 0) throw new Error('parameter "' + decodeURIComponent(kv) + '" has no value (expected key:value)');
            var key = decodeURIComponent(kv.slice(0, c));
            if (Object.prototype.hasOwnProperty.call(out.params, key)) throw new Error('parameter "' + key + '" given twice');
            out.params[key] = decodeURIComponent(kv.slice(c + 1));
            out.paramOrder.push(key);
          });
        } else if (k === 's') out.seed = v;
        else if (k === 't') out.time = v;
        else if (k === 'a' && version === 'v2') out.actions = decodeURIComponent(v); // checked by the widget (sb_set_actions)
      }
    } catch (e) {
      return brokenLink('permalink: ' + (e instanceof URIError ? 'bad percent-encoding' : e.message), parts);
    }
    return out;
  }
  // A broken v1 link still names its widget as far as its w= and i= fields can be read
  // ({error, widget?, index?}), so the error shows in that widget's box.
  function brokenLink(message, parts) {
    var out = { error: message };
    for (var i = 1; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (eq < 0) continue;
      var k = parts[i].slice(0, eq), v = parts[i].slice(eq + 1);
      if (k === 'w') { try { out.widget = decodeURIComponent(v); } catch (e) { delete out.widget; } }
      else if (k === 'i') { if (/^\d{1,4}$/.test(v)) out.index = Number(v); else delete out.index; }
    }
    return out;
  }

  // The element a permalink applies to: the widget at its index, if that element's name is
  // the link's widget. A broken link goes to the widget it names as far as that can be read
  // (its index, else the first widget of its name), else to the first widget: its error is
  // always shown somewhere.
  function linkTarget(link) {
    if (!link) return null;
    var all = document.querySelectorAll('scalebook-widget');
    var named = function (el) { return el && (link.widget === undefined || el.getAttribute('name') === link.widget) ? el : null; };
    if (!link.error) return named(all[link.index]);
    var hit = null;
    if (typeof link.index === 'number') hit = named(all[link.index]);
    else if (link.widget !== undefined) hit = Array.prototype.filter.call(all, named)[0] || null;
    return hit || all[0] || null;
  }

  function validSeed(text, what, r) {
    if (!/^\d{1,16}$/.test(String(text)) || Number(text) > r.seed_max)
      return what + ': expected a whole number from 0 to ' + r.seed_max + ', got "' + text + '"';
    return '';
  }
  function validTime(text, what, r) {
    if (!/^\d{1,14}$/.test(String(text)) || Number(text) > r.time_max_us)
      return what + ': expected simulated microseconds from 0 to ' + r.time_max_us + ', got "' + text + '"';
    return '';
  }

  // ---------------------------------------------------------------- [SECTION] GL budget
  // Chromium keeps about 16 live WebGL contexts per page and silently kills the oldest
  // beyond that. Besides releasing contexts far off-screen (observers below), the loader
  // keeps at most MAX_LIVE_GL: before a widget takes a context, the live widget that has
  // been out of view the longest gives its own back.
  var MAX_LIVE_GL = 12;
  var liveGl = new Set();
  function makeRoomForContext(except) {
    if (liveGl.size < MAX_LIVE_GL) return;
    var victim = null;
    liveGl.forEach(function (w) {
      if (w === except || w.visible) return;
      if (!victim || w.lastVisible < victim.lastVisible) victim = w;
    });
    if (victim) victim.releaseGl();
  }

  // ---------------------------------------------------------------- [SECTION] frame loop
  var active = new Set(); // widgets wanting frames
  var rafPending = false;
  var firstFrameMarked = false;
  function schedule() {
    if (rafPending || document.hidden || active.size === 0) return;
    rafPending = true;
    requestAnimationFrame(tick);
  }
  function tick(now) {
    rafPending = false;
    active.forEach(function (w) {
      if (!w.frame(now)) active.delete(w);
    });
    schedule();
  }
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) widgets.forEach(function (w) { w.suspend(); });
    else { widgets.forEach(function (w) { w.wake(); }); schedule(); }
  });

  // ---------------------------------------------------------------- [SECTION] styles
  // Self-contained (a foreign page has none of the book's CSS variables) and scoped to
  // scalebook-widget; the page may override the --sbw-* variables.
  var STYLE = [
    'scalebook-widget{display:block;position:relative;margin:1.5rem 0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;',
    '--sbw-bg:#fff;--sbw-fg:#1a1c21;--sbw-muted:#5d6470;--sbw-line:#d5d9e0;--sbw-field:#f4f6f8;--sbw-accent:#2563eb;--sbw-bad:#b91c1c;color:var(--sbw-fg)}',
    'scalebook-widget[data-sbw-theme=dark]{--sbw-bg:#14171c;--sbw-fg:#e6e8ec;--sbw-muted:#9aa1ad;--sbw-line:#333946;--sbw-field:#1f232b;--sbw-accent:#60a5fa;--sbw-bad:#f87171}',
    'scalebook-widget .sbw-canvas{display:block;width:100%;height:var(--sb-widget-height,380px);border-radius:8px;touch-action:pan-y;outline:none;background:var(--sbw-bg)}',
    'scalebook-widget .sbw-canvas:focus-visible{box-shadow:0 0 0 3px var(--sbw-accent)}',
    'scalebook-widget .sbw-error{border:2px solid var(--sbw-bad);border-radius:8px;padding:.75rem 1rem;color:var(--sbw-fg);background:rgba(239,68,68,.08);white-space:pre-wrap;overflow-wrap:anywhere}',
    'scalebook-widget .sbw-live{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    'scalebook-widget .sbw-loading{height:var(--sb-widget-height,380px);display:flex;align-items:center;justify-content:center;color:var(--sbw-muted);border:1px dashed var(--sbw-line);border-radius:8px}',
    'scalebook-widget .sbw-controls{margin-top:.4rem;border:1px solid var(--sbw-line);border-radius:8px;background:var(--sbw-bg);color:var(--sbw-fg)}',
    'scalebook-widget .sbw-controls>summary{cursor:pointer;padding:.35rem .75rem;color:var(--sbw-muted);font-weight:600;border-radius:8px}',
    'scalebook-widget .sbw-controls>summary:focus-visible,scalebook-widget .sbw-controls :focus-visible{outline:2px solid var(--sbw-accent);outline-offset:2px}',
    'scalebook-widget .sbw-body{padding:.25rem .75rem .75rem;display:grid;gap:.6rem}',
    'scalebook-widget .sbw-row{display:flex;flex-wrap:wrap;gap:.4rem .6rem;align-items:center}',
    'scalebook-widget .sbw-controls button{font:inherit;color:var(--sbw-fg);background:var(--sbw-field);border:1px solid var(--sbw-line);border-radius:6px;padding:.2rem .65rem;cursor:pointer}',
    'scalebook-widget .sbw-controls button:hover{border-color:var(--sbw-accent)}',
    'scalebook-widget .sbw-controls button[aria-pressed=true]{background:var(--sbw-accent);border-color:var(--sbw-accent);color:var(--sbw-bg)}',
    'scalebook-widget .sbw-controls input,scalebook-widget .sbw-controls select,scalebook-widget .sbw-controls textarea{font:inherit;color:var(--sbw-fg);background:var(--sbw-field);border:1px solid var(--sbw-line);border-radius:6px;padding:.15rem .4rem;accent-color:var(--sbw-accent);box-sizing:border-box}',
    'scalebook-widget .sbw-controls input[type=range]{padding:0;border:0;background:transparent;min-width:8rem;flex:1 1 8rem}',
    'scalebook-widget .sbw-controls input[type=number]{width:7.5em}',
    'scalebook-widget .sbw-controls label{display:inline-flex;gap:.35rem;align-items:center}',
    'scalebook-widget .sbw-controls fieldset{border:0;border-top:1px solid var(--sbw-line);margin:0;padding:.5rem 0 0;display:grid;gap:.5rem}',
    'scalebook-widget .sbw-controls legend{color:var(--sbw-muted);font-weight:600;padding:0 .3rem 0 0}',
    'scalebook-widget .sbw-field{display:grid;grid-template-columns:minmax(7rem,max-content) 1fr;gap:.1rem .6rem;align-items:center}',
    'scalebook-widget .sbw-field .sbw-inputs{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}',
    'scalebook-widget .sbw-help{grid-column:2;color:var(--sbw-muted);font-size:.85em}',
    'scalebook-widget .sbw-invalid{grid-column:2;color:var(--sbw-bad);font-size:.85em}',
    'scalebook-widget .sbw-invalid:empty{display:none}',
    'scalebook-widget .sbw-presets{margin-top:.5rem;display:flex;flex-wrap:wrap;gap:.35rem .5rem;align-items:center}',
    'scalebook-widget .sbw-presets>.sbw-presets-label{color:var(--sbw-muted);font-weight:600;margin-right:.1rem}',
    'scalebook-widget .sbw-presets button{font:inherit;color:var(--sbw-fg);background:var(--sbw-field);border:1px solid var(--sbw-line);border-radius:999px;padding:.15rem .75rem;cursor:pointer}',
    'scalebook-widget .sbw-presets button:hover{border-color:var(--sbw-accent)}',
    'scalebook-widget .sbw-presets button:focus-visible{outline:2px solid var(--sbw-accent);outline-offset:2px}',
    'scalebook-widget .sbw-presets button[aria-pressed=true]{background:var(--sbw-accent);border-color:var(--sbw-accent);color:var(--sbw-bg)}',
    'scalebook-widget .sbw-story{margin:.35rem 0 0;padding:.45rem .75rem;border-left:3px solid var(--sbw-accent);background:var(--sbw-field);border-radius:0 6px 6px 0;color:var(--sbw-fg);max-width:70ch}',
    'scalebook-widget .sbw-story[hidden]{display:none}',
    'scalebook-widget .sbw-story>b{font-weight:600}',
    'scalebook-widget .sbw-share{display:grid;gap:.45rem;border-top:1px solid var(--sbw-line);padding-top:.5rem}',
    'scalebook-widget .sbw-share[hidden]{display:none}',
    'scalebook-widget .sbw-share-item{display:grid;grid-template-columns:1fr auto;gap:.2rem .5rem;align-items:end}',
    'scalebook-widget .sbw-share-item>label{grid-column:1/3;display:block;color:var(--sbw-muted);font-size:.85em}',
    'scalebook-widget .sbw-share textarea{width:100%;resize:vertical;font:12px/1.4 ui-monospace,monospace;min-height:2.4em}',
    '@media (max-width:520px){scalebook-widget .sbw-field{grid-template-columns:1fr}scalebook-widget .sbw-help,scalebook-widget .sbw-invalid{grid-column:1}}'
  ].join('\n');
  function injectStyle() {
    if (document.getElementById('sbw-style')) return;
    var st = document.createElement('style');
    st.id = 'sbw-style';
    st.textContent = STYLE;
    (document.head || document.documentElement).appendChild(st);
  }

  function h(tag, props, children) { // tiny DOM builder: properties and text only, never HTML
    var e = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      if (k === 'text') e.textContent = props[k];
      else if (k.indexOf('aria-') === 0 || k === 'role' || k === 'for' || k.indexOf('data-') === 0) e.setAttribute(k, props[k]);
      else e[k] = props[k];
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  // ---------------------------------------------------------------- [SECTION] widget
  function Widget(el) {
    this.el = el;
    this.handle = 0;
    this.M = null;
    this.visible = false;
    this.glLive = false;
    this.lastSummary = 0;
    this.lastVisible = 0;
    this.inputs = {}; // param key → {range, number, check, select, text, invalid}
  }

  Widget.prototype.showError = function (msg) {
    var box = h('div', { className: 'sbw-error', role: 'alert' });
    var title = this.el.getAttribute('name') || '(no name)';
    box.textContent = 'This widget (' + title + ') could not start:\n' + msg; // text only, never HTML
    this.el.replaceChildren(box);
    this.failed = true;
    active.delete(this);
    liveGl.delete(this);
    if (this.handle) {
      try { this.M._sb_destroy(this.handle); } catch (e) { /* instance already broken */ }
      if (this.M.__registry) delete this.M.__registry[this.handle];
      this.handle = 0;
    }
  };

  // Parameters in order: schema defaults < attributes < the page's permalink (if it names this widget).
  Widget.prototype.collectSettings = function (info) {
    var el = this.el, errors = [], params = [], s = { seed: null, speed: null, time: null, paused: el.hasAttribute('paused') };
    var schema = Object.create(null);
    info.params.forEach(function (p) { schema[p.name] = p; });
    Array.prototype.forEach.call(el.attributes, function (a) {
      var n = a.name;
      if (schema[n]) { params.push([n, a.value, "attribute '" + n + "'"]); return; }
      if (HTML_ATTRS[n] || n.indexOf('data-') === 0 || n.indexOf('aria-') === 0) return;
      if (n === 'seed') s.seed = [a.value, "attribute 'seed'"];
      else if (n === 'sim-speed') s.speed = [a.value, "attribute 'sim-speed'"];
      else if (n === 'time') s.time = [a.value, "attribute 'time'"];
      else if (RUNTIME_ATTRS[n]) { /* paused, theme */ }
      else errors.push("attribute '" + n + "': unknown parameter of widget '" + info.name + "' (known: " +
        (info.params.map(function (p) { return p.name; }).join(', ') || 'none') + '; seed, sim-speed, time, paused, theme)');
    });
    if (el.hasAttribute('data-sbw-url-error')) errors.push(el.getAttribute('data-sbw-url-error')); // from embed.html
    if (el.hasAttribute('theme') && !/^(dark|light)$/.test(el.getAttribute('theme')))
      errors.push("attribute 'theme': expected dark or light, got \"" + el.getAttribute('theme') + '"');
    var link = this.permalink;
    if (link && link.error) errors.push(link.error);
    else if (link) {
      link.paramOrder.forEach(function (k) {
        if (!schema[k]) errors.push("permalink parameter '" + k + "': unknown parameter of widget '" + info.name + "'");
        else params.push([k, link.params[k], "permalink parameter '" + k + "'"]);
      });
      if (link.seed !== null) s.seed = [link.seed, 'permalink seed'];
      if (link.actions) s.actions = [link.actions, 'permalink actions'];
      s.time = [String(link.time || 0), 'permalink time'];
      s.paused = true; // the reader sees exactly the shared moment, then presses play
    }
    var rt = ranges(info);
    if (s.seed) { var e1 = validSeed(s.seed[0], s.seed[1], rt); if (e1) errors.push(e1); }
    if (s.time) { var e2 = validTime(s.time[0], s.time[1], rt); if (e2) errors.push(e2); }
    if (s.speed) {
      var sp = Number(s.speed[0]);
      if (!(s.speed[0] !== '' && sp >= rt.speed_min && sp <= rt.speed_max))
        errors.push(s.speed[1] + ': expected a number from ' + rt.speed_min + ' to ' + rt.speed_max + ', got "' + s.speed[0] + '"');
    }
    return { params: params, runtime: s, errors: errors };
  };

  // `M`: an instance to reuse (restart), else a new one (or the shared one).
  Widget.prototype.start = function (M) {
    var self = this, el = this.el;
    var name = el.getAttribute('name') || '';
    var id = 'sb-canvas-' + (++counter);
    var gen = this.gen = (this.gen || 0) + 1;
    var loading = h('div', { className: 'sbw-loading', text: 'Loading simulation…' });
    el.replaceChildren(loading);
    return (M ? Promise.resolve(M) : instanceFor(name)).then(function (M) {
      if (gen !== self.gen) return; // restarted meanwhile
      self.M = M;
      self.info = widgetInfo(M, name);
      if (!self.info) throw new Error("widget '" + name + "' is not in the bundle " + M.__bundle);
      var settings = self.collectSettings(self.info);
      if (settings.errors.length) throw new Error(settings.errors.join('\n'));
      var canvas = h('canvas', { id: id, className: 'sbw-canvas', tabIndex: 0, role: 'img' });
      canvas.setAttribute('aria-label', (self.info.title || name) + ': ' + (self.info.aria_label || ''));
      var live = h('div', { className: 'sbw-live', 'aria-live': 'polite' });
      el.replaceChildren(canvas, live);
      self.canvas = canvas;
      self.live = live;
      self.sizeCanvas();
      makeRoomForContext(self);
      var hd = M.ccall('sb_create', 'number', ['string', 'string'], ['#' + id, name]);
      if (!hd) throw new Error(M.UTF8ToString(M._sb_last_error()));
      self.handle = hd;
      M.__registry[hd] = self;
      self.glLive = true;
      liveGl.add(self);
      self.sizeCanvas(true);
      // Parameters, all in one edit through the one parameter path (widgets/param_edit.h:
      // each value against the schema, then the cross-parameter check on the whole set), so
      // values that are only valid together (users="2000" celebrity_followers="1500") are
      // not refused one at a time. A refusal names the parameter; say which attribute (or
      // permalink field) set it.
      var lines = [], errors = [];
      settings.params.forEach(function (kv) {
        if (/[\n\r]/.test(kv[1])) errors.push(kv[2] + ': the value contains a line break');
        else lines.push(kv[0] + '=' + kv[1]);
      });
      if (errors.length) throw new Error(errors.join('\n'));
      if (lines.length && M.ccall('sb_set_params', 'number', ['number', 'string'], [hd, lines.join('\n')]) !== 0) {
        var msg = M.UTF8ToString(M._sb_last_error()), m = /^parameter '([^']*)': /.exec(msg), label = null;
        settings.params.forEach(function (kv) { if (m && kv[0] === m[1]) label = kv[2]; });
        throw new Error(label ? label + ': ' + msg.slice(m[0].length) : msg);
      }
      var rt = settings.runtime;
      if (rt.seed) M._sb_set_seed(hd, Number(rt.seed[0]));
      if (rt.actions && M.ccall('sb_set_actions', 'number', ['number', 'string'], [hd, rt.actions[0]]) !== 0)
        throw new Error(rt.actions[1] + ': ' + M.UTF8ToString(M._sb_last_error()));
      if (rt.speed) M._sb_set_speed(hd, Number(rt.speed[0]));
      if (reducedMotion || rt.paused) M._sb_play(hd, 0);
      if (rt.time && Number(rt.time[0]) > 0) M._sb_seek(hd, Number(rt.time[0]));
      self.applyTheme();
      self.bindCanvas(canvas);
      self.buildControls();
      el.appendChild(live);
      self.wake();
      if (landing === self) reland();
    }).catch(function (err) {
      if (gen !== self.gen) return;
      self.showError(err && err.message ? err.message : String(err));
      if (landing === self) reland();
    });
  };

  // Starts over from the element's attributes and this.permalink, exactly as a first start
  // (so a permalink applied to a running widget gives the run a fresh page would show). The
  // instance is kept unless this widget failed (its instance may be what broke).
  Widget.prototype.restart = function () {
    var M = this.failed ? null : this.M;
    this.teardown();
    this.failed = false;
    this.started = true;
    return this.start(M);
  };
  Widget.prototype.teardown = function () {
    active.delete(this);
    liveGl.delete(this);
    if (this.handle) {
      var ext = null;
      if (this.glLive && this.canvas) { // free the browser's context now, not at garbage collection
        try { var gl = this.canvas.getContext('webgl2'); ext = gl && gl.getExtension('WEBGL_lose_context'); } catch (e) { ext = null; }
      }
      try { this.M._sb_destroy(this.handle); } catch (e) { /* instance already broken */ }
      if (this.M.__registry) delete this.M.__registry[this.handle];
      this.handle = 0;
      if (ext) ext.loseContext();
    }
    this.glLive = false;
    this.lost = false;
    this.canvas = this.live = this.details = this.sharePanel = this.presetButtons = this.storyBox = null;
    this.inputs = {};
  };

  Widget.prototype.bindCanvas = function (canvas) {
    var self = this;
    canvas.addEventListener('webglcontextlost', function (e) {
      e.preventDefault(); // ask for a restore
      if (canvas === self.canvas) self.contextLost();
    });
    canvas.addEventListener('webglcontextrestored', function () { if (canvas === self.canvas) self.contextRestored(); });
    canvas.addEventListener('paste', function (e) {
      var text = e.clipboardData && e.clipboardData.getData('text/plain');
      if (text && self.handle) {
        self.M.ccall('sb_paste', null, ['number', 'string'], [self.handle, text]);
        e.preventDefault();
        self.wake();
      }
    });
  };

  Widget.prototype.sizeCanvas = function (noWake) {
    if (!this.canvas) return;
    var dpr = window.devicePixelRatio || 1;
    var r = this.canvas.getBoundingClientRect();
    var w = Math.max(1, Math.round(r.width * dpr)), ht = Math.max(1, Math.round(r.height * dpr));
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== ht) this.canvas.height = ht;
    if (this.handle) { this.M._sb_resize(this.handle, w, ht, dpr); if (!noWake) this.wake(); }
  };

  Widget.prototype.wake = function () {
    if (!this.handle || this.failed || !this.visible || document.hidden || this.lost) return;
    if (!this.glLive) this.restoreGl();
    if (!this.glLive) return;
    active.add(this);
    schedule();
  };

  Widget.prototype.frame = function (now) {
    if (!this.handle || !this.visible || !this.glLive) return false;
    var more;
    if (measure) {
      var t0 = performance.now();
      more = this.M._sb_frame(this.handle, now) !== 0;
      (window.__scalebookFrameTimes = window.__scalebookFrameTimes || []).push(performance.now() - t0);
    } else {
      more = this.M._sb_frame(this.handle, now) !== 0;
    }
    if (!firstFrameMarked && performance.mark) { firstFrameMarked = true; performance.mark('scalebook-first-frame'); }
    // At most two live-region updates a second, plus one on the last frame before the
    // widget goes idle, so the final numbers of a run or an animation are announced.
    if (now - this.lastSummary > 500 || !more) {
      this.lastSummary = now;
      var s = this.M.UTF8ToString(this.M._sb_summary(this.handle));
      if (s !== this.live.textContent) this.live.textContent = s;
      if (this.details && this.details.open) this.syncTime(this.state());
    }
    if (!more) this.M._sb_suspend(this.handle);
    return more;
  };

  Widget.prototype.suspend = function () {
    active.delete(this);
    if (this.handle) this.M._sb_suspend(this.handle);
  };

  // Far off-screen: free the browser's GL context (Chromium keeps about 16 per page).
  Widget.prototype.releaseGl = function () {
    if (!this.handle || !this.glLive) return;
    active.delete(this);
    this.M._sb_gl_release(this.handle, 0);
    this.swapCanvas(true);
    liveGl.delete(this);
    this.glLive = false;
  };

  // A canvas whose context was lost cannot get a new one: a fresh element takes its place
  // (same id, so the host finds it by selector). `loseNow` frees the old context at once.
  Widget.prototype.swapCanvas = function (loseNow) {
    var old = this.canvas, ext = null;
    if (loseNow) {
      try { var gl = old.getContext('webgl2'); ext = gl && gl.getExtension('WEBGL_lose_context'); } catch (e) { ext = null; }
    }
    var fresh = old.cloneNode(false);
    var hadFocus = document.activeElement === old;
    old.replaceWith(fresh);
    if (ext) ext.loseContext();
    this.canvas = fresh;
    this.bindCanvas(fresh);
    if (hadFocus) fresh.focus({ preventScroll: true });
  };

  Widget.prototype.restoreGl = function () {
    if (this.glLive || !this.handle) return;
    this.sizeCanvas(true);
    makeRoomForContext(this);
    this.glLive = this.M._sb_gl_restore(this.handle) !== 0;
    if (this.glLive) { liveGl.add(this); this.applyTheme(); }
  };

  // The browser took the context (GPU reset, too many contexts, a test's loseContext()).
  // Wait for webglcontextrestored; if none comes, start over on a fresh canvas.
  Widget.prototype.contextLost = function () {
    if (!this.handle) return;
    var self = this;
    this.M._sb_gl_release(this.handle, 1);
    this.glLive = false;
    this.lost = true;
    liveGl.delete(this);
    active.delete(this);
    this.contextLosses = (this.contextLosses || 0) + 1;
    setTimeout(function () {
      if (!self.lost || !self.handle) return;
      self.lost = false;
      self.swapCanvas(false);
      self.wake();
    }, 3000);
  };
  Widget.prototype.contextRestored = function () {
    this.lost = false;
    this.restoreGl();
    this.wake();
  };

  Widget.prototype.applyTheme = function () {
    var dark = isDark(this.el);
    this.el.setAttribute('data-sbw-theme', dark ? 'dark' : 'light');
    if (!this.handle) return;
    this.M._sb_set_theme(this.handle, dark ? 1 : 0);
    this.wake();
  };

  // From the canvas (host.cpp): keep the DOM controls in sync, tell the page.
  Widget.prototype.paramChanged = function (key, value) {
    this.syncControl(key, value);
    this.el.dispatchEvent(new CustomEvent('scalebook-param', { detail: { key: key, value: value } }));
  };

  Widget.prototype.state = function () {
    return this.handle ? JSON.parse(this.M.UTF8ToString(this.M._sb_state(this.handle))) : null;
  };

  // ---------------------------------------------------------------- [SECTION] DOM controls
  // Real form controls generated from the schema: keyboard and screen-reader usable, in
  // sync both ways with the ImGui controls drawn inside the canvas.
  Widget.prototype.buildControls = function () {
    var self = this, uid = this.canvas.id, st = this.state();
    var play = h('button', { type: 'button', className: 'sbw-play' });
    var step = h('button', { type: 'button', text: 'Step' });
    var reset = h('button', { type: 'button', text: 'Reset' });
    var rt = ranges(this.info);
    var speed = h('input', { type: 'range', min: String(Math.log10(rt.speed_min)), max: String(Math.log10(rt.speed_max)), step: '0.01', id: uid + '-speed' });
    var speedOut = h('output', { htmlFor: uid + '-speed' });
    var seed = h('input', { type: 'number', min: '0', max: String(rt.seed_max), step: '1', inputMode: 'numeric', id: uid + '-seed' });
    var reseed = h('button', { type: 'button', text: 'New seed' });
    var share = h('button', { type: 'button', text: 'Share', 'aria-expanded': 'false' });
    var seedInvalid = h('span', { className: 'sbw-invalid', role: 'status' });
    this.playBtn = play; this.speedInput = speed; this.speedOut = speedOut; this.seedInput = seed; this.shareBtn = share;
    play.addEventListener('click', function () { self.api.play(!self.state().playing); });
    step.addEventListener('click', function () { self.api.step(); });
    reset.addEventListener('click', function () { self.api.reset(); });
    speed.addEventListener('input', function () {
      var v = Math.pow(10, Number(speed.value));
      self.M._sb_set_speed(self.handle, v);
      self.syncControl('@speed', String(v));
    });
    seed.addEventListener('change', function () {
      var msg = validSeed(seed.value, 'seed', rt);
      seedInvalid.textContent = msg;
      seed.setAttribute('aria-invalid', msg ? 'true' : 'false');
      if (!msg) { self.M._sb_set_seed(self.handle, Number(seed.value)); self.wake(); }
    });
    reseed.addEventListener('click', function () {
      var v = Math.floor(Math.random() * 1e9);
      seed.value = String(v);
      self.M._sb_set_seed(self.handle, v);
      self.wake();
    });
    share.addEventListener('click', function () { self.toggleShare(); });
    var row = h('div', { className: 'sbw-row', role: 'group', 'aria-label': 'Playback' }, [
      play, step, reset,
      h('label', {}, [document.createTextNode('Speed'), speed, speedOut]),
      h('label', {}, [document.createTextNode('Seed'), seed]), reseed, share, seedInvalid
    ]);
    var fields = this.info.params.map(function (p) { return self.paramField(p, uid); });
    var fs = fields.length ? h('fieldset', {}, [h('legend', { text: 'Parameters' })].concat(fields)) : null;
    var scrub = h('div', { className: 'sbw-row', role: 'group', 'aria-label': 'Time' }, [this.buildScrubber(uid)]);
    var actions = this.buildActions(uid);
    this.sharePanel = h('div', { className: 'sbw-share', hidden: true });
    var details = h('details', { className: 'sbw-controls' }, [
      h('summary', { text: 'Controls' + (this.info.title ? ' — ' + this.info.title : '') }),
      h('div', { className: 'sbw-body' }, [row, scrub, actions, fs, this.sharePanel].filter(Boolean))
    ]);
    this.details = details;
    details.addEventListener('toggle', function () { if (details.open) self.syncTime(self.state()); });
    var presets = this.buildPresets(uid);
    if (presets) this.el.appendChild(presets);
    this.el.appendChild(details);
    this.syncControl('@playing', st.playing ? 'true' : 'false');
    this.syncControl('@speed', String(st.speed));
    this.syncControl('@seed', String(st.seed));
    Object.keys(st.params).forEach(function (k) { self.syncControl(k, st.params[k]); });
    this.syncPresets(st);
  };

  // The reader's action now: '' when taken, else the widget's message (nothing changed).
  Widget.prototype.act = function (name, args) {
    if (!this.handle) return 'not ready';
    var err = '';
    if (this.M.ccall('sb_act', 'number', ['number', 'string', 'string'], [this.handle, name, args.join(',')]) !== 0)
      err = this.M.UTF8ToString(this.M._sb_last_error());
    this.wake();
    return err;
  };

  // Actions (catalog.h ActionSpec), generated like the parameter fields: one button per
  // action with a labelled field per argument, and a polite status line saying what was
  // done, at what time, or why it was refused.
  Widget.prototype.buildActions = function (uid) {
    var self = this, list = (this.info && this.info.actions) || [];
    if (!list.length) return null;
    var status = h('p', { className: 'sbw-help', role: 'status' });
    var rows = list.map(function (a, ai) {
      var inputs = (a.args || []).map(function (arg, k) {
        var id = uid + '-a' + ai + '-' + k;
        var input = h('input', { id: id, type: arg.type === 'int' || arg.type === 'float' ? 'number' : 'text', value: arg.default });
        if (arg.min !== undefined) { input.min = String(arg.min); input.max = String(arg.max); }
        if (arg.type === 'int') input.step = '1';
        return h('label', { htmlFor: id }, [document.createTextNode(arg.label || arg.name), input]);
      });
      var btn = h('button', { type: 'button', text: a.label || a.name, title: a.help || '' });
      btn.addEventListener('click', function () {
        var args = inputs.map(function (l) { return l.querySelector('input').value; });
        var t = (self.state().sim_time_us / 1e6).toFixed(2);
        var err = self.act(a.name, args);
        status.textContent = err ? err : (a.label || a.name) + ' at ' + t + ' s';
      });
      return h('div', { className: 'sbw-row' }, inputs.concat([btn]));
    });
    return h('fieldset', {}, [h('legend', { text: 'Actions' })].concat(rows, [status]));
  };

  // The time scrubber: 0 … the furthest time this run reached; moving it back replays the
  // run to that moment from its parameters, seed and actions (sb_seek).
  Widget.prototype.buildScrubber = function (uid) {
    var self = this;
    var range = h('input', { type: 'range', min: '0', max: '0', step: '0.01', value: '0', id: uid + '-time' });
    var out = h('output', { htmlFor: uid + '-time', text: '0.00 s' });
    range.addEventListener('input', function () {
      self.M._sb_seek(self.handle, Math.round(Number(range.value) * 1e6));
      out.textContent = Number(range.value).toFixed(2) + ' s';
      self.scrubbing = true;
      self.wake();
    });
    range.addEventListener('change', function () { self.scrubbing = false; });
    this.timeInput = range; this.timeOut = out; this.maxTime = 0;
    return h('label', { htmlFor: uid + '-time' }, [document.createTextNode('Time'), range, out]);
  };
  Widget.prototype.syncTime = function (st) {
    if (!this.timeInput || !st) return;
    var t = st.sim_time_us / 1e6;
    this.maxTime = Math.max(this.maxTime, t);
    this.timeInput.max = this.maxTime.toFixed(2);
    if (!this.scrubbing) { this.timeInput.value = t.toFixed(2); this.timeOut.textContent = t.toFixed(2) + ' s'; }
  };

  // Story presets (catalog.h PresetSpec): always-visible buttons under the canvas, the
  // active one pressed, its story below them. A preset is a parameter change: every
  // parameter's DOM control is re-synced from the widget's state afterwards.
  Widget.prototype.buildPresets = function (uid) {
    var self = this, list = (this.info && this.info.presets) || [];
    if (!list.length) return null;
    this.presetButtons = {};
    var labelId = uid + '-presets';
    var buttons = list.map(function (pr) {
      var b = h('button', { type: 'button', text: pr.label, 'aria-pressed': 'false', 'data-preset': pr.id,
        'aria-describedby': uid + '-story' });
      b.addEventListener('click', function () { self.applyPreset(pr.id); });
      self.presetButtons[pr.id] = b;
      return b;
    });
    this.storyBox = h('p', { className: 'sbw-story', id: uid + '-story', 'aria-live': 'polite', hidden: true });
    var wrap = h('div', { className: 'sbw-preset-block' }, [
      h('div', { className: 'sbw-presets', role: 'group', 'aria-labelledby': labelId },
        [h('span', { className: 'sbw-presets-label', id: labelId, text: 'Stories' })].concat(buttons)),
      this.storyBox
    ]);
    return wrap;
  };

  // Returns '' or the error message.
  Widget.prototype.applyPreset = function (id) {
    if (!this.handle) return 'not ready';
    if (this.M.ccall('sb_apply_preset', 'number', ['number', 'string'], [this.handle, String(id)]) !== 0)
      return this.M.UTF8ToString(this.M._sb_last_error());
    this.paramChanged('@preset', String(id));
    this.wake();
    return '';
  };

  Widget.prototype.syncPresets = function (st) {
    if (!this.presetButtons) return;
    st = st || this.state();
    var active = st ? st.preset : null, self = this, story = null;
    (this.info.presets || []).forEach(function (pr) {
      var on = pr.id === active;
      self.presetButtons[pr.id].setAttribute('aria-pressed', on ? 'true' : 'false');
      if (on) story = pr;
    });
    if (story) {
      this.storyBox.replaceChildren(h('b', { text: story.label + '. ' }), document.createTextNode(story.story));
      this.storyBox.hidden = false;
    } else {
      this.storyBox.replaceChildren();
      this.storyBox.hidden = true;
    }
  };

  Widget.prototype.paramField = function (p, uid) {
    var self = this, id = uid + '-p-' + p.name, helpId = id + '-help';
    var rec = { spec: p };
    var invalid = h('span', { className: 'sbw-invalid', role: 'status' });
    rec.invalid = invalid;
    var inputs = [];
    var apply = function (value, source) {
      var err = '';
      if (self.M.ccall('sb_set_param', 'number', ['number', 'string', 'string'], [self.handle, p.name, value]) !== 0)
        err = self.M.UTF8ToString(self.M._sb_last_error());
      invalid.textContent = err;
      if (source) source.setAttribute('aria-invalid', err ? 'true' : 'false');
      if (!err) { self.syncControl(p.name, value, source); self.paramChanged(p.name, value); }
      self.wake();
    };
    if (p.type === 'int' || p.type === 'float') {
      var step = p.type === 'int' ? '1' : String((p.max - p.min) / 200);
      rec.range = h('input', { type: 'range', min: String(p.min), max: String(p.max), step: step, id: id, 'aria-describedby': helpId });
      rec.number = h('input', { type: 'number', min: String(p.min), max: String(p.max), step: p.type === 'int' ? '1' : 'any',
        'aria-label': (p.label || p.name) + ' value', 'aria-describedby': helpId });
      rec.range.addEventListener('input', function () {
        var v = rec.range.value;
        if (p.type === 'float') v = String(Number(Number(v).toPrecision(6)));
        apply(v, rec.range);
      });
      rec.number.addEventListener('change', function () { apply(rec.number.value.trim(), rec.number); });
      inputs = [rec.range, rec.number];
    } else if (p.type === 'bool') {
      rec.check = h('input', { type: 'checkbox', id: id, 'aria-describedby': helpId });
      rec.check.addEventListener('change', function () { apply(rec.check.checked ? 'true' : 'false', rec.check); });
      inputs = [rec.check];
    } else if (p.type === 'choice') {
      rec.select = h('select', { id: id, 'aria-describedby': helpId },
        (p.choices || []).map(function (c) { return h('option', { value: c, text: c }); }));
      rec.select.addEventListener('change', function () { apply(rec.select.value, rec.select); });
      inputs = [rec.select];
    } else {
      rec.text = h('input', { type: 'text', id: id, 'aria-describedby': helpId, spellcheck: false });
      rec.text.addEventListener('change', function () { apply(rec.text.value, rec.text); });
      inputs = [rec.text];
    }
    this.inputs[p.name] = rec;
    return h('div', { className: 'sbw-field' }, [
      h('label', { htmlFor: id, text: p.label || p.name }),
      h('div', { className: 'sbw-inputs' }, inputs),
      h('span', { className: 'sbw-help', id: helpId, text: p.help || '' }),
      invalid
    ]);
  };

  // Shows `value` in the DOM control for `key` (a parameter or an @pseudo-key), except
  // in `source`, the control the reader is typing into.
  Widget.prototype.syncControl = function (key, value, source) {
    if (!this.details) return;
    if (key === '@playing') {
      var on = value === 'true';
      this.playBtn.textContent = on ? 'Pause' : 'Play';
      this.playBtn.setAttribute('aria-pressed', on ? 'false' : 'true');
      this.playBtn.setAttribute('aria-label', on ? 'Pause the simulation' : 'Play the simulation');
      return;
    }
    if (key === '@speed') {
      var v = Number(value);
      if (source !== this.speedInput) this.speedInput.value = String(Math.log10(v));
      this.speedOut.textContent = v.toFixed(2) + '×';
      this.speedInput.setAttribute('aria-valuetext', v.toFixed(2) + ' times');
      return;
    }
    if (key === '@seed') { if (source !== this.seedInput) this.seedInput.value = value; return; }
    if (key === '@preset') { // every parameter may have changed
      var st = this.state(), self = this;
      if (st) { Object.keys(st.params).forEach(function (k) { self.syncControl(k, st.params[k]); }); this.syncPresets(st); }
      return;
    }
    var rec = this.inputs[key];
    if (!rec) return;
    this.syncPresets();
    if (rec.range && source !== rec.range) rec.range.value = value;
    if (rec.number && source !== rec.number) rec.number.value = value;
    if (rec.check) rec.check.checked = value === 'true';
    if (rec.select) rec.select.value = value;
    if (rec.text && source !== rec.text) rec.text.value = value;
    rec.invalid.textContent = '';
    [rec.range, rec.number, rec.check, rec.select, rec.text].forEach(function (c) { if (c) c.setAttribute('aria-invalid', 'false'); });
  };

  // ---------------------------------------------------------------- [SECTION] share
  Widget.prototype.index = function () {
    return Array.prototype.indexOf.call(document.querySelectorAll('scalebook-widget'), this.el);
  };
  Widget.prototype.snapshot = function () {
    var st = this.state();
    return { widget: st.widget, index: this.index(), params: st.params, seed: st.seed, time: st.sim_time_us, actions: st.actions || '' };
  };
  Widget.prototype.permalinkUrl = function () {
    return location.href.replace(/#.*$/, '') + '#' + encodePermalink(this.snapshot());
  };
  Widget.prototype.embedSnippet = function () {
    var s = this.snapshot();
    var el = document.createElement('scalebook-widget-snippet'); // serialised, never inserted
    el.setAttribute('name', s.widget);
    Object.keys(s.params).forEach(function (k) { el.setAttribute(k, s.params[k]); });
    el.setAttribute('seed', String(s.seed));
    var attrs = el.outerHTML.replace(/^<scalebook-widget-snippet/, '<scalebook-widget').replace(/<\/scalebook-widget-snippet>$/, '</scalebook-widget>');
    return '<script src="' + attrEscape(scriptUrl) + '" defer></script>\n' + attrs;
  };
  Widget.prototype.iframeSnippet = function () {
    var s = this.snapshot();
    s.index = 0;
    var url = base + 'embed.html#' + encodePermalink(s);
    var title = (this.info && this.info.title) || s.widget;
    return '<iframe src="' + attrEscape(url) + '" title="' + attrEscape(title) +
      '" loading="lazy" style="width:100%;height:520px;border:0"></iframe>';
  };
  function attrEscape(s) {
    return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  Widget.prototype.openShare = function () {
    if (!this.details) return;
    this.details.open = true;
    this.toggleShare(true);
  };
  Widget.prototype.toggleShare = function (forceOpen) {
    var panel = this.sharePanel, self = this;
    var open = forceOpen === true ? true : panel.hidden;
    this.shareBtn.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (!open) { panel.hidden = true; return; }
    var items = [ // [label, text, what the Copy button copies]
      ['Permalink — this exact run: parameters, seed and simulated time', this.permalinkUrl(), 'the permalink'],
      ['Embed in your page — one script tag and one element', this.embedSnippet(), 'the embed snippet'],
      ['Embed with an iframe', this.iframeSnippet(), 'the iframe snippet']
    ];
    var uid = this.canvas ? this.canvas.id : 'sbw-' + (++counter);
    // The label names its textarea only (a label around the Copy button too would add
    // "Copy" to the textarea's name); each Copy button says what it copies.
    panel.replaceChildren.apply(panel, items.map(function (it, i) {
      var taId = uid + '-share-' + i;
      var ta = h('textarea', { id: taId, readOnly: true, rows: i === 0 ? 2 : 3, value: it[1], spellcheck: false });
      var copy = h('button', { type: 'button', text: 'Copy', 'aria-label': 'Copy ' + it[2] });
      copy.addEventListener('click', function () {
        ta.select();
        var done = function () { copy.textContent = 'Copied'; setTimeout(function () { copy.textContent = 'Copy'; }, 1500); };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(ta.value).then(done, function () {
          try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected for the reader */ }
        });
        else { try { document.execCommand('copy'); done(); } catch (e) { /* selected */ } }
      });
      return h('div', { className: 'sbw-share-item' }, [h('label', { htmlFor: taId, text: it[0] }), ta, copy]);
    }));
    panel.hidden = false;
    var first = panel.querySelector('textarea');
    if (first && forceOpen === true) { first.focus({ preventScroll: false }); first.select(); }
    self.wake();
  };

  // ---------------------------------------------------------------- [SECTION] observers
  var widgets = new Set();
  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      var w = e.target.__sbw;
      if (!w) return;
      if (e.isIntersecting && !w.started) { w.started = true; w.start(); }
      if (!e.isIntersecting && w.handle) w.releaseGl(); // far away: free the GL context
    });
  }, { rootMargin: '600px 0px' });
  var inView = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      var w = e.target.__sbw;
      if (!w) return;
      w.visible = e.isIntersecting;
      w.lastVisible = performance.now();
      if (w.visible) w.wake(); else w.suspend();
    });
  }, { rootMargin: '0px' });
  var resizer = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (e) { if (e.target.__sbw) e.target.__sbw.sizeCanvas(); });
  }) : null;

  function watchDpr() {
    if (!window.matchMedia) return;
    var mq = matchMedia('(resolution: ' + (window.devicePixelRatio || 1) + 'dppx)');
    var onChange = function () {
      widgets.forEach(function (w) { w.sizeCanvas(); });
      mq.removeEventListener('change', onChange);
      watchDpr();
    };
    mq.addEventListener('change', onChange);
  }
  watchDpr();
  function retheme() { widgets.forEach(function (w) { w.applyTheme(); }); }
  new MutationObserver(retheme).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  if (window.matchMedia) matchMedia('(prefers-color-scheme: dark)').addEventListener('change', retheme);
  window.addEventListener('storage', function (e) { if (e.key === 'scalebook-theme') retheme(); });

  // ---------------------------------------------------------------- [SECTION] page permalink
  // The page's permalink (#sb=…) applies to the widget it names (linkTarget): on load, and
  // whenever the fragment changes to a permalink (hashchange: a link in the text, the address
  // bar, Back). That widget is brought into view ("landing"), which also starts it (it is
  // then near), and starts — or, when it already ran or failed, starts over — from its
  // attributes and the link, paused at the link's time. Widgets the link does not name are
  // left as they are (one not started yet forgets an earlier link: the URL no longer names it).
  var pagePermalink = parsePermalink(location.hash);
  var pageLinkScheduled = false;
  function applyPageLink() {
    var link = pagePermalink, target = linkTarget(link), w = target && target.__sbw;
    widgets.forEach(function (o) { if (o !== w && !o.started) o.permalink = null; });
    if (!w) return;
    if (w.permalink !== link) {
      w.permalink = link;
      if (w.started && (w.handle || w.failed)) w.restart(); // not yet running: its start reads the link
    }
    land(w);
  }
  function schedulePageLink() { // once, when every widget element of the page exists
    if (pageLinkScheduled || !pagePermalink) return;
    pageLinkScheduled = true;
    var go = function () { setTimeout(applyPageLink, 0); };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
    else go();
  }
  window.addEventListener('hashchange', function () {
    pagePermalink = parsePermalink(location.hash);
    if (pagePermalink) applyPageLink();
    else landing = null; // an ordinary #anchor: the browser scrolls there, widgets stay as they are
  });

  // Landing: the widget's box is scrolled into full view, and once more when it has
  // started or failed (the box changes size then), unless the reader scrolled, clicked or
  // typed meanwhile. Widgets near it that grow as they start are the browser's scroll
  // anchoring's business. Only this document scrolls (in an iframe embed, never the host
  // page); a box already in full view does not move.
  var landing = null; // the Widget being landed
  ['wheel', 'touchstart', 'mousedown', 'keydown'].forEach(function (t) {
    window.addEventListener(t, function () { landing = null; }, { capture: true, passive: true });
  });
  function land(w) { landing = w; scrollToWidget(w.el); }
  function reland() {
    var w = landing;
    landing = null;
    if (w && w.el.isConnected) scrollToWidget(w.el);
  }
  function scrollToWidget(el) {
    var r = el.getBoundingClientRect(), vh = window.innerHeight || document.documentElement.clientHeight;
    if (!r.width && !r.height) return; // not rendered (hidden)
    var pad = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0; // the book's sticky top bar
    if (r.top >= pad && r.bottom <= vh) return;
    var tall = r.height > vh - pad, framed;
    try { framed = window.top !== window; } catch (e) { framed = true; }
    if (!framed) el.scrollIntoView({ block: tall ? 'start' : 'center' });
    else window.scrollTo(window.scrollX, window.scrollY + r.top - pad - (tall ? 0 : (vh - pad - r.height) / 2));
  }

  function api(w) {
    return {
      state: function () { return w.state(); },
      summary: function () { return w.handle ? w.M.UTF8ToString(w.M._sb_summary(w.handle)) : ''; },
      frames: function () { var s = w.state(); return s ? s.frames : 0; },
      digest: function () { var s = w.state(); return s ? s.digest : null; },
      ready: function () { return !!w.handle; },
      bundle: function () { return w.M ? w.M.__bundle : null; },
      info: function () { return w.info || null; },
      error: function () { var e = w.el.querySelector('.sbw-error'); return e ? e.textContent : null; },
      contextLosses: function () { return w.contextLosses || 0; },
      play: function (on) { if (w.handle) { w.M._sb_play(w.handle, on ? 1 : 0); w.syncControl('@playing', on ? 'true' : 'false'); w.wake(); } },
      step: function () { if (w.handle) { w.M._sb_step(w.handle); w.wake(); } },
      reset: function () { if (w.handle) { w.M._sb_reset(w.handle); w.wake(); } },
      seek: function (us) { if (w.handle) { w.M._sb_seek(w.handle, us); w.wake(); } },
      // The reader's action `name` now, with its arguments (catalog actions); '' or the message.
      act: function (name, args) { return w.act(name, (args || []).map(String)); },
      setParam: function (k, v) {
        if (!w.handle) return 'not ready';
        if (w.M.ccall('sb_set_param', 'number', ['number', 'string', 'string'], [w.handle, k, String(v)]) !== 0)
          return w.M.UTF8ToString(w.M._sb_last_error());
        w.syncControl(k, String(v)); w.wake(); return '';
      },
      applyPreset: function (id) { return w.applyPreset(id); },
      preset: function () { var s = w.state(); return s ? s.preset : null; },
      permalink: function () { return w.handle ? w.permalinkUrl() : null; },
      embedSnippet: function () { return w.handle ? w.embedSnippet() : null; },
      iframeSnippet: function () { return w.handle ? w.iframeSnippet() : null; },
      share: function () { w.openShare(); }
    };
  }

  // ---------------------------------------------------------------- [SECTION] element
  function ScalebookWidget() { return Reflect.construct(HTMLElement, [], ScalebookWidget); }
  ScalebookWidget.prototype = Object.create(HTMLElement.prototype);
  ScalebookWidget.prototype.constructor = ScalebookWidget;
  ScalebookWidget.prototype.connectedCallback = function () {
    if (this.__sbw) return;
    injectStyle();
    var w = new Widget(this);
    this.__sbw = w;
    w.api = api(w);
    this.scalebook = w.api;
    // The widget the page's permalink names reads it when it starts (applyPageLink then
    // brings it into view). A broken link's fallback target is only known once the page
    // is parsed: applyPageLink assigns it.
    if (pagePermalink && (!pagePermalink.error || document.readyState !== 'loading') && linkTarget(pagePermalink) === this)
      w.permalink = pagePermalink;
    schedulePageLink();
    this.setAttribute('data-sbw-theme', isDark(this) ? 'dark' : 'light');
    widgets.add(w);
    // Fetch and compile the Wasm as soon as the page has a widget, not when the first one
    // comes near the viewport: the download and compile overlap the page's own layout,
    // and the first widget frame comes sooner. Instances and GL contexts stay lazy. A
    // failure is reported by the widget that needs the module (Widget.start).
    bundleFor(this.getAttribute('name') || '').then(compile).catch(function () {});
    near.observe(this);
    inView.observe(this);
    if (resizer) resizer.observe(this);
  };
  ScalebookWidget.prototype.disconnectedCallback = function () {
    var w = this.__sbw;
    if (!w) return;
    near.unobserve(this); inView.unobserve(this);
    if (resizer) resizer.unobserve(this);
    active.delete(w); widgets.delete(w); liveGl.delete(w);
    if (landing === w) landing = null;
    if (w.handle) {
      w.M._sb_destroy(w.handle);
      if (w.M.__registry) delete w.M.__registry[w.handle];
      w.handle = 0;
    }
    this.__sbw = null;
  };
  Object.setPrototypeOf(ScalebookWidget, HTMLElement);
  customElements.define('scalebook-widget', ScalebookWidget);
  window.ScalebookRuntime = { parsePermalink: parsePermalink, encodePermalink: encodePermalink, mode: sharedMode ? 'shared' : 'per-widget' };
})();
