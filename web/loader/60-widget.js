// 60-widget.js — one widget: start, configure once, errors, theme, size, GL release.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
