/* scalebook.js — the widget loader: upgrades every <scalebook-widget name="…" …params…>.
 *
 * A classic script (module scripts do not load from file://). It loads, next to itself,
 *   scalebook-widgets.js       Emscripten glue (defines createScalebookWidgets)
 *   scalebook-widgets.wasm.js  the Wasm bytes as base64 (a .wasm can't be fetched from file://)
 * compiles the Wasm once per page and instantiates it once per widget (isolation: one
 * widget's failure never stops the others).
 *
 * Implemented here: lazy creation near the viewport, one page-wide frame loop that only
 * runs visible, animating widgets, GL contexts released far off-screen and restored on
 * approach, webglcontextlost/restored, hidden tab stops everything, reduced motion starts
 * paused, hi-DPI backing store, theme following <html data-theme> or the system, paste,
 * a polite live region with the summary, readable in-box errors, and a test hook:
 * element.scalebook.state() / .summary() / .frames().
 */
(function () {
  'use strict';
  if (window.customElements && customElements.get('scalebook-widget')) return;

  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/[^/]*$/, '') : '';
  var RESERVED = { name: 1, id: 1, class: 1, style: 1, seed: 1, speed: 1, paused: 1, height: 1, title: 1 };
  var compiled = null; // Promise<WebAssembly.Module>
  var counter = 0;
  var active = new Set(); // widgets wanting frames
  var rafPending = false;
  var reducedMotion = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;

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

  function runtime() {
    if (!compiled) {
      compiled = Promise.all([
        window.createScalebookWidgets ? Promise.resolve() : loadScript(base + 'scalebook-widgets.js'),
        window.ScalebookWasmBase64 ? Promise.resolve() : loadScript(base + 'scalebook-widgets.wasm.js')
      ]).then(function () {
        var bin = atob(window.ScalebookWasmBase64);
        var bytes = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        return WebAssembly.compile(bytes);
      });
    }
    return compiled;
  }

  function pageIsDark() {
    var t = document.documentElement.getAttribute('data-theme');
    if (t === 'dark') return true;
    if (t === 'light') return false;
    return !!(window.matchMedia && matchMedia('(prefers-color-scheme: dark)').matches);
  }

  // ---------------------------------------------------------------- frame loop
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
    if (document.hidden) active.forEach(function (w) { w.suspend(); });
    else schedule();
  });

  var STYLE = [
    'scalebook-widget{display:block;position:relative;margin:1.5rem 0;font:14px/1.4 system-ui,sans-serif}',
    'scalebook-widget .sbw-canvas{display:block;width:100%;height:var(--sb-widget-height,380px);border-radius:8px;touch-action:pan-y;outline:none;background:transparent}',
    'scalebook-widget .sbw-canvas:focus-visible{box-shadow:0 0 0 3px #3b82f6}',
    'scalebook-widget .sbw-error{border:2px solid #ef4444;border-radius:8px;padding:.75rem 1rem;color:inherit;background:rgba(239,68,68,.08);white-space:pre-wrap}',
    'scalebook-widget .sbw-live{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    'scalebook-widget .sbw-loading{height:var(--sb-widget-height,380px);display:flex;align-items:center;justify-content:center;opacity:.6}'
  ].join('\n');
  function injectStyle() {
    if (document.getElementById('sbw-style')) return;
    var st = document.createElement('style');
    st.id = 'sbw-style';
    st.textContent = STYLE;
    document.head.appendChild(st);
  }

  // ---------------------------------------------------------------- the element
  function Widget(el) {
    this.el = el;
    this.handle = 0;
    this.M = null;
    this.visible = false;
    this.glLive = false;
    this.lastSummary = 0;
  }

  Widget.prototype.showError = function (msg) {
    var box = document.createElement('div');
    box.className = 'sbw-error';
    box.setAttribute('role', 'alert');
    box.textContent = 'This widget could not start: ' + msg; // text only, never HTML
    this.el.replaceChildren(box);
    this.failed = true;
    active.delete(this);
  };

  Widget.prototype.start = function () {
    var self = this, el = this.el;
    var name = el.getAttribute('name') || '';
    var id = 'sb-canvas-' + (++counter);
    this.fallback = Array.prototype.slice.call(el.childNodes);
    var loading = document.createElement('div');
    loading.className = 'sbw-loading';
    loading.textContent = 'Loading simulation…';
    el.replaceChildren(loading);
    return runtime().then(function (mod) {
      return window.createScalebookWidgets({
        instantiateWasm: function (imports, done) {
          WebAssembly.instantiate(mod, imports).then(function (inst) { done(inst, mod); });
          return {};
        },
        requestFrame: function () { self.wake(); },
        onParamChanged: function (h, key, value) { self.paramChanged(key, value); },
        onCopy: function (text) {
          if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(function () {});
        },
        print: function () {},
        printErr: function (t) { console.warn('[scalebook ' + name + '] ' + t); }
      });
    }).then(function (M) {
      self.M = M;
      var canvas = document.createElement('canvas');
      canvas.id = id;
      canvas.className = 'sbw-canvas';
      canvas.tabIndex = 0;
      canvas.setAttribute('role', 'img');
      var live = document.createElement('div');
      live.className = 'sbw-live';
      live.setAttribute('aria-live', 'polite');
      el.replaceChildren(canvas, live);
      self.canvas = canvas;
      self.live = live;
      self.sizeCanvas();
      var h = M.ccall('sb_create', 'number', ['string', 'string'], ['#' + id, name]);
      if (!h) throw new Error(M.UTF8ToString(M._sb_last_error()));
      self.handle = h;
      self.glLive = true;
      var catalog = JSON.parse(M.UTF8ToString(M._sb_catalog()));
      self.info = catalog.filter(function (w) { return w.name === name; })[0];
      canvas.setAttribute('aria-label', (self.info.title || name) + ': ' + (self.info.aria_label || ''));
      // Parameters from attributes, validated by the same schema as the book's fences.
      var errors = [];
      Array.prototype.forEach.call(el.attributes, function (a) {
        if (RESERVED[a.name] || a.name.indexOf('data-') === 0 || a.name.indexOf('aria-') === 0) return;
        if (M.ccall('sb_set_param', 'number', ['number', 'string', 'string'], [h, a.name, a.value]) !== 0)
          errors.push(M.UTF8ToString(M._sb_last_error()));
      });
      if (errors.length) throw new Error(errors.join('\n'));
      var seed = el.getAttribute('seed');
      if (seed !== null) {
        if (!/^\d{1,15}$/.test(seed)) throw new Error("attribute 'seed': expected a whole number, got \"" + seed + '"');
        M._sb_set_seed(h, Number(seed));
      }
      var speed = el.getAttribute('speed');
      if (speed !== null) {
        var sp = Number(speed);
        if (!(sp >= 0.1 && sp <= 10)) throw new Error("attribute 'speed': expected a number in [0.1, 10], got \"" + speed + '"');
        M._sb_set_speed(h, sp);
      }
      if (reducedMotion || el.hasAttribute('paused')) M._sb_play(h, 0);
      M._sb_set_theme(h, pageIsDark() ? 1 : 0);
      canvas.addEventListener('webglcontextlost', function (e) { e.preventDefault(); self.contextLost(); });
      canvas.addEventListener('webglcontextrestored', function () { self.contextRestored(); });
      canvas.addEventListener('paste', function (e) {
        var text = e.clipboardData && e.clipboardData.getData('text/plain');
        if (text) { M.ccall('sb_paste', null, ['number', 'string'], [h, text]); e.preventDefault(); }
      });
      self.wake();
    }).catch(function (err) {
      self.showError(err && err.message ? err.message : String(err));
    });
  };

  Widget.prototype.sizeCanvas = function () {
    if (!this.canvas) return;
    var dpr = window.devicePixelRatio || 1;
    var r = this.canvas.getBoundingClientRect();
    var w = Math.max(1, Math.round(r.width * dpr)), h = Math.max(1, Math.round(r.height * dpr));
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    if (this.handle) { this.M._sb_resize(this.handle, w, h, dpr); this.wake(); }
  };

  Widget.prototype.wake = function () {
    if (!this.handle || this.failed || !this.visible) return;
    if (!this.glLive) this.restoreGl();
    active.add(this);
    schedule();
  };

  Widget.prototype.frame = function (now) {
    if (!this.handle || !this.visible || !this.glLive) return false;
    var more = this.M._sb_frame(this.handle, now) !== 0;
    if (now - this.lastSummary > 500) { // at most two live-region updates a second
      this.lastSummary = now;
      var s = this.M.UTF8ToString(this.M._sb_summary(this.handle));
      if (s !== this.live.textContent) this.live.textContent = s;
    }
    if (!more) this.M._sb_suspend(this.handle);
    return more;
  };

  Widget.prototype.suspend = function () { if (this.handle) this.M._sb_suspend(this.handle); };

  Widget.prototype.releaseGl = function () {
    if (!this.handle || !this.glLive) return;
    this.M._sb_gl_release(this.handle, 0);
    // Really free the browser's context: a fresh canvas takes the old one's place.
    var old = this.canvas, ext = null;
    try { var gl = old.getContext('webgl2'); ext = gl && gl.getExtension('WEBGL_lose_context'); } catch (e) { ext = null; }
    if (ext) ext.loseContext();
    var fresh = old.cloneNode(false);
    old.replaceWith(fresh);
    this.canvas = fresh;
    this.rebindCanvas(fresh);
    this.glLive = false;
  };

  Widget.prototype.rebindCanvas = function (canvas) {
    var self = this, M = this.M, h = this.handle;
    canvas.addEventListener('webglcontextlost', function (e) { e.preventDefault(); self.contextLost(); });
    canvas.addEventListener('webglcontextrestored', function () { self.contextRestored(); });
    canvas.addEventListener('paste', function (e) {
      var text = e.clipboardData && e.clipboardData.getData('text/plain');
      if (text) { M.ccall('sb_paste', null, ['number', 'string'], [h, text]); e.preventDefault(); }
    });
  };

  Widget.prototype.restoreGl = function () {
    if (this.glLive || !this.handle) return;
    this.sizeCanvas();
    this.glLive = this.M._sb_gl_restore(this.handle) !== 0;
    if (this.glLive) this.M._sb_set_theme(this.handle, pageIsDark() ? 1 : 0);
  };

  Widget.prototype.contextLost = function () {
    if (!this.handle) return;
    this.M._sb_gl_release(this.handle, 1);
    this.glLive = false;
    active.delete(this);
  };
  Widget.prototype.contextRestored = function () {
    this.restoreGl();
    this.wake();
  };

  Widget.prototype.paramChanged = function (key, value) {
    this.el.dispatchEvent(new CustomEvent('scalebook-param', { detail: { key: key, value: value } }));
  };

  Widget.prototype.setTheme = function () {
    if (!this.handle) return;
    this.M._sb_set_theme(this.handle, pageIsDark() ? 1 : 0);
    this.wake();
  };

  // ---------------------------------------------------------------- observers
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
      if (w.visible) w.wake(); else active.delete(w);
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
  new MutationObserver(function () { widgets.forEach(function (w) { w.setTheme(); }); })
    .observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  if (window.matchMedia) matchMedia('(prefers-color-scheme: dark)').addEventListener('change', function () {
    widgets.forEach(function (w) { w.setTheme(); });
  });

  function api(w) {
    return {
      state: function () { return w.handle ? JSON.parse(w.M.UTF8ToString(w.M._sb_state(w.handle))) : null; },
      summary: function () { return w.handle ? w.M.UTF8ToString(w.M._sb_summary(w.handle)) : ''; },
      frames: function () { var s = this.state(); return s ? s.frames : 0; },
      ready: function () { return !!w.handle; },
      error: function () { var e = w.el.querySelector('.sbw-error'); return e ? e.textContent : null; },
      play: function (on) { if (w.handle) { w.M._sb_play(w.handle, on ? 1 : 0); w.wake(); } },
      step: function () { if (w.handle) { w.M._sb_step(w.handle); w.wake(); } }
    };
  }

  function ScalebookWidget() { return Reflect.construct(HTMLElement, [], ScalebookWidget); }
  ScalebookWidget.prototype = Object.create(HTMLElement.prototype);
  ScalebookWidget.prototype.constructor = ScalebookWidget;
  ScalebookWidget.prototype.connectedCallback = function () {
    if (this.__sbw) return;
    injectStyle();
    var w = new Widget(this);
    this.__sbw = w;
    this.scalebook = api(w);
    widgets.add(w);
    near.observe(this);
    inView.observe(this);
    if (resizer) resizer.observe(this);
  };
  ScalebookWidget.prototype.disconnectedCallback = function () {
    var w = this.__sbw;
    if (!w) return;
    near.unobserve(this); inView.unobserve(this);
    if (resizer) resizer.unobserve(this);
    active.delete(w); widgets.delete(w);
    if (w.handle) { w.M._sb_destroy(w.handle); w.handle = 0; }
    this.__sbw = null;
  };
  Object.setPrototypeOf(ScalebookWidget, HTMLElement);
  customElements.define('scalebook-widget', ScalebookWidget);
})();
