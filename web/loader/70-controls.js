// 70-controls.js — DOM controls generated from the schema.
// One part of the widget loader scalebook.js (the list is in 10-config.js).
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
  this.actionStatus = status; // also says what the canvas toolbar's action buttons did ('@action')
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
  if (key === '@action') { if (this.actionStatus) this.actionStatus.textContent = value; return; }
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
