// 85-page-link.js — the page's permalink, landing, and the element's test API.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
