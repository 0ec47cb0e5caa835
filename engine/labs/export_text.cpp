// export_text.cpp: see export_text.h.
#include "labs/export_text.h"

#include <cmath>
#include <cstdio>

#include "link/number.h"

namespace nnplay {
namespace {

void AppendList(const Tensor& t, int axis, size_t* offset, std::string* out) {
  out->push_back('[');
  const int n = t.dim(axis);
  for (int i = 0; i < n; ++i) {
    if (i > 0) out->append(", ");
    if (axis + 1 == t.rank()) {
      out->append(PyNum(t[(*offset)++]));
    } else {
      AppendList(t, axis + 1, offset, out);
    }
  }
  out->push_back(']');
}

}  // namespace

std::string PyNum(float v) {
  if (std::isnan(v)) return "float('nan')";
  if (std::isinf(v)) return v > 0 ? "float('inf')" : "float('-inf')";
  return FormatFloat(v);
}

std::string PyFloat(float v) {
  if (std::isnan(v)) return "float(\"nan\")";
  if (std::isinf(v)) return v > 0 ? "float(\"inf\")" : "-float(\"inf\")";
  std::string text = FormatFloat(v);
  if (text.find_first_of(".e") == std::string::npos) text += ".0";  // a float, not an int
  return text;
}

std::string PyList(const Tensor& t) {
  if (t.rank() == 0 || t.empty()) return "[]";
  std::string out;
  size_t offset = 0;
  AppendList(t, 0, &offset, &out);
  return out;
}

std::string PyStr(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out.append(buf);
    } else {
      out.push_back(c);  // UTF-8 passes through (Python 3 source is UTF-8)
    }
  }
  out.push_back('"');
  return out;
}

std::string ScriptHeader(const std::string& title, const std::string& link, bool torch) {
  return "# nnplay, " + title + "\n# Rebuilds the state of this share link in " +
         (torch ? "PyTorch" : "NumPy") + " and prints what the lab shows:\n#   " + link +
         "\n# (results, at the end, maps each value to its place in `nnplay eval`'s JSON.)\n\n";
}

}  // namespace nnplay
