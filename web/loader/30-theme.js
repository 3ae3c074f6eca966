// 30-theme.js — light or dark for one element.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
