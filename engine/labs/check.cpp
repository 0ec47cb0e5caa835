// check.cpp: see check.h.
#include "labs/check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "labs/notation.h"
#include "link/number.h"

namespace nnplay {

namespace {

// The right value as a person reads it: whole numbers exact (a count of
// multiplications: "4,816,896"), others rounded for display with "≈" where rounding hid
// digits (notation.h), never the float's noise ("0.06", not "0.060000002").
std::string FormatCorrect(double v) {
  if (std::fabs(v) < 1e15 && v == std::trunc(v)) return Count(static_cast<long long>(v));
  return NumApprox(v);
}

// A value's number of decimals after its exponent: "0.658" -> 3, "30" -> 0, "1.5e-3" -> 4,
// "2e2" -> -2.
int TypedDecimals(std::string_view typed) {
  size_t i = 0;
  int decimals = 0;
  if (i < typed.size() && typed[i] == '-') ++i;
  while (i < typed.size() && typed[i] >= '0' && typed[i] <= '9') ++i;
  if (i < typed.size() && typed[i] == '.') {
    ++i;
    while (i < typed.size() && typed[i] >= '0' && typed[i] <= '9') ++i, ++decimals;
  }
  if (i < typed.size() && (typed[i] == 'e' || typed[i] == 'E'))
    decimals -= std::atoi(std::string(typed.substr(i + 1)).c_str());
  return decimals;
}

// Float noise: the labs compute in float (7 significant digits), so a value may sit a hair
// beside the exact one (0.06 computed as 0.060000002 or 0.059999998). Relative only: an
// absolute 1e-12 made every value within 1e-12 of E7's share of 1.35e-12 right (2e-12 too).
double Hair(double exact) {
  return 1e-6 * std::fabs(exact);
}

// "z₂ = W₂ a₁" -> "z₂"; a label without " = " is kept whole.
std::string LabelName(const std::string& label) {
  const size_t eq = label.find(" = ");
  return eq == std::string::npos ? label : label.substr(0, eq);
}

}  // namespace

const char* CheckStatusName(CheckStatus s) {
  switch (s) {
    case CheckStatus::kRight:
      return "right";
    case CheckStatus::kCarried:
      return "carried";
    case CheckStatus::kWrong:
      return "wrong";
    case CheckStatus::kNotEntered:
      break;
  }
  return "";
}

const char* CheckVerdictText(CheckStatus s) {
  switch (s) {
    case CheckStatus::kRight:
      return "right";
    case CheckStatus::kCarried:
      return "right for your earlier value";
    case CheckStatus::kWrong:
      return "wrong";
    case CheckStatus::kNotEntered:
      break;
  }
  return "";
}

double CheckGiven::Get(std::string_view id, size_t i, double own) const {
  for (const auto& [sid, values] : steps)
    if (sid == id) return i < values.size() && !std::isnan(values[i]) ? values[i] : own;
  return own;
}

void CheckGiven::Apply(std::string_view id, float* values, size_t n) const {
  for (const auto& [sid, given] : steps) {
    if (sid != id) continue;
    for (size_t i = 0; i < n && i < given.size(); ++i)
      if (!std::isnan(given[i])) values[i] = static_cast<float>(given[i]);
  }
}

bool ParseTyped(std::string_view typed, double* value, std::string* error) {
  const size_t slash = typed.find('/');
  if (slash == std::string_view::npos) {
    float f = 0;
    if (!ParseFloat(typed, &f, error)) return false;
    // The decimal as typed (not its float): "0.1" is 0.1, so truncation and rounding are
    // judged on the digits the learner wrote.
    *value = std::strtod(std::string(typed).c_str(), nullptr);
    return true;
  }
  float num = 0, den = 0;
  if (!ParseFloat(typed.substr(0, slash), &num, error) ||
      !ParseFloat(typed.substr(slash + 1), &den, error)) {
    *error = "'" + std::string(typed.substr(0, 24)) + "' is not a number or a fraction a/b";
    return false;
  }
  if (den == 0) {
    *error = "'" + std::string(typed.substr(0, 24)) + "' divides by zero";
    return false;
  }
  *value = std::strtod(std::string(typed.substr(0, slash)).c_str(), nullptr) /
           std::strtod(std::string(typed.substr(slash + 1)).c_str(), nullptr);
  return true;
}

double TypedUnit(std::string_view typed) {
  if (typed.find('/') != std::string_view::npos) return 0;
  return std::pow(10.0, -TypedDecimals(typed));
}

bool MatchesTyped(std::string_view typed, double exact) {
  double t = 0;
  std::string why;
  if (!std::isfinite(exact) || !ParseTyped(typed, &t, &why)) return false;
  const double hair = Hair(exact);
  const double u = TypedUnit(typed);
  if (u == 0) return std::fabs(t - exact) <= hair;  // a fraction: its value
  // Rounded: exact within half a unit of t.
  if (std::fabs(t - exact) <= 0.5 * u + hair) return true;
  // Truncated toward zero: t <= exact < t + u for t > 0, t - u < exact <= t for t < 0, and
  // |exact| < u for t = 0. The hair widens the closed end only (0.059999998 does not
  // truncate to 0.05).
  if (t > 0) return exact >= t - hair && exact < t + u - hair;
  if (t < 0) return exact <= t + hair && exact > t - u + hair;
  return std::fabs(exact) < u - hair;
}

CheckOutcome Check(const std::vector<CheckStep>& steps, const CheckEntries& entries,
                   const CheckRecompute& recompute) {
  CheckOutcome out;
  out.status.resize(steps.size());
  out.yours.resize(steps.size());
  out.yours_arithmetic.resize(steps.size());
  // The learner's values of the steps before the current one, and the steps recomputed
  // from them (recomputed only when a step before holds a typed value and a later value
  // is not right: one lab evaluation per such step).
  CheckGiven given;
  bool given_changed = false;
  std::vector<CheckStep> theirs;
  bool slipped = false;  // a wrong value came before
  for (size_t s = 0; s < steps.size(); ++s) {
    const CheckStep& step = steps[s];
    out.status[s].assign(step.values.size(), CheckStatus::kNotEntered);
    out.yours[s] = step.values;
    out.yours_arithmetic[s].assign(step.values.size(), std::string());
    const std::vector<std::string>* typed = nullptr;
    for (const auto& e : entries)
      if (e.first == step.id) typed = &e.second;
    if (!typed) continue;
    std::vector<double> numbers(step.values.size(), std::nan(""));
    for (size_t v = 0; v < step.values.size() && v < typed->size(); ++v) {
      const std::string& text = (*typed)[v];
      double value = 0;
      std::string why;
      if (text.empty() || !ParseTyped(text, &value, &why)) continue;
      numbers[v] = value;
      CheckStatus st = CheckStatus::kWrong;
      if (MatchesTyped(text, step.values[v])) {
        st = CheckStatus::kRight;
      } else if (recompute && !given.empty()) {
        if (given_changed) theirs = recompute(given), given_changed = false;
        if (s < theirs.size() && v < theirs[s].values.size()) {
          out.yours[s][v] = theirs[s].values[v];
          if (v < theirs[s].arithmetic.size()) out.yours_arithmetic[s][v] = theirs[s].arithmetic[v];
          // Right for their values before any slip is rounding carried along: right.
          if (MatchesTyped(text, theirs[s].values[v]))
            st = slipped ? CheckStatus::kCarried : CheckStatus::kRight;
        }
      }
      out.status[s][v] = st;
      const std::string name = CheckValueName(step, v);
      if (st == CheckStatus::kRight) {
        ++out.right;
      } else if (st == CheckStatus::kCarried) {
        ++out.carried;
        std::string line = name + ": you wrote " + text + ", right for your earlier value";
        if (!out.yours_arithmetic[s][v].empty()) line += " (" + out.yours_arithmetic[s][v] + ")";
        out.later.push_back(line + ".");
        out.later_status.push_back(CheckStatus::kCarried);
      } else {
        ++out.wrong;
        if (!slipped) {
          slipped = true;
          out.first_wrong_step = static_cast<int>(s);
          out.first_wrong_value = static_cast<int>(v);
          out.explanation = name + ": you wrote " + text + ", the right value is " +
                            FormatCorrect(step.values[v]);
          if (v < step.arithmetic.size() && !step.arithmetic[v].empty())
            out.explanation += " (" + step.arithmetic[v] + ")";
          out.explanation += ".";
          out.slip = CheckSlipCause(step, v, text);
          if (!out.slip.empty()) out.explanation += " " + out.slip;
        } else {
          std::string line =
              name + ": you wrote " + text + ", wrong, and not explained by the " + "earlier slip";
          if (out.yours[s][v] != step.values[v]) {
            line += ": your earlier values give " + FormatCorrect(out.yours[s][v]);
            if (!out.yours_arithmetic[s][v].empty())
              line += " (" + out.yours_arithmetic[s][v] + ")";
          } else {
            line += "; the right value is " + FormatCorrect(step.values[v]);
          }
          line += ".";
          const std::string cause = CheckSlipCause(step, v, text);
          if (!cause.empty()) line += " " + cause;
          out.later.push_back(line);
          out.later_status.push_back(CheckStatus::kWrong);
        }
      }
    }
    bool any = false;
    for (double n : numbers) any |= !std::isnan(n);
    if (any) given.steps.emplace_back(step.id, std::move(numbers)), given_changed = true;
  }
  return out;
}

std::string CheckSlipCause(const CheckStep& step, size_t value, std::string_view typed) {
  double t = 0;
  std::string why;
  if (value >= step.values.size() || MatchesTyped(typed, step.values[value]) ||
      !ParseTyped(typed, &t, &why))
    return "";
  // Of the slips that give the typed value, the nearest ("1" is 0.5 rounded, and exactly
  // tanh′(0)); the first listed on a tie.
  const CheckSlip* best = nullptr;
  for (const CheckSlip& slip : step.slips) {
    if (value >= slip.values.size() || !std::isfinite(slip.values[value])) continue;
    const double v = slip.values[value];
    if (v == step.values[value] || !MatchesTyped(typed, v)) continue;
    if (!best || std::fabs(t - v) < std::fabs(t - best->values[value])) best = &slip;
  }
  return best ? best->cause : "";
}

std::string CheckValueName(const CheckStep& step, size_t value) {
  return LabelName(step.label) +
         (step.values.size() > 1 ? "[" + std::to_string(value + 1) + "]" : std::string());
}

std::string EncodeCheckEntries(const CheckEntries& entries) {
  std::string s;
  for (const auto& [id, values] : entries) {
    bool any = false;
    for (const std::string& v : values) any |= !v.empty();
    if (!any) continue;
    if (!s.empty()) s += ';';
    s += id + ':';
    // Trailing empty values are left out (the decoder pads to the step's size): a link
    // ending in '_' loses it in Markdown and chat autolinks. A value's trailing '.' ("3.",
    // the same digits as "3") is left out for the same reason.
    size_t n = values.size();
    while (n > 0 && values[n - 1].empty()) --n;
    for (size_t i = 0; i < n; ++i) {
      std::string_view v = values[i];
      while (v.size() > 1 && v.back() == '.') v.remove_suffix(1);
      s += (i ? "," : "") + (v.empty() ? std::string("_") : std::string(v));
    }
  }
  return s;
}

bool DecodeCheckEntries(std::string_view text, const std::vector<CheckStep>& steps,
                        CheckEntries* entries, std::string* error) {
  CheckEntries out;
  size_t total = 0;
  while (!text.empty()) {
    const size_t semi = text.find(';');
    const std::string_view part = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view() : text.substr(semi + 1);
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos) {
      *error = "expected 'step:values' in '" + std::string(part.substr(0, 24)) + "'";
      return false;
    }
    const std::string id(part.substr(0, colon));
    const CheckStep* step = nullptr;
    for (const CheckStep& s : steps)
      if (s.id == id) step = &s;
    if (!step) {
      *error = "there is no step '" + id.substr(0, 24) + "' to check";
      return false;
    }
    for (const auto& e : out) {
      if (e.first == id) {
        *error = "step '" + id + "' is given twice";
        return false;
      }
    }
    std::vector<std::string> values;
    std::string_view rest = part.substr(colon + 1);
    while (true) {
      const size_t comma = rest.find(',');
      const std::string_view v = rest.substr(0, comma);
      if (++total > kMaxCheckValues || values.size() >= step->values.size()) {
        *error =
            "step '" + id + "' has more values than its " + std::to_string(step->values.size());
        return false;
      }
      if (v == "_") {
        values.emplace_back();
      } else {
        // "3." is "3" (the same digits; the encoder drops the '.'), so a link and its
        // canonical form open to the same entries.
        std::string_view digits = v;
        while (digits.size() > 1 && digits.back() == '.') digits.remove_suffix(1);
        double f = 0;
        std::string why;
        if (!ParseTyped(v, &f, &why) || !ParseTyped(digits, &f, &why)) {
          *error = "step '" + id + "': " + why;
          return false;
        }
        values.emplace_back(digits);
      }
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    values.resize(step->values.size());
    out.emplace_back(id, std::move(values));
  }
  // Step order, whatever order the link gave: a state has one canonical form (the fuzzer
  // found "z1;z3;a2" writing itself back as "z1;a2;z3" with its JSON in the first order).
  auto index = [&](const std::string& id) {
    for (size_t i = 0; i < steps.size(); ++i)
      if (steps[i].id == id) return i;
    return steps.size();
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const auto& a, const auto& b) { return index(a.first) < index(b.first); });
  *entries = std::move(out);
  return true;
}

std::vector<std::string>* FindEntries(CheckEntries* entries, const CheckStep& step) {
  for (auto& e : *entries) {
    if (e.first == step.id) {
      e.second.resize(step.values.size());
      return &e.second;
    }
  }
  entries->emplace_back(step.id, std::vector<std::string>(step.values.size()));
  return &entries->back().second;
}

}  // namespace nnplay
