// 50-frames.js — the WebGL context budget and the frame loop.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
