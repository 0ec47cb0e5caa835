// number.h: the share link's number syntax.
//
// - FormatFloat writes the shortest decimal that reads back to the very same float, so
//   a value typed as 0.1 is written as 0.1 and every value round-trips exactly.
// - ParseFloat accepts only plain decimals: an optional '-', digits with an optional
//   fraction, an optional exponent (e.g. 10, -0.5, .25, 1e-3). No hex, no "nan" or
//   "inf", no '+', no spaces; values outside the float range are refused.
#pragma once

#include <string>
#include <string_view>

namespace nnplay {

std::string FormatFloat(float value);
// FormatFloat in parentheses when negative, for a factor in written-out arithmetic:
// "10×(-1)".
std::string FormatFactor(float value);

// On failure returns false and sets *error to a short reason (no field name).
bool ParseFloat(std::string_view text, float* value, std::string* error);

// A whole number in [min, max], digits only (an optional leading '-').
bool ParseInt(std::string_view text, int min, int max, int* value, std::string* error);

}  // namespace nnplay
