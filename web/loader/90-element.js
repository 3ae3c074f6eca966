// 90-element.js — the <scalebook-widget> custom element.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
