// check.h: "check my work", for every lab. A lab lists the steps of its computation, each
// a named quantity with its correct values and the arithmetic behind each value; the
// learner types their own values for any of them; Check() marks each value, with error
// carried forward:
//   right    — it equals the correct value to the digits typed (rounded or truncated);
//   carried  — "right for your earlier value": it is not the correct value, but it is what
//              the step gives when fed the learner's own earlier entries (after a slip);
//   wrong    — neither.
// The root cause is the first wrong value (in step order); every later value is either
// carried (it follows from the slip) or wrong (the slip does not explain it).
//
// Carrying needs the lab to recompute a step from the learner's entries: the lab supplies
// a CheckRecompute, which rebuilds its steps with the given values put in place of its own
// (per value: a value the learner left empty keeps being computed). Check calls it, for
// step k, with the learner's entries of the steps before k only, and compares the typed
// value of step k with what it gives. Steps must be listed so that each depends only on
// steps before it.
//
// Entries are kept exactly as typed (the number of digits sets the tolerance; "1/3" is a
// fraction, read as its value), and they are part of the share link, so a teacher can send
// a link with a student's numbers:
//   check=z2:0.015,0.006,0.06;p:0.493      ('_' = not entered; trailing ones are left out)
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnplay {

// A mistake students make at a step, recognisable from the values it gives: a wrong value
// equal (to the digits typed) to one of them is named by `cause` after the arithmetic, e.g.
// "It is m × a: the mask without the inverted scaling; ...". Values equal to the right one
// name nothing (the mistake does not show there).
struct CheckSlip {
  std::vector<double> values;  // per value of the step, as the mistake gives it (NaN: none)
  std::string cause;           // a sentence: what was done and what the step does instead
};

struct CheckStep {
  std::string id;                       // key in the link: [a-z0-9_]{1,16}
  std::string label;                    // what the step is, e.g. "z2 = W2 a1"
  std::vector<double> values;           // the correct values (double: counts stay exact)
  std::vector<std::string> arithmetic;  // per value: the numbers plugged in (may be empty)
  std::vector<CheckSlip> slips = {};    // recognisable mistakes, most common first (may be empty)
};

// The cause of the first slip of `step` that gives `typed` for value `value` and differs
// from the right value there; "" when none does.
std::string CheckSlipCause(const CheckStep& step, size_t value, std::string_view typed);

// Per value. kCarried: right for the learner's earlier values (error carried forward).
enum class CheckStatus { kNotEntered, kRight, kCarried, kWrong };
// "", "right", "carried", "wrong": the JSON's words (docs/check-format.md).
const char* CheckStatusName(CheckStatus s);
// The verdict as the page says it: "", "right", "right for your earlier value", "wrong".
const char* CheckVerdictText(CheckStatus s);

// Learner entries, step id -> one string per value ("" = not entered), as typed.
using CheckEntries = std::vector<std::pair<std::string, std::vector<std::string>>>;

// The learner's values handed to a lab's recompute: step id -> per value the number typed,
// NaN where nothing (or nothing readable) was typed.
struct CheckGiven {
  std::vector<std::pair<std::string, std::vector<double>>> steps;

  bool empty() const { return steps.empty(); }
  // The given value of `id`[i], or `own` when none was given.
  double Get(std::string_view id, size_t i, double own) const;
  // Puts the given values of `id` in place of values[0..n) (float storage of the labs).
  void Apply(std::string_view id, float* values, size_t n) const;
};

// A lab's steps recomputed with `given` in place of its own values (see the top). The
// given step's own `values` may be either; later steps must follow from the given ones.
using CheckRecompute = std::function<std::vector<CheckStep>(const CheckGiven& given)>;

struct CheckOutcome {
  std::vector<std::vector<CheckStatus>> status;  // per step, per value
  // Per step, per value: what the step gives from the learner's own entries of the earlier
  // steps (the correct value when nothing earlier differs, or when the lab has no recompute).
  std::vector<std::vector<double>> yours;
  // Per step, per value: the arithmetic with the learner's earlier numbers plugged in
  // (filled where a value is not right and the step was recomputed; else empty).
  std::vector<std::vector<std::string>> yours_arithmetic;
  int first_wrong_step = -1;  // the root cause: the first wrong value; -1 when none
  int first_wrong_value = -1;
  std::string explanation;  // the root cause: what was typed and the arithmetic of the right value
                            // (and the mistake it looks like, when a step's slip gives it)
  std::string slip;         // that mistake's sentence, or ""
  // One sentence per value after the root cause that is carried or wrong: whether it follows
  // from the slip ("z₃[1]: you wrote 0.011, right for your earlier value (…).").
  std::vector<std::string> later;
  std::vector<CheckStatus> later_status;  // per sentence: kCarried or kWrong
  int right = 0, carried = 0, wrong = 0;
};

// Error carried forward when `recompute` is given (steps == recompute({}) expected); without
// it every value is right or wrong against `steps` alone.
CheckOutcome Check(const std::vector<CheckStep>& steps, const CheckEntries& entries,
                   const CheckRecompute& recompute = nullptr);

// The value of a typed entry: a plain decimal (link/number.h) or a fraction "a/b" of two
// plain decimals (b ≠ 0). On failure sets *error (no field name).
bool ParseTyped(std::string_view typed, double* value, std::string* error);

// "To the digits typed": a value typed with d decimals (after its exponent) is right when it
// is the exact value rounded, or truncated toward zero, to d decimals: for −1.15473 both
// −1.155 and −1.154 are right, −1.153 is not. A fraction is right when it equals the exact
// value (float noise aside). False when `typed` does not parse.
bool MatchesTyped(std::string_view typed, double exact);

// One unit in the last digit typed: "0.658" -> 0.001, "30" -> 1, "1.5e-3" -> 0.0001;
// 0 for a fraction.
double TypedUnit(std::string_view typed);

// The link field. Decoding checks every id and count against `steps` and every value
// against the entry syntax; at most kMaxCheckValues values in all. Encoding leaves out a
// step's trailing empty values (no link ends in '_', which autolinkers cut off); decoding
// still reads them. A value's trailing '.' is dropped both ways ("3." is "3").
constexpr size_t kMaxCheckValues = 1024;
std::string EncodeCheckEntries(const CheckEntries& entries);
bool DecodeCheckEntries(std::string_view text, const std::vector<CheckStep>& steps,
                        CheckEntries* entries, std::string* error);

// The entries of `id` (creating them, sized to the step, if absent).
std::vector<std::string>* FindEntries(CheckEntries* entries, const CheckStep& step);

// A value's name for sentences: the label up to " = " plus "[i]" (1-based) when the step
// has several values: "z₂[3]".
std::string CheckValueName(const CheckStep& step, size_t value);

}  // namespace nnplay
