// face.test.mjs: the page's type and theme in Debian's Chromium at three profiles (1280x800 at
// DPR 1 and 2, a 390x844 phone at DPR 3 with touch): the font atlas holds the notation's
// characters and was rasterised at the page's pixel ratio (so it grows with it); the theme
// follows the emulated colour scheme, the header's toggle overrides it and survives a reload,
// and it never enters the link. Screenshots of each profile in both themes go to --out.
//
//   node tests/browser/face.test.mjs --site build/wasm/web/site [--out DIR]
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { openLab, settle, layoutOf, waitForLayout, testArgs, runTests } from './harness.mjs';

const args = testArgs();

const E9 = 'v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1';
// σ ∂ ₉ ² ᵀ ⌊, and Inter's own glyphs beside ones only the DejaVu fallback has (ᵀ ⌊ ∇).
const GLYPHS = ['σ', '∂', '₉', '²', 'ᵀ', '⌊', '⌋', '∇', 'μ', '×', '−', '≈', '√'];
const PROFILES = [
  { name: 'desktop-dpr1', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  { name: 'desktop-dpr2', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 },
  {
    name: 'phone-dpr3', viewport: { width: 390, height: 844 }, deviceScaleFactor: 3,
    isMobile: true, hasTouch: true,
  },
];

const face = (page, text = '') =>
  page.evaluate((t) => JSON.parse(Module.ccall('nnplay_face_json', 'string', ['string'], [t])), text);

async function clickButton(page, name) {
  const layout = await layoutOf(page);
  const r = layout.buttons[name];
  assert.ok(r, `no '${name}' button in ${JSON.stringify(layout.buttons)}`);
  await page.mouse.click(r[0] + r[2] / 2, r[1] + r[3] / 2);
  await settle(page);
}

await runTests(args, async ({ server, browser, test }) => {
  const atlasArea = {};
  for (const profile of PROFILES) {
    const { name, ...options } = profile;
    const dpr = options.deviceScaleFactor;

    await test(`${name}: the atlas holds ${GLYPHS.join(' ')} and was rasterised at DPR ${dpr}`, async () => {
      const context = await browser.newContext({ ...options, colorScheme: 'light' });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await openLab(page, `${server.url}#${E9}`);
      const f = await face(page, GLYPHS.join(''));
      assert.equal(f.pixel_ratio, dpr);
      for (const g of GLYPHS) {
        assert.ok(f.glyphs[g], `no entry for ${g}`);
        for (const font of ['body', 'bold', 'heading', 'mono'])
          assert.equal(f.glyphs[g][font], true, `${font} font lacks ${g} (U+${g.codePointAt(0).toString(16)})`);
      }
      // Every font was rasterised at dpr device pixels per CSS pixel; the body's em is 15 CSS px
      // (≥ 15), its line height ascent - descent = 1.21 em (Inter's hhea) = 18.15 px.
      assert.ok(f.fonts.length >= 4);
      for (const font of f.fonts) assert.ok(Math.abs(font.raster_px - font.css_px * dpr) < 1e-3, JSON.stringify(font));
      assert.ok(Math.abs(f.fonts[0].css_px - 15 * 1.2102) < 0.01, JSON.stringify(f.fonts[0]));
      assert.ok(f.atlas_width > 0 && f.atlas_height > 0);
      atlasArea[dpr] = f.atlas_width * f.atlas_height;
      assert.equal(f.theme, 'light');
      assert.equal(f.theme_chosen, false);
      await page.screenshot({ path: join(args.out, `face-${name}-light.png`) });
      assert.deepEqual(errors, []);
      await context.close();
    });

    await test(`${name}: the theme follows the colour scheme; the toggle overrides it and survives a reload`, async () => {
      const context = await browser.newContext({ ...options, colorScheme: 'dark' });
      const page = await context.newPage();
      await openLab(page, `${server.url}#${E9}`);
      assert.equal((await face(page)).theme, 'dark');
      await page.screenshot({ path: join(args.out, `face-${name}-dark.png`) });

      // The browser's preference changes while the page is open: the page follows.
      await page.emulateMedia({ colorScheme: 'light' });
      await waitForLayout(page, () => true);
      await settle(page, 40);
      assert.equal((await face(page)).theme, 'light');

      await clickButton(page, 'theme');  // now dark, by choice
      let f = await face(page);
      assert.equal(f.theme, 'dark');
      assert.equal(f.theme_chosen, true);
      assert.equal(await page.evaluate(() => localStorage.getItem('nnplay.theme')), 'dark');
      assert.ok(!(await page.evaluate(() => location.hash)).includes('theme'), 'the theme is not in the link');

      await page.reload();
      await openLab(page);
      f = await face(page);
      assert.equal(f.theme, 'dark', 'the choice survives a reload under a light preference');
      assert.equal(f.theme_chosen, true);

      await clickButton(page, 'theme');  // and back to light
      assert.equal((await face(page)).theme, 'light');
      assert.equal(await page.evaluate(() => localStorage.getItem('nnplay.theme')), 'light');
      await context.close();
    });
  }

  await test('the atlas grows with the pixel ratio (DPR 2 and 3 hold more texels than DPR 1)', async () => {
    assert.ok(atlasArea[1] && atlasArea[2] && atlasArea[3], JSON.stringify(atlasArea));
    // Glyphs rasterised at r x the size take about r² x the area; the atlas is rounded up
    // to powers of two, so only ask for clearly more.
    assert.ok(atlasArea[2] >= 2 * atlasArea[1], JSON.stringify(atlasArea));
    assert.ok(atlasArea[3] > atlasArea[2], JSON.stringify(atlasArea));
  });
});
