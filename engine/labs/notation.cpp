// notation.cpp: see notation.h.
#include "labs/notation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nnplay {
namespace {

// "1.50000" → "1.5", "2.000" → "2", "30" → "30".
void DropTrailingZeros(std::string* s) {
  if (s->find('.') == std::string::npos) return;
  while (!s->empty() && s->back() == '0') s->pop_back();
  if (!s->empty() && s->back() == '.') s->pop_back();
}

// ASCII '-' → U+2212.
std::string WithMinus(std::string s) {
  if (!s.empty() && s[0] == '-') s.replace(0, 1, kMinus);
  return s;
}

double RoundTo(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  return std::strtod(buf, nullptr);
}

struct Script {
  char ascii;
  const char* sub;  // nullptr: no subscript form
  const char* sup;  // nullptr: no superscript form
};

constexpr Script kScripts[] = {
    {'0', "\xE2\x82\x80", "\xE2\x81\xB0"}, {'1', "\xE2\x82\x81", "\xC2\xB9"},
    {'2', "\xE2\x82\x82", "\xC2\xB2"},     {'3', "\xE2\x82\x83", "\xC2\xB3"},
    {'4', "\xE2\x82\x84", "\xE2\x81\xB4"}, {'5', "\xE2\x82\x85", "\xE2\x81\xB5"},
    {'6', "\xE2\x82\x86", "\xE2\x81\xB6"}, {'7', "\xE2\x82\x87", "\xE2\x81\xB7"},
    {'8', "\xE2\x82\x88", "\xE2\x81\xB8"}, {'9', "\xE2\x82\x89", "\xE2\x81\xB9"},
    {'+', "\xE2\x82\x8A", "\xE2\x81\xBA"}, {'-', "\xE2\x82\x8B", "\xE2\x81\xBB"},
    {'=', "\xE2\x82\x8C", "\xE2\x81\xBC"}, {'(', "\xE2\x82\x8D", "\xE2\x81\xBD"},
    {')', "\xE2\x82\x8E", "\xE2\x81\xBE"}, {'a', "\xE2\x82\x90", nullptr},
    {'e', "\xE2\x82\x91", nullptr},        {'o', "\xE2\x82\x92", nullptr},
    {'x', "\xE2\x82\x93", nullptr},        {'h', "\xE2\x82\x95", nullptr},
    {'k', "\xE2\x82\x96", nullptr},        {'l', "\xE2\x82\x97", nullptr},
    {'m', "\xE2\x82\x98", nullptr},        {'n', "\xE2\x82\x99", "\xE2\x81\xBF"},
    {'p', "\xE2\x82\x9A", nullptr},        {'s', "\xE2\x82\x9B", nullptr},
    {'t', "\xE2\x82\x9C", nullptr},        {'i', "\xE1\xB5\xA2", "\xE2\x81\xB1"},
    {'r', "\xE1\xB5\xA3", nullptr},        {'u', "\xE1\xB5\xA4", nullptr},
    {'v', "\xE1\xB5\xA5", nullptr},        {'j', "\xE2\xB1\xBC", nullptr},
    {'T', nullptr, "\xE1\xB5\x80"},
};

std::string Scripted(std::string_view text, bool sub) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    // U+2212 counts as '-'.
    char c = text[i];
    if (text.substr(i, 3) == kMinus) c = '-', i += 2;
    const char* form = nullptr;
    for (const Script& s : kScripts)
      if (s.ascii == c) form = sub ? s.sub : s.sup;
    if (form) {
      out += form;
    } else if (c == '-') {
      out += kMinus;
    } else {
      out += c;
    }
  }
  return out;
}

// One UTF-8 code point at s[i] (advancing i); invalid bytes are returned one by one.
unsigned Decode(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return c;
  }
  unsigned cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    const unsigned char d = static_cast<unsigned char>(s[*i + k]);
    if ((d & 0xC0) != 0x80) {
      ++*i;
      return c;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  *i += len;
  return cp;
}

std::string Encode(unsigned cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

// The ASCII of a sub- or superscript code point; 0 when it is neither.
char ScriptAscii(unsigned cp, bool* sub) {
  for (const Script& s : kScripts) {
    for (int k = 0; k < 2; ++k) {
      const char* form = k == 0 ? s.sub : s.sup;
      if (!form) continue;
      size_t i = 0;
      if (Decode(form, &i) == cp) {
        *sub = k == 0;
        return s.ascii;
      }
    }
  }
  return 0;
}

const char* SymbolAscii(unsigned cp) {
  switch (cp) {
    case 0x00D7:
      return "*";  // ×
    case 0x00B7:
      return "*";  // ·
    case 0x2212:
      return "-";  // −
    case 0x2013:
      return "-";  // –
    case 0x2248:
      return "=";  // ≈
    case 0x2202:
      return "d";  // ∂
    case 0x03C3:
      return "sigma";  // σ
    case 0x03A3:
      return "Sigma";  // Σ
    case 0x2211:
      return "sum";  // ∑
    case 0x03BC:
      return "mu";  // μ
    case 0x00B5:
      return "mu";  // µ (micro sign)
    case 0x03B5:
      return "eps";  // ε
    case 0x03B3:
      return "gamma";  // γ
    case 0x03B2:
      return "beta";  // β
    case 0x03B8:
      return "theta";  // θ
    case 0x03B7:
      return "eta";  // η
    case 0x03BB:
      return "lambda";  // λ
    case 0x2207:
      return "grad";  // ∇
    case 0x2032:
      return "'";  // ′
    case 0x221A:
      return "sqrt";  // √
    case 0x230A:
      return "floor(";  // ⌊
    case 0x230B:
      return ")";  // ⌋
    case 0x2308:
      return "ceil(";  // ⌈
    case 0x2309:
      return ")";  // ⌉
    case 0x2264:
      return "<=";  // ≤
    case 0x2265:
      return ">=";  // ≥
    case 0x221E:
      return "inf";  // ∞
    case 0x00B1:
      return "+-";  // ±
    case 0x2192:
      return "->";  // →
    case 0x2026:
      return "...";  // …
    case 0x2016:
      return "|";  // ‖
    case 0x02C6:
      return "hat";  // ˆ
    case 0x2009:
      return " ";  // thin space
    case 0x00A0:
      return " ";  // no-break space
    default:
      return nullptr;
  }
}

}  // namespace

std::string Num(double v, int digits) {
  digits = std::clamp(digits, 1, 9);
  if (std::isnan(v)) return "undefined";
  if (std::isinf(v)) return v > 0 ? kInf : std::string(kMinus) + kInf;
  if (v == 0) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  const char* e = std::strchr(buf, 'e');
  const int exponent = std::atoi(e + 1);
  if (exponent < -4 || exponent >= digits) {
    std::string mantissa(buf, static_cast<size_t>(e - buf));
    DropTrailingZeros(&mantissa);
    return WithMinus(mantissa) + kTimes + "10" + Sup(exponent);
  }
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, digits - 1 - exponent), v);
  std::string s = buf;
  DropTrailingZeros(&s);
  if (s == "-0") s = "0";
  return WithMinus(s);
}

std::string NumParen(double v, int digits) {
  const std::string s = Num(v, digits);
  return s.rfind(kMinus, 0) == 0 ? "(" + s + ")" : s;
}

bool Rounded(double v, int digits) {
  digits = std::clamp(digits, 1, 9);
  if (!std::isfinite(v) || v == 0) return false;
  return RoundTo(v, digits) != RoundTo(v, std::max(7, digits + 1));
}

std::string Eq(double v, int digits) {
  return std::string(Rounded(v, digits) ? " \xE2\x89\x88 " : " = ") + Num(v, digits);
}

std::string NumApprox(double v, int digits) {
  return (Rounded(v, digits) ? std::string(kApprox) + " " : std::string()) + Num(v, digits);
}

std::string Count(long long n) {
  const bool negative = n < 0;
  std::string digits = std::to_string(n);
  if (negative) digits.erase(0, 1);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return negative ? kMinus + out : out;
}

std::string Percent(double fraction, int digits) {
  return Num(fraction * 100.0, digits) + "%";
}

std::string Sub(std::string_view text) {
  return Scripted(text, true);
}
std::string Sub(long long n) {
  return Scripted(std::to_string(n), true);
}
std::string Sup(std::string_view text) {
  return Scripted(text, false);
}
std::string Sup(long long n) {
  return Scripted(std::to_string(n), false);
}

std::string Partial(std::string_view of, std::string_view by) {
  return std::string(kPartial) + std::string(of) + "/" + kPartial + std::string(by);
}

std::string Derivative(std::string_view f, std::string_view arg) {
  return std::string(f) + kPrime + "(" + std::string(arg) + ")";
}

std::string ToAscii(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const size_t at = i;
    const unsigned cp = Decode(s, &i);
    if (cp < 0x80 || i - at == 1) {  // ASCII, or a byte that is not UTF-8: kept
      out += s[at];
      continue;
    }
    bool sub = false;
    if (const char a = ScriptAscii(cp, &sub)) {
      // A run of the same kind is one index or one exponent.
      std::string run(1, a);
      size_t j = i;
      while (j < s.size()) {
        size_t k = j;
        bool sub2 = false;
        const char b = ScriptAscii(Decode(s, &k), &sub2);
        if (!b || sub2 != sub) break;
        run += b, j = k;
      }
      i = j;
      if (sub) {
        const bool letters = std::any_of(run.begin(), run.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        });
        out += letters ? "_" + run : run;
      } else {
        out += "^" + run;
      }
      continue;
    }
    if (cp == 0x00D7 && at > 0 && s[at - 1] >= '0' && s[at - 1] <= '9' && s.substr(i, 2) == "10") {
      // A digit's ×10⁻⁷: "1e-7".
      size_t k = i + 2;
      bool sub2 = false;
      if (k < s.size()) {
        size_t k2 = k;
        if (ScriptAscii(Decode(s, &k2), &sub2) && !sub2) {
          std::string run;
          while (k < s.size()) {
            size_t k3 = k;
            const char b = ScriptAscii(Decode(s, &k3), &sub2);
            if (!b || sub2) break;
            run += b, k = k3;
          }
          out += "e" + run;
          i = k;
          continue;
        }
      }
    }
    if (const char* a = SymbolAscii(cp)) {
      out += a;
    } else {
      out += Encode(cp);
    }
  }
  return out;
}

}  // namespace nnplay
