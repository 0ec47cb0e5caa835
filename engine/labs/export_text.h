// export_text.h: Python source text for the exporters (engine/labs/<lab>_export.cpp):
// numbers and tensors as Python literals, exactly as the link holds them, so a script
// rebuilds the lab's state bit for bit (float32 values written with the fewest digits that
// read back to the same float).
#pragma once

#include <string>

#include "tensor.h"

namespace nnplay {

// A float as a Python literal: "0.5", "-2", "1e-5" (link/number.h's FormatFloat, which
// Python reads as the same value); NaN and infinities as float('nan') / float('inf').
std::string PyNum(float v);
// The same as a float literal, for code that computes with it: "0.5", "-2.0", "1e-05";
// NaN and infinities as float("nan") / float("inf") / -float("inf").
std::string PyFloat(float v);
// A tensor as nested Python lists following its shape: "[[1, 2], [3, 4]]"; a rank-0 or
// empty tensor as "[]".
std::string PyList(const Tensor& t);
// A string as a Python string literal (double quotes, escapes).
std::string PyStr(const std::string& s);
// The first lines of every script: what it is, the link it rebuilds, how to run it.
//   # nnplay, softmax lab: p = softmax(x / T)
//   # Rebuilds the state of the link below in PyTorch and prints what the lab shows.
//   # v1/softmax?x=3:2,1,0.1&t=1&check=
std::string ScriptHeader(const std::string& title, const std::string& link, bool torch);

}  // namespace nnplay
