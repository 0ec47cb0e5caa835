// assignment.test.mjs: the Assignment view in Debian's Chromium. An assignment link opens
// the view; typing E4's values gives the verdicts worked by hand (exercises.md: z1 = 0.15
// right, z2[3] = 0.006 wrong, a2[3] = 0.006 right for that slip); a hint opens one level per
// press; the link and local storage keep the work through a reload; the landing page lists
// the assignment with its progress and opens it again; a name past ASCII typed on a phone
// stays in the link (percent-encoded UTF-8) through a reload, and one the fonts cannot draw
// (CJK) is kept with a note. Screenshots at 1280x800 (DPR 2) and on a 390-px phone.
//
//   node tests/browser/assignment.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { clickRect, layoutOf, labState, pressKey, runTests, settle, testArgs, waitForLayout } from './harness.mjs';

const args = testArgs();
const LINK = 'v1/course?ex=1-13&name=Ann+Lee';

async function openAssignment(page, url) {
  if (url) await page.goto(url);
  await page.waitForFunction(() => {
    if (typeof Module === 'undefined' || !Module.calledRun || !Module._nnplay_layout_json) return false;
    const layout = JSON.parse(Module.ccall('nnplay_layout_json', 'string'));
    return layout.assignment && layout.assignment.rects && layout.assignment.rects.open_lab;
  }, null, { timeout: 20000 });
  await settle(page);
}

async function typeInto(page, key, text) {
  const r = (await layoutOf(page)).assignment.rects[key];
  assert.ok(r, `no rect ${key}`);
  await clickRect(page, r);
  await waitForLayout(page, (l) => l.text_input);
  await page.keyboard.type(text);
  await pressKey(page, 'Enter');
  await waitForLayout(page, (l) => !l.text_input);
  await settle(page);
}

const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));

await runTests(args, async ({ server, browser, test }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('an assignment link opens the Assignment view with E1-E13', async () => {
    await openAssignment(page, `${server.url}#${LINK}`);
    const s = await labState(page);
    assert.equal(s.lab, 'course');
    assert.equal(s.state.student, 'Ann Lee');
    assert.equal(s.result.exercises.length, 13);
    const rects = (await layoutOf(page)).assignment.rects;
    for (let n = 1; n <= 13; n++) assert.ok(rects[`E${n}`], `E${n} listed`);
    assert.equal(await page.title(), 'Assignment \u00b7 nnplay');
  });

  await test('E4: type answers, see right / wrong / right-for-your-earlier-value', async () => {
    await clickRect(page, (await layoutOf(page)).assignment.rects.E4);
    await waitForLayout(page, (l) => l.assignment.current === 4);
    await typeInto(page, 'field:z1.1', '0.15');
    await typeInto(page, 'field:z2.3', '0.006');
    await typeInto(page, 'field:a2.3', '0.006');
    const marks = (await layoutOf(page)).assignment.marks;
    assert.equal(marks['z1.1'], 'right');
    assert.equal(marks['z2.3'], 'wrong');  // 0.4 x 0.15 + (-0.1) x 0 = 0.06
    assert.equal(marks['a2.3'], 'carried');  // relu(0.006) = 0.006
    assert.equal(marks['z3.1'], 'empty');
    const h = await hash(page);
    assert.ok(h.includes('e4=z1:0.15;z2:_,_,0.006;a2:_,_,0.006'), h);
    const s = await labState(page);
    const e4 = s.result.exercises[3];
    assert.equal(e4.progress, 'partly');
    assert.equal(e4.root_cause.step, 'z2');
    await page.screenshot({ path: join(args.out, 'assignment-e4.png') });
  });

  await test('a hint opens one level per press: the rule, the numbers, the value', async () => {
    const hint = (await layoutOf(page)).assignment.rects['hint:z2'];
    await clickRect(page, hint);
    let h = await hash(page);
    assert.ok(h.endsWith('&h4=z2:1'), h);
    await clickRect(page, (await layoutOf(page)).assignment.rects['hint:z2']);
    h = await hash(page);
    assert.ok(h.endsWith('&h4=z2:2'), h);
    const z2 = (await labState(page)).result.exercises[3].steps.find((x) => x.id === 'z2');
    assert.equal(z2.hint, 2);
    await page.screenshot({ path: join(args.out, 'assignment-hint.png') });
  });

  await test('reload: the entries and the hint are still there', async () => {
    await page.reload();
    await openAssignment(page);
    const s = await labState(page);
    const z2 = s.result.exercises[3].steps.find((x) => x.id === 'z2');
    assert.deepEqual(z2.entered, [null, null, '0.006']);
    assert.deepEqual(z2.verdicts, ['empty', 'empty', 'wrong']);
    assert.equal(z2.hint, 2);
    // Without a link, the page picks up the saved work (local storage).
    await page.goto(server.url);
    await openAssignment(page);
    const again = await labState(page);
    assert.equal(again.result.exercises[3].steps[0].entered[0], '0.15');
  });

  await test('the landing page lists the assignment with its progress and reopens it', async () => {
    await clickRect(page, (await layoutOf(page)).buttons.gallery);
    const layout = await waitForLayout(page, (l) => l.landing.open && l.landing.assignment[2] > 0);
    assert.match(layout.landing.assignment_progress, /0 done, 1 partly, 12 not started/);
    await page.screenshot({ path: join(args.out, 'assignment-landing.png'), fullPage: false });
    assert.ok(layout.landing.assignment[1] + layout.landing.assignment[3] < 800, 'above the fold');
    await clickRect(page, layout.landing.assignment);
    await waitForLayout(page, (l) => !l.landing.open && l.lab === 'course');
    const s = await labState(page);
    assert.equal(s.lab, 'course');
    assert.equal(s.result.exercises[3].steps[0].entered[0], '0.15');
    // It resumes at the exercise begun: E4.
    assert.equal((await layoutOf(page)).assignment.current, 4);
  });

  await test('"open the lab" opens E4 in the MLP lab with the entries', async () => {
    await clickRect(page, (await layoutOf(page)).assignment.rects.open_lab, { after: 6 });
    const s = await labState(page);
    assert.equal(s.lab, 'mlp');
    assert.ok(s.link.includes('check=z1:0.15;z2:_,_,0.006;a2:_,_,0.006'), s.link);
    await page.goBack();
    await openAssignment(page);
    assert.equal((await labState(page)).lab, 'course');
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openAssignment(phone, `${server.url}#v1/course?ex=1-13&e4=z1:0.15,-0.2;z2:0.015,0.045,0.006`);
    const rects = (await layoutOf(phone)).assignment.rects;
    assert.ok(rects.picker, 'a picker on a phone');
    for (const [key, r] of Object.entries(rects))
      if (key.startsWith('field:')) assert.ok(r[0] >= 0 && r[0] + r[2] <= 390 + 1, `${key} inside the width: ${r}`);
    await phone.screenshot({ path: join(args.out, 'assignment-phone.png') });
    await phone.close();
  });

  await test('a name past ASCII: typed on a phone, kept in the link through a reload', async () => {
    // As a phone's keyboard sends it (input events into the relay, no key events): José Müller
    // goes into the link as percent-encoded UTF-8 (é = C3 A9, ü = C3 BC), space as '+'.
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const phone = await context.newPage();
    phone.on('pageerror', (e) => errors.push(String(e)));
    await openAssignment(phone, `${server.url}#v1/course?ex=1-13`);
    const r = (await layoutOf(phone)).assignment.rects.name;
    assert.ok(r, 'no name field');
    await phone.touchscreen.tap(r[0] + r[2] / 2, r[1] + r[3] / 2);
    await waitForLayout(phone, (l) => l.text_input, 20000);
    await phone.waitForFunction(() => document.activeElement?.id === 'textinput', null, { timeout: 20000 });
    await phone.keyboard.insertText('José Müller');
    await phone.keyboard.press('Enter');
    await waitForLayout(phone, (l) => !l.text_input, 20000);
    await phone.waitForFunction(() => location.hash.includes('&name='), null, { timeout: 20000 });
    assert.equal(await phone.evaluate(() => location.hash), '#v1/course?ex=1-13&name=Jos%C3%A9+M%C3%BCller');
    assert.equal((await labState(phone)).state.student, 'José Müller');
    // Latin-1 and Latin Extended are in the body font: no note under the field.
    assert.equal((await layoutOf(phone)).assignment.rects.name_note, undefined);
    await phone.reload();
    await openAssignment(phone);
    assert.equal(await phone.evaluate(() => location.hash), '#v1/course?ex=1-13&name=Jos%C3%A9+M%C3%BCller');
    assert.equal((await labState(phone)).state.student, 'José Müller');
    await phone.screenshot({ path: join(args.out, 'assignment-name-phone.png') });
    await context.close();
  });

  await test('a name the fonts cannot draw (李雷) is kept, with a note under the field', async () => {
    await openAssignment(page, `${server.url}#v1/course?ex=1-13&name=%E6%9D%8E%E9%9B%B7`);
    const face = await page.evaluate(() => JSON.parse(Module.ccall('nnplay_face_json', 'string', ['string'], ['łŐřșĳЖỹ李'])));
    for (const c of 'łŐřșĳЖỹ') assert.equal(face.glyphs[c].body, true, `the body font draws ${c}`);
    assert.equal(face.glyphs['李'].body, false);
    const layout = await waitForLayout(page, (l) => l.assignment.rects.name_note, 20000);
    assert.ok(layout.assignment.rects.name_note[3] > 0);
    assert.equal((await labState(page)).state.student, '李雷');
    assert.equal(await page.evaluate(() => location.hash), '#v1/course?ex=1-13&name=%E6%9D%8E%E9%9B%B7');
    await page.screenshot({ path: join(args.out, 'assignment-name-cjk.png') });
    // A broken name is refused naming the field, and the view keeps its work.
    const before = await labState(page);
    await page.evaluate(() => { location.hash = '#v1/course?ex=1-13&name=Ann%C3'; });
    await page.waitForFunction(() => Module.ccall('nnplay_message', 'string') !== '', null, { timeout: 20000 });
    const message = await page.evaluate(() => Module.ccall('nnplay_message', 'string'));
    assert.match(message, /name: the name is not valid UTF-8/);
    assert.deepEqual(await labState(page), before);
  });

  await test('no page errors', async () => {
    assert.deepEqual(errors, []);
  });
});
