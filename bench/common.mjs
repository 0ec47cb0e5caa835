// common.mjs: what the page benchmarks share.

// The conv lab at the size the page is measured at: 128×128 zeros, 8 filters of 3×3
// (vertical, horizontal, Sobel x, Sobel y, Laplacian, blur-ish, sharpen, identity; one
// channel each), same padding, ReLU and 2×2 max pooling.
const PAINT_FILTERS = [
  '1,0,-1,1,0,-1,1,0,-1', '1,1,1,0,0,0,-1,-1,-1', '1,0,-1,2,0,-2,1,0,-1', '1,2,1,0,0,0,-1,-2,-1',
  '0,1,0,1,-4,1,0,1,0', '1,1,1,1,1,1,1,1,1', '0,-1,0,-1,5,-1,0,-1,0', '0,0,0,0,1,0,0,0,0',
].join(',');
export const CONV_128_LINK = `v1/conv?in=128x128:0*16384&f=8x3x3:${PAINT_FILTERS}&pad=same&stride=1&dil=1&act=relu&pool=max:2:2`;

// The q-quantile of xs (nearest rank, from below).
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

export const fmtMs = (v) => `${v.toFixed(2)} ms`;
