// conv_direct.h: stride-1 convolution kernels for Network's conv layers (nn/network.cpp) that
// read a zero-padded copy of the input directly, with no im2col matrix: the forward (and the
// input gradient, itself a stride-1 convolution of the padded output gradient), and the
// weight gradient over a whole batch.
//
// Why: an im2col matrix holds every input value k_h·k_w times. For ConvNetJS's MNIST net it
// was 3.5 MB a batch (kept from the forward for the weight gradient, then transposed into a
// second 3.5 MB copy), more than the core's L2; the padded inputs it is built from are 220 KB.
//
// Same numbers as the GEMMs they replace: every output is the same terms added in the same
// order, from +0, with the same multiply-then-add (SIMD128 has no FMA), so the results equal
// gemm_ref on the im2col matrix bit for bit (tests/engine/conv_direct_test.cpp):
// - forward: out[o][oy·ow + ox] = Σ_j w[o][j] · padded[off[j] + oy·pw + ox] over the taps
//   j = (c·k_h + ky)·k_w + kx in order (padded taps included: they are the zeros the im2col
//   held), then + bias[o];
// - weight gradient: dw[o][j] = Σ_s Σ_oy Σ_ox dout[s][o][oy·ow + ox] · padded_s[off[j] + oy·pw
//   + ox], samples then positions in order (gemm_ref on dOut[O, N·HW] × colsᵀ).
#pragma once

#include <cstddef>

namespace nnplay {

// Floats a padded buffer holds past its planes: the forward's edge tiles read (and discard)
// up to 4 values past a row's last output column.
constexpr int kConvDirectSlack = 8;

// in_c planes of ph × pw floats (the zero-padded input, plane after plane), a k_h × k_w
// kernel, out_c outputs, stride 1.
struct ConvDirectShape {
  int in_c = 0, ph = 0, pw = 0, k_h = 0, k_w = 0, out_c = 0;
  int out_h() const { return ph - k_h + 1; }
  int out_w() const { return pw - k_w + 1; }
  int taps() const { return in_c * k_h * k_w; }
  // Floats of one padded input, slack included.
  size_t padded_size() const {
    return static_cast<size_t>(in_c) * ph * pw + static_cast<size_t>(kConvDirectSlack);
  }
};

// Copies in [in_c, in_h, in_w] into padded (s.padded_size() floats; s.ph = in_h + top +
// bottom, s.pw = in_w + left + right) with zero borders and a zero slack.
void conv_direct_pad(const ConvDirectShape& s, int in_h, int in_w, int top, int left,
                     const float* in, float* padded);

// off[j] = c·ph·pw + ky·pw + kx for the s.taps() taps.
void conv_direct_offsets(const ConvDirectShape& s, int* off);

// The forward for output-channel panels [p_begin, p_end) (panel p: channels 4p..4p+3):
// out [out_c, out_h·out_w]; w packed by gemm_pack_a(out_c, taps, w, taps, ...) (kernels/gemm.h);
// bias may be null.
void conv_direct_forward(const ConvDirectShape& s, const float* padded, const float* packed_w,
                         const int* off, const float* bias, float* out, int p_begin, int p_end);

// The output gradient dout [batch, out_c, hw] in tiles of 8 channels (the last one 4 or 8
// wide: ⌈channels left / 4⌉·4): tile t at 8t·batch·hw, [s·hw + pos][width], lanes past
// out_c zero. Tiles [t_begin, t_end).
size_t conv_direct_packed_dout_size(int out_c, int hw, int batch);
int conv_direct_dout_tiles(int out_c);
void conv_direct_pack_dout(int out_c, int hw, int batch, const float* dout, float* packed,
                           int t_begin, int t_end);

// The weight gradient dw [out_c, taps] (written, not accumulated) from the batch's padded
// inputs (sample s at padded + s·padded_stride) and the packed dout. Work items [i_begin,
// i_end) of conv_direct_wgrad_items(s): item i = channel tile i / g, taps 4·(i % g)..+3
// (g = ⌈taps / 4⌉); each writes its own outputs.
int conv_direct_wgrad_items(const ConvDirectShape& s);
void conv_direct_wgrad(const ConvDirectShape& s, int batch, const float* padded,
                       size_t padded_stride, const float* packed_dout, const int* off, float* dw,
                       int i_begin, int i_end);

}  // namespace nnplay
