// conv_export.cpp: the convolution lab as a PyTorch or NumPy script (export.h). PyTorch:
// torch.nn.functional's conv2d / conv_transpose2d (groups, dilation, output_padding; F.pad
// or a crop for uneven padding), relu, max_pool2d / avg_pool2d (padding, ceil_mode,
// count_include_pad, dilation) and adaptive_*_pool2d. NumPy: the same sums as explicit
// loops over the output, the way the lab's trace writes them.
#include <string>

#include "labs/conv_lab.h"
#include "labs/export.h"
#include "labs/export_text.h"
#include "labs/notation.h"

namespace nnplay {
namespace {

std::string I(int v) {
  return std::to_string(v);
}
std::string Pair(int a, int b) {
  return "(" + I(a) + ", " + I(b) + ")";
}

}  // namespace

bool ExportConvLab(const Link& link, ExportLanguage language, std::string* script,
                   LinkError* error) {
  ConvLabState s;
  if (!DecodeConvLab(link, &s, error)) return false;
  const ConvLabResult r = EvaluateConvLab(s);
  const bool torch = language == ExportLanguage::kTorch;
  const Conv2dParams& p = r.params;  // padding as the lab resolved it (valid, same, explicit)
  const int c = s.channels(), o = s.filters(), kh = s.filter.dim(2), kw = s.filter.dim(3);

  std::string py = ScriptHeader(
      std::string("convolution lab: ") +
          (s.transposed ? "a transposed convolution" : "a convolution (cross-correlation)") +
          (s.relu ? ", ReLU" : "") + (s.pool != PoolMode::kNone ? ", pooling" : ""),
      EncodeConvLab(s), torch);
  py += torch ? "import torch\nimport torch.nn.functional as F\n\n" : "import numpy as np\n\n";
  const std::string f64 = torch ? ", dtype=torch.float64)" : ", dtype=np.float64)";
  const std::string arr = torch ? "torch.tensor(" : "np.array(";
  py += "# The input image: " + I(c) + " channel(s) of " + I(s.input.dim(1)) + " x " +
        I(s.input.dim(2)) + " cells.\n";
  py += "x = " + arr + PyList(s.input) + f64 + "\n";
  py += "# The filters: " + I(o) + " filter(s), each " + I(s.filter.dim(1)) + " channel(s) of " +
        I(kh) + " x " + I(kw) + " weights";
  py += s.groups > 1 ? " (groups = " + I(s.groups) + ": filter o sees only the " +
                           I(s.filter.dim(1)) + " input channel(s) of its group)\n"
                     : "\n";
  py += "w = " + arr + PyList(s.filter) + f64 + "\n";
  py += "stride = " + Pair(p.stride_h, p.stride_w) + "  # rows, columns\n";
  py += "dilation = " + Pair(p.dil_h, p.dil_w) + "\n";
  py += "groups = " + I(s.groups) + "\n";
  py += "top, bottom, left, right = " + I(p.pad_top) + ", " + I(p.pad_bottom) + ", " +
        I(p.pad_left) + ", " + I(p.pad_right) + "  # padding (" +
        (s.padding == PaddingMode::kValid  ? "valid: none"
         : s.padding == PaddingMode::kSame ? "same, as the lab resolved it"
                                           : "explicit") +
        ")\n";
  if (s.transposed)
    py += "output_padding = " + Pair(p.out_pad_h, p.out_pad_w) +
          "  # extra rows / columns after the last (PyTorch's output_padding)\n";
  py += "print('parameters:', " + I(static_cast<int>(s.parameters())) + ", '= " + I(o) + " x " +
        I(s.filter.dim(1)) + " x " + I(kh) + " x " + I(kw) + " weights')\n\n";

  if (!r.error.empty()) {
    py += "# The lab has no output for this state:\n";
    py += "print(" + PyStr(ToAscii(r.error)) + ")\n\n";
    py += "results = {'error': " + PyStr(ToAscii(r.error)) +
          ", 'parameters': " + I(static_cast<int>(s.parameters())) + "}\n";
    *script = std::move(py);
    return true;
  }
  const bool even = p.pad_top == p.pad_bottom && p.pad_left == p.pad_right;
  if (torch) {
    if (!s.transposed) {
      py +=
          "# The convolution (PyTorch's conv2d is the lab's cross-correlation). A batch of one:\n";
      py += "# x[None] is 1 x C x H x W.\n";
      if (even) {
        py +=
            "y = F.conv2d(x[None], w, stride=stride, padding=(top, left), dilation=dilation,\n"
            "             groups=groups)[0]\n";
      } else {
        py +=
            "# Uneven padding: F.pad adds the zeros first (its order: left, right, top, "
            "bottom).\n";
        py += "x_padded = F.pad(x[None], (left, right, top, bottom))\n";
        py += "y = F.conv2d(x_padded, w, stride=stride, dilation=dilation, groups=groups)[0]\n";
      }
    } else {
      py +=
          "# conv_transpose2d keeps its weights as [in channels, out channels / groups, KH, KW];\n";
      py += "# the lab's filter o, channel c of group g is its [g * C/groups + c, o within g].\n";
      py += "opg, cpg = w.shape[0] // groups, w.shape[1]\n";
      py += "w_t = w.reshape(groups, opg, cpg, " + I(kh) + ", " + I(kw) + ").transpose(1, 2)" +
            ".reshape(groups * cpg, opg, " + I(kh) + ", " + I(kw) + ")\n";
      if (even) {
        py +=
            "y = F.conv_transpose2d(x[None], w_t, stride=stride, padding=(top, left),\n"
            "                       output_padding=output_padding, groups=groups,\n"
            "                       dilation=dilation)[0]\n";
      } else {
        py +=
            "# Uneven padding: the whole transposed output, then the padding cut off each side.\n";
        py +=
            "full = F.conv_transpose2d(x[None], w_t, stride=stride, "
            "output_padding=output_padding,\n"
            "                          groups=groups, dilation=dilation)[0]\n";
        py += "y = full[:, top:full.shape[1] - bottom, left:full.shape[2] - right]\n";
      }
    }
  } else {
    py += "C, H, W = x.shape\nO, Cg, KH, KW = w.shape  # Cg = C / groups channels per filter\n";
    py += "(sh, sw), (dh, dw) = stride, dilation\n";
    if (!s.transposed) {
      py += "xp = np.pad(x, ((0, 0), (top, bottom), (left, right)))  # the zero padding\n";
      py += "OH = (H + top + bottom - dh * (KH - 1) - 1) // sh + 1\n";
      py += "OW = (W + left + right - dw * (KW - 1) - 1) // sw + 1\n";
      py += "y = np.zeros((O, OH, OW))\n";
      py += "for o in range(O):\n";
      py += "    g = o // (O // groups)  # filter o's group reads channels g*Cg .. g*Cg + Cg - 1\n";
      py += "    for i in range(OH):\n        for j in range(OW):\n";
      py += "            # The cells under the filter: every dh-th row, every dw-th column.\n";
      py +=
          "            patch = xp[g * Cg:(g + 1) * Cg, i * sh:i * sh + dh * (KH - 1) + 1:dh,\n"
          "                       j * sw:j * sw + dw * (KW - 1) + 1:dw]\n";
      py += "            y[o, i, j] = (patch * w[o]).sum()  # sum of input x weight\n";
    } else {
      py += "# Each input value spreads its weighted copy of the filter over the output.\n";
      py +=
          "full = np.zeros((O, (H - 1) * sh + dh * (KH - 1) + 1 + output_padding[0],\n"
          "                 (W - 1) * sw + dw * (KW - 1) + 1 + output_padding[1]))\n";
      py += "for o in range(O):\n";
      py += "    g = o // (O // groups)\n";
      py += "    for c in range(Cg):\n        for i in range(H):\n            for j in range(W):\n";
      py +=
          "                full[o, i * sh:i * sh + dh * (KH - 1) + 1:dh,\n"
          "                     j * sw:j * sw + dw * (KW - 1) + 1:dw] += x[g * Cg + c, i, j] * "
          "w[o, c]\n";
      py += "# The padding cuts rows and columns off the full result.\n";
      py += "y = full[:, top:full.shape[1] - bottom, left:full.shape[2] - right]\n";
    }
  }
  py += "print('output', tuple(y.shape), ':')\nprint(y)\n";
  std::string map = "y";
  if (s.relu) {
    py += "a = " + std::string(torch ? "torch.relu(y)" : "np.maximum(y, 0)") +
          "  # ReLU: negative values become 0\nprint('after ReLU:')\nprint(a)\n";
    map = "a";
  }
  const bool pooled = !r.pooled.empty();
  const bool is_max = s.pool == PoolMode::kMax || s.pool == PoolMode::kAdaptiveMax;
  if (pooled) {
    const bool adaptive = s.pool == PoolMode::kAdaptiveMax || s.pool == PoolMode::kAdaptiveAvg;
    if (torch) {
      if (adaptive) {
        py += std::string("# Adaptive pooling: the map cut into ") + I(s.pool_out_h) + " x " +
              I(s.pool_out_w) + " windows" +
              (s.pool_out_h == 1 && s.pool_out_w == 1 ? " (global pooling)" : "") + ".\n";
        py += std::string("pooled = F.adaptive_") + (is_max ? "max" : "avg") + "_pool2d(" + map +
              "[None], " + Pair(s.pool_out_h, s.pool_out_w) + ")[0]\n";
      } else if (is_max) {
        py += "pooled = F.max_pool2d(" + map + "[None], " + Pair(s.pool_kh, s.pool_kw) +
              ", stride=" + Pair(s.pool_sh, s.pool_sw) +
              ", padding=" + Pair(s.pool_pad_h, s.pool_pad_w) +
              ",\n                      dilation=" + Pair(s.pool_dil_h, s.pool_dil_w) +
              ", ceil_mode=" + (s.pool_ceil ? "True" : "False") + ")[0]\n";
      } else {
        py += "pooled = F.avg_pool2d(" + map + "[None], " + Pair(s.pool_kh, s.pool_kw) +
              ", stride=" + Pair(s.pool_sh, s.pool_sw) +
              ", padding=" + Pair(s.pool_pad_h, s.pool_pad_w) +
              ",\n                      ceil_mode=" + (s.pool_ceil ? "True" : "False") +
              ", count_include_pad=" + (s.pool_count_pad ? "True" : "False") + ")[0]\n";
      }
    } else {
      py += "M = " + map + "\n";
      if (adaptive) {
        py +=
            "def windows(n, out):  # adaptive: window i covers [floor(i n/out), ceil((i+1) "
            "n/out))\n";
        py += "    return [(i * n // out, -(-(i + 1) * n // out)) for i in range(out)]\n";
        py += "rows, cols = windows(M.shape[1], " + I(s.pool_out_h) + "), windows(M.shape[2], " +
              I(s.pool_out_w) + ")\n";
        py += "pooled = np.array([[[M[ch, r0:r1, c0:c1]." + std::string(is_max ? "max" : "mean") +
              "() for (c0, c1) in cols] for (r0, r1) in rows]\n"
              "                   for ch in range(M.shape[0])])\n";
      } else {
        py += "k, st, pd = " + Pair(s.pool_kh, s.pool_kw) + ", " + Pair(s.pool_sh, s.pool_sw) +
              ", " + Pair(s.pool_pad_h, s.pool_pad_w) + "  # window, stride, padding\n";
        py += "dl = " + Pair(is_max ? s.pool_dil_h : 1, is_max ? s.pool_dil_w : 1) +
              "  # dilation (max pooling)\n";
        py += std::string("ceil_mode = ") + (s.pool_ceil ? "True" : "False") + "\n";
        py += "def count(n, a):  # how many windows fit along axis a (floor, or ceil mode)\n";
        py += "    span = n + 2 * pd[a] - dl[a] * (k[a] - 1) - 1\n";
        py += "    out = (-(-span // st[a]) if ceil_mode else span // st[a]) + 1\n";
        py += "    if ceil_mode and (out - 1) * st[a] >= n + pd[a]:\n";
        py += "        out -= 1  # a last window must start inside the map or its padding\n";
        py += "    return out\n";
        py += "PH, PW = count(M.shape[1], 0), count(M.shape[2], 1)\n";
        py += "pooled = np.zeros((M.shape[0], PH, PW))\n";
        py +=
            "for ch in range(M.shape[0]):\n    for i in range(PH):\n        for j in range(PW):\n";
        py += "            y0, x0 = i * st[0] - pd[0], j * st[1] - pd[1]  # window's first cell\n";
        py +=
            "            ys = [y0 + t * dl[0] for t in range(k[0]) if 0 <= y0 + t * dl[0] < "
            "M.shape[1]]\n";
        py +=
            "            xs = [x0 + t * dl[1] for t in range(k[1]) if 0 <= x0 + t * dl[1] < "
            "M.shape[2]]\n";
        py += "            cells = M[ch][np.ix_(ys, xs)]  # the map's cells in the window\n";
        if (is_max) {
          py += "            pooled[ch, i, j] = cells.max() if cells.size else -np.inf\n";
        } else if (s.pool_count_pad) {
          py +=
              "            # count_include_pad: padded cells count, the overhang past the "
              "padding does not\n";
          py += "            n_h = min(y0 + k[0], M.shape[1] + pd[0]) - y0\n";
          py += "            n_w = min(x0 + k[1], M.shape[2] + pd[1]) - x0\n";
          py += "            pooled[ch, i, j] = cells.sum() / (n_h * n_w)\n";
        } else {
          py += "            pooled[ch, i, j] = cells.mean()  # padded cells do not count\n";
        }
      }
    }
    py += "print('pooled', tuple(pooled.shape), ':')\nprint(pooled)\n";
  } else if (s.pool != PoolMode::kNone) {
    py += "# No pooled map: " + ToAscii(r.pool_error) + "\n";
  }
  py +=
      "\nresults = {'output': y, 'output_size/rows': y.shape[1], 'output_size/cols': y.shape[2],\n";
  py += "           'parameters': " + I(static_cast<int>(s.parameters())) + "}\n";
  py += "# The padding the lab used (same padding resolved), and a transposed output padding.\n";
  py += "results['padding'] = {'top': top, 'bottom': bottom, 'left': left, 'right': right}\n";
  if (s.transposed) py += "results['output_padding'] = list(output_padding)\n";
  if (s.relu) py += "results['activated'] = a\n";
  if (pooled) py += "results['pooled'] = pooled\n";
  *script = std::move(py);
  return true;
}

}  // namespace nnplay
