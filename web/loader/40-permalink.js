// 40-permalink.js — the #sb= permalink codec, pure functions (tested alone in node).
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
