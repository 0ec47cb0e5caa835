// fashion_asset.test.mjs: the baked Fashion-MNIST asset (cmake/fashion_tool.py, format in
// engine/data/fashion.h) holds exactly Debian's images and labels: every pixel and label of
// the asset against the IDX files (gunzipped here with node's zlib, parsed from their own
// headers), and its size within the 5 MB gzip budget of a download.
//
//   node tests/tools/fashion_asset.test.mjs ASSET [IDX_DIR]
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const [asset, dir = '/usr/share/datasets/fashion-mnist'] = process.argv.slice(2);
assert.ok(asset, 'usage: fashion_asset.test.mjs ASSET [IDX_DIR]');

function idx(name, magic) {
  const b = gunzipSync(readFileSync(join(dir, `${name}.gz`)));
  assert.equal(b.readUInt32BE(0), magic, `${name}: magic`);
  const dims = magic & 0xff;
  const shape = Array.from({ length: dims }, (_, i) => b.readUInt32BE(4 + 4 * i));
  return { shape, body: b.subarray(4 + 4 * dims) };
}

let passed = 0;
let failed = 0;
function test(name, fn) {
  try {
    fn();
    console.log(`ok - ${name}`);
    passed++;
  } catch (e) {
    console.log(`not ok - ${name}\n${e.stack}`);
    failed++;
  }
}

const a = readFileSync(asset);
const train = a.readUInt32LE(8);
const test_ = a.readUInt32LE(12);

test('the header: NNFM, version 1, 8,000 + 2,000 images of 28x28', () => {
  assert.equal(a.subarray(0, 4).toString('latin1'), 'NNFM');
  assert.equal(a.readUInt32LE(4), 1);
  assert.deepEqual([train, test_, a.readUInt32LE(16), a.readUInt32LE(20)], [8000, 2000, 28, 28]);
  assert.equal(a.length, 24 + (train + test_) * 785);
});

test('every pixel and label equals the IDX files\'', () => {
  let at = 24;
  for (const [prefix, n] of [['train', train], ['t10k', test_]]) {
    const images = idx(`${prefix}-images-idx3-ubyte`, 0x803);
    const labels = idx(`${prefix}-labels-idx1-ubyte`, 0x801);
    assert.deepEqual(images.shape.slice(1), [28, 28]);
    assert.ok(images.shape[0] >= n && labels.shape[0] >= n);
    const px = a.subarray(at, at + n * 784);
    at += n * 784;
    const ys = a.subarray(at, at + n);
    at += n;
    assert.ok(px.equals(images.body.subarray(0, n * 784)), `${prefix} pixels differ`);
    assert.ok(ys.equals(labels.body.subarray(0, n)), `${prefix} labels differ`);
    // Not a vacuous match: the images have ink and all ten classes are there.
    assert.ok(px.some((v) => v > 200));
    assert.equal(new Set(ys).size, 10);
  }
  assert.equal(at, a.length);
});

test('the download is at most 5 MB gzip', () => {
  const gz = gzipSync(a, { level: 9 }).length;
  console.log(`   ${a.length} bytes, ${gz} gzip -9`);
  assert.ok(gz <= 5e6, `${gz} bytes gzip`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
