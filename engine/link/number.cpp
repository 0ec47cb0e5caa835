// number.cpp: see number.h.
#include "link/number.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace nnplay {
namespace {

constexpr size_t kMaxNumberLength = 40;

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// The grammar of ParseFloat: -?(digits(.digits?)?|.digits)([eE][+-]?digits)?
bool MatchesDecimal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

}  // namespace

std::string FormatFloat(float value) {
  if (std::isnan(value)) return "nan";  // never valid in a link; shown, not parsed
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Whole numbers below a million are their digits (the common case of drawn and loaded
  // images, written without trying precisions).
  if (std::fabs(value) < 1e6f && value == std::trunc(value) &&
      !(value == 0.0f && std::signbit(value)))
    return std::to_string(static_cast<long>(value));
  // The fewest significant digits that read back to the same bits.
  char sci[48];
  int digits = 1;
  for (; digits <= 9; ++digits) {
    std::snprintf(sci, sizeof sci, "%.*e", digits - 1, static_cast<double>(value));
    const float back = std::strtof(sci, nullptr);
    if (std::memcmp(&back, &value, sizeof value) == 0) break;
  }
  const char* e = std::strchr(sci, 'e');
  const int exponent = std::atoi(e + 1);
  const std::string mantissa(sci, static_cast<size_t>(e - sci));  // "-1.25"
  const std::string exp_form = mantissa + "e" + std::to_string(exponent);
  // The same digits with the point moved: "125", "0.00125", "12.5".
  const bool negative = mantissa[0] == '-';
  std::string d;
  for (char c : mantissa)
    if (c >= '0' && c <= '9') d += c;
  std::string fixed;
  if (exponent >= static_cast<int>(d.size()) - 1) {
    fixed = d + std::string(static_cast<size_t>(exponent - static_cast<int>(d.size()) + 1), '0');
  } else if (exponent >= 0) {
    fixed = d.substr(0, static_cast<size_t>(exponent) + 1) + "." +
            d.substr(static_cast<size_t>(exponent) + 1);
  } else {
    fixed = "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + d;
  }
  if (negative) fixed = "-" + fixed;
  // Plain decimals for everyday magnitudes (0.1, -2.5, 1234.5), and whenever they are no
  // longer than the exponent form (1e-5, 1e9 stay short).
  return (exponent > -5 && exponent < 6) || fixed.size() <= exp_form.size() ? fixed : exp_form;
}

std::string FormatFactor(float value) {
  const std::string s = FormatFloat(value);
  return value < 0 || (value == 0 && std::signbit(value)) ? "(" + s + ")" : s;
}

bool ParseFloat(std::string_view text, float* value, std::string* error) {
  if (text.empty()) {
    *error = "a number is missing";
    return false;
  }
  if (text.size() > kMaxNumberLength) {
    *error = "a number is longer than " + std::to_string(kMaxNumberLength) + " characters";
    return false;
  }
  if (!MatchesDecimal(text)) {
    *error = "'" + std::string(text) + "' is not a number";
    return false;
  }
  char buf[kMaxNumberLength + 1];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  const float v = std::strtof(buf, nullptr);
  if (!std::isfinite(v)) {
    *error = "'" + std::string(text) + "' is outside the float range";
    return false;
  }
  *value = v;
  return true;
}

bool ParseInt(std::string_view text, int min, int max, int* value, std::string* error) {
  size_t i = 0;
  bool negative = false;
  if (!text.empty() && text[0] == '-') negative = true, i = 1;
  if (i == text.size() || text.size() > 10) {
    *error = "'" + std::string(text) + "' is not a whole number";
    return false;
  }
  long long v = 0;
  for (; i < text.size(); ++i) {
    if (!IsDigit(text[i])) {
      *error = "'" + std::string(text) + "' is not a whole number";
      return false;
    }
    v = v * 10 + (text[i] - '0');
  }
  if (negative) v = -v;
  if (v < min || v > max) {
    *error = std::to_string(v) + " is outside " + std::to_string(min) + ".." + std::to_string(max);
    return false;
  }
  *value = static_cast<int>(v);
  return true;
}

}  // namespace nnplay
