// 80-observers.js — near / in-view / resize / DPR / theme observers.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
