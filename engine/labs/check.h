// check.h: "check my work", for every lab. A lab lists the steps of its computation, each
// a named quantity with its correct values and the arithmetic behind each value; the
// learner types their own values for any of them; Check() accepts each value that agrees
// to the digits typed and points at the first step that does not, with the arithmetic
// that gives the right value.
//
// Entries are kept exactly as typed (the number of digits sets the tolerance), and they
// are part of the share link, so a teacher can send a link with a student's numbers:
//   check=z2:0.015,0.006,0.06;p:0.493,_      ('_' = not entered)
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnplay {

struct CheckStep {
  std::string id;                       // key in the link: [a-z0-9_]{1,16}
  std::string label;                    // what the step is, e.g. "z2 = W2 a1"
  std::vector<double> values;           // the correct values (double: counts stay exact)
  std::vector<std::string> arithmetic;  // per value: the numbers plugged in (may be empty)
};

enum class CheckStatus { kNotEntered, kRight, kWrong };

// Learner entries, step id -> one string per value ("" = not entered), as typed.
using CheckEntries = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct CheckOutcome {
  std::vector<std::vector<CheckStatus>> status;  // per step, per value
  int first_wrong_step = -1;                     // in step order; -1 when none
  int first_wrong_value = -1;
  std::string explanation;  // for the first wrong value: what was typed and why it is off
  int right = 0, wrong = 0;
};

CheckOutcome Check(const std::vector<CheckStep>& steps, const CheckEntries& entries);

// Half a unit in the last digit typed: "0.658" -> 0.0005, "30" -> 0.5, "1.5e-3" -> 0.00005.
// A value is right when |typed - correct| <= this (plus a hair for float rounding).
double TypedTolerance(std::string_view typed);

// The link field. Decoding checks every id and count against `steps` and every value
// against the number syntax; at most kMaxCheckValues values in all.
constexpr size_t kMaxCheckValues = 1024;
std::string EncodeCheckEntries(const CheckEntries& entries);
bool DecodeCheckEntries(std::string_view text, const std::vector<CheckStep>& steps,
                        CheckEntries* entries, std::string* error);

// The entries of `id` (creating them, sized to the step, if absent).
std::vector<std::string>* FindEntries(CheckEntries* entries, const CheckStep& step);

}  // namespace nnplay
