// The reader's actions in the run identity (issue #14 item 4): an action taken mid-run
// from the DOM controls is recorded, a v2 permalink carries it and a fresh page replays it
// to the same digest, the time scrubber steps back before it and forward through it again,
// and a malformed action in a link is a readable error in that widget's box. The canvas
// toolbar offers the same actions (generated from the same schema) and records them alike.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const { open } = require('./lib');
const { setup, state, waitFrames, settledControlPoint } = require('./runtime_helpers');

const W = 'figure scalebook-widget';

describe('widget runtime: actions and the time scrubber', () => {
  let env;
  before(async () => { env = await setup('actions'); });
  after(async () => { await env.close(); });

  it('an action taken at 1.5 s survives a permalink round trip with the same digest', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/one.html`);
    await page.$eval(W, (w) => w.scrollIntoView({ block: 'center' }));
    await waitFrames(page, W, 3);
    await page.$eval(W, (w) => { w.scalebook.play(false); w.scalebook.seek(1500000); });
    // The DOM controls: the action's button and its argument field, generated from the schema.
    await page.$eval(`${W} details.sbw-controls`, (d) => { d.open = true; });
    const crests = await page.$(`${W} .sbw-controls fieldset:has(legend:text-is("Actions")) input[type=number]`);
    assert.ok(crests, 'the Actions group has a number field for the crests argument');
    assert.equal(await crests.getAttribute('max'), '6');
    await crests.fill('2');
    await page.click(`${W} .sbw-controls button:text-is("Add a wave")`);
    const a = await state(page, W);
    assert.equal(a.actions, '1500000:add-wave:2');
    assert.equal(a.model.waves, 6, '4 crests from the fence + 2');
    assert.match(await page.$eval(`${W} .sbw-controls fieldset:has(legend:text-is("Actions")) [role=status]`, (e) => e.textContent),
      /Add a wave at 1\.50 s/);
    // Run on past the action, then share.
    await page.$eval(W, (w) => w.scalebook.seek(3200000));
    const b = await state(page, W);
    assert.equal(b.sim_time_us, 3200000);
    assert.equal(b.model.waves, 6);
    const link = await page.$eval(W, (w) => w.scalebook.permalink());
    assert.match(link, /#sb=v2;w=hello;i=0;p=[^;]*;s=1;t=3200000;a=1500000:add-wave:2$/);

    // A fresh page from the link: paused at 3.2 s, the action replayed, one model build.
    const other = await open(env.browser, link);
    await other.page.waitForFunction((s) => document.querySelector(s).scalebook.ready(), W, { timeout: 60000 });
    const c = await state(other.page, W);
    assert.equal(c.digest, b.digest, 'same digest as the run the link was made from');
    assert.equal(c.actions, b.actions);
    assert.equal(c.model.waves, 6);
    assert.equal(c.playing, false);
    assert.equal(c.builds, 1, 'the model is built once for the whole link (params, seed, actions, time)');

    // The scrubber: back before the action the wave has 4 crests; forward again, the same run.
    await other.page.$eval(`${W} details.sbw-controls`, (d) => { d.open = true; });
    const scrub = `${W} .sbw-controls input[type=range][id$="-time"]`;
    await other.page.waitForFunction((s) => Number(document.querySelector(s).max) >= 3.2, scrub, { timeout: 10000 });
    await other.page.$eval(scrub, (r) => { r.value = '1'; r.dispatchEvent(new Event('input')); });
    const d = await state(other.page, W);
    assert.equal(d.sim_time_us, 1000000);
    assert.equal(d.model.waves, 4, 'before the action');
    assert.notEqual(d.digest, b.digest);
    await other.page.$eval(scrub, (r) => { r.value = '3.2'; r.dispatchEvent(new Event('input')); });
    assert.equal((await state(other.page, W)).digest, b.digest, 'forward again through the same moments');

    // A refused action changes nothing and says why.
    const before = (await state(other.page, W)).digest;
    assert.match(await other.page.$eval(W, (w) => w.scalebook.act('add-wave', ['9'])), /argument 'crests': value 9 is out of range \[1, 6\]/);
    assert.equal((await state(other.page, W)).digest, before);
    assert.deepEqual(problems, []);
    assert.deepEqual(other.problems, []);
    await other.context.close();
    await context.close();
  });

  it('the canvas toolbar offers the actions too: a tap on its button is recorded like the DOM one', async () => {
    const { page, problems, context } = await open(env.browser, `${env.server.url}/one.html`);
    await page.$eval(W, (w) => w.scrollIntoView({ block: 'center' }));
    await waitFrames(page, W, 3);
    await page.$eval(W, (w) => { w.scalebook.play(false); w.scalebook.seek(2000000); });
    const tap = async (key) => {
      await page.waitForFunction(([s, k]) => !!document.querySelector(s).scalebook.state().controls[k], [W, key], { timeout: 10000 });
      const p = await settledControlPoint(page, W, key);
      await page.mouse.click(p.x, p.y);
      await waitFrames(page, W, (await page.$eval(W, (w) => w.scalebook.frames())) + 2);
    };
    assert.equal((await state(page, W)).controls['@action:add-wave'], undefined, 'the rows are folded until asked for');
    await tap('@actions');
    const st = await state(page, W);
    assert.ok(st.controls['@action:add-wave'], 'a button for the action');
    assert.ok(st.controls['@action:add-wave:crests'], 'a control for its argument');
    await tap('@action:add-wave');
    const a = await state(page, W);
    assert.equal(a.actions, '2000000:add-wave:1', 'at the current time, with the argument at its default');
    assert.equal(a.model.waves, 5, '4 crests from the fence + 1');
    await page.$eval(`${W} details.sbw-controls`, (d) => { d.open = true; });
    assert.match(await page.$eval(`${W} .sbw-controls fieldset:has(legend:text-is("Actions")) [role=status]`, (e) => e.textContent),
      /Add a wave at 2\.00 s/, 'the DOM status line says what the canvas did');
    const link = await page.$eval(W, (w) => w.scalebook.permalink());
    assert.match(link, /;a=2000000:add-wave:1$/);
    const other = await open(env.browser, link);
    await other.page.waitForFunction((s) => document.querySelector(s).scalebook.ready(), W, { timeout: 60000 });
    assert.equal((await state(other.page, W)).digest, a.digest, 'the link replays the canvas action');
    assert.deepEqual(problems, []);
    assert.deepEqual(other.problems, []);
    await other.context.close();
    await context.close();
  });

  it('a malformed or unknown action in a permalink is a readable error in that widget', async () => {
    const cases = [
      ['sb=v2;w=hello;i=0;p=;s=1;t=0;a=1000:explode', /permalink actions: action 'explode': unknown action \(known: add-wave\)/],
      ['sb=v2;w=hello;i=0;p=;s=1;t=0;a=soon:add-wave', /permalink actions: action 1 \("soon:add-wave"\): expected <time in µs>/],
      ['sb=v2;w=hello;i=0;p=;s=1;t=0;a=2000:add-wave+1000:add-wave', /earlier than the action before it/]
    ];
    for (const [frag, re] of cases) {
      const { page, context } = await open(env.browser, `${env.server.url}/one.html#${frag}`);
      await page.waitForFunction((s) => document.querySelector(s).scalebook.error(), W, { timeout: 60000 });
      assert.match(await page.$eval(W, (w) => w.scalebook.error()), re);
      await context.close();
    }
  });
});
