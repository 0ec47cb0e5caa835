// batchnorm.test.mjs: the batch-normalization lab in Debian's Chromium: every preset link
// opens with the course's E6 values, a batch value typed on the canvas changes mu, sigma
// and y as computed by hand, check my work, and a phone-width screenshot.
//
//   node tests/browser/batchnorm.test.mjs --site build/wasm/web/site [--out DIR]
import { join } from 'node:path';

import { run, assert, openLab, labState, settle, typeIntoCell, near } from './norm_labs.mjs';

const BASE = 'v1/batchnorm?x=1x5:2,4,6,8,10&g=1:2&b=1:-1';
const E6 = `${BASE}&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1&check=`;
const E6_EPS = `${BASE}&eps=1e-5&mom=0.1&mode=train&rm=1:0&rv=1:1&check=`;
const E6_STUDENT = `${BASE}&eps=0&mom=0.1&mode=train&rm=1:0&rv=1:1&check=mu:6;sigma:3.464;y:-3.308,-2.154,-1,0.154,1.308`;
const E6_INFER = `${BASE}&eps=0&mom=0.1&mode=infer&rm=1:0.6&rv=1:1.7&check=`;
const TWO = 'v1/batchnorm?x=2x4:1,2,3,4,10,20,30,40&g=2:1*2&b=2:0*2&eps=1e-5&mom=0.1&mode=train&rm=2:0*2&rv=2:1*2&check=';

const Y = [-3.8284, -2.4142, -1, 0.4142, 1.8284];
const XHAT = [-1.4142, -0.7071, 0, 0.7071, 1.4142];

await run(async ({ server, browser, test, args }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));

  await test('E6 opens: mu 6, var 8, sigma 2.8284, xhat and y as in the exercise', async () => {
    await openLab(page, `${server.url}#${E6}`);
    const s = await labState(page);
    assert.equal(s.lab, 'batchnorm');
    assert.equal(s.link, E6);
    const t = s.result.train;
    assert.deepEqual(t.mean.values, [6]);
    assert.deepEqual(t.var.values, [8]);
    near(t.sigma.values, [2.8284], 5e-5, 'sigma');
    near(t.xhat.values, XHAT, 5e-5, 'xhat');
    near(t.y.values, Y, 5e-5, 'y');
    // One training step from (0, 1), momentum 0.1: 0.6 and 1.7.
    near(t.running_mean.values, [0.6], 1e-6, 'running mean');
    near(t.running_var.values, [1.7], 1e-6, 'running var');
    await page.screenshot({ path: join(args.out, 'batchnorm-e6.png') });
  });

  await test('E6 with eps = 1e-5: sigma 2.8284289, y[0] -3.8284254 (sixth digit)', async () => {
    await openLab(page, `${server.url}#${E6_EPS}`);
    const s = await labState(page);
    near(s.result.train.sigma.values, [2.8284289], 1e-6, 'sigma');
    near([s.result.train.y.values[0]], [-3.8284254], 1e-6, 'y0');
    near(s.result.train.y.values, Y, 5e-5, 'y');
  });

  await test("E6 with the student's answers: sigma and y flagged, mu accepted", async () => {
    await openLab(page, `${server.url}#${E6_STUDENT}`);
    const s = await labState(page);
    const st = Object.fromEntries(s.check.steps.map((x) => [x.id, x.status]));
    assert.deepEqual(st.mu, ['right']);
    assert.deepEqual(st.sigma, ['wrong']);
    // From their sigma 3.464: y = 2(x - 6)/3.464 - 1 = [-3.309469, -2.154734, -1, 0.154734,
    // 1.309469]; -2.154 and 0.154 are those truncated (right for their earlier value).
    assert.deepEqual(st.y, ['wrong', 'carried', 'right', 'carried', 'wrong']);
    assert.equal(s.check.first_wrong_step, 'sigma');
    await page.screenshot({ path: join(args.out, 'batchnorm-e6-student.png') });
  });

  await test('E6 at inference uses the running statistics (0.6, 1.7)', async () => {
    await openLab(page, `${server.url}#${E6_INFER}`);
    const s = await labState(page);
    // y = 2 (x - 0.6)/sqrt(1.7) - 1: sqrt(1.7) = 1.3038405.
    near(s.result.infer.y.values, [1.147502, 4.215362, 7.283222, 10.351082, 13.418942], 2e-6, 'y');
    await page.screenshot({ path: join(args.out, 'batchnorm-infer.png') });
  });

  await test('two features on different scales get the same xhat', async () => {
    await openLab(page, `${server.url}#${TWO}`);
    const s = await labState(page);
    near(s.result.train.xhat.values.slice(0, 4), s.result.train.xhat.values.slice(4), 1e-5, 'xhat');
  });

  await test('type 0 over x5 = 10 in E6: mu 4, var 8, y [-2.414214, ..., -3.828427]', async () => {
    await openLab(page, `${server.url}#${E6}`);
    await typeIntoCell(page, 'input', 0, 4, '0');
    const s = await labState(page);
    assert.deepEqual(s.state.x.values, [2, 4, 6, 8, 0]);
    // mu = 20/5 = 4; var = (4 + 0 + 4 + 16 + 16)/5 = 8; y = 2 (x - 4)/2.828427 - 1.
    assert.deepEqual(s.result.train.mean.values, [4]);
    assert.deepEqual(s.result.train.var.values, [8]);
    near(s.result.train.y.values, [-2.414214, -1, 0.414214, 1.828427, -3.828427], 1e-5, 'y');
    await page.screenshot({ path: join(args.out, 'batchnorm-edited.png') });
  });

  await test('phone width at pixel ratio 2', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    await openLab(phone, `${server.url}#${E6_STUDENT}`);
    const l = JSON.parse(await phone.evaluate(() => Module.ccall('nnplay_layout_json', 'string')));
    assert.ok(l.input.x + l.input.cols * l.input.cell <= 390.5, JSON.stringify(l.input));
    await settle(phone);
    await phone.screenshot({ path: join(args.out, 'batchnorm-phone.png') });
    await phone.close();
  });

  assert.deepEqual(errors, []);
});
