// 20-runtime.js — bundles: choose, fetch or decode, compile once, instantiate per widget.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
