// check.cpp: see check.h.
#include "labs/check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "labs/notation.h"
#include "link/number.h"

namespace nnplay {

double TypedTolerance(std::string_view typed) {
  size_t i = 0, decimals = 0;
  if (i < typed.size() && typed[i] == '-') ++i;
  while (i < typed.size() && typed[i] >= '0' && typed[i] <= '9') ++i;
  if (i < typed.size() && typed[i] == '.') {
    ++i;
    while (i < typed.size() && typed[i] >= '0' && typed[i] <= '9') ++i, ++decimals;
  }
  int exponent = 0;
  if (i < typed.size() && (typed[i] == 'e' || typed[i] == 'E'))
    exponent = std::atoi(std::string(typed.substr(i + 1)).c_str());
  return 0.5 * std::pow(10.0, exponent - static_cast<int>(decimals));
}

namespace {

// The right value as a person reads it: whole numbers exact (a count of
// multiplications: "4,816,896"), others rounded for display with "≈" where rounding hid
// digits (notation.h), never the float's noise ("0.06", not "0.060000002").
std::string FormatCorrect(double v) {
  if (std::fabs(v) < 1e15 && v == std::trunc(v)) return Count(static_cast<long long>(v));
  return NumApprox(v);
}

}  // namespace

CheckOutcome Check(const std::vector<CheckStep>& steps, const CheckEntries& entries) {
  CheckOutcome out;
  out.status.resize(steps.size());
  for (size_t s = 0; s < steps.size(); ++s) {
    const CheckStep& step = steps[s];
    out.status[s].assign(step.values.size(), CheckStatus::kNotEntered);
    const std::vector<std::string>* typed = nullptr;
    for (const auto& e : entries)
      if (e.first == step.id) typed = &e.second;
    if (!typed) continue;
    for (size_t v = 0; v < step.values.size() && v < typed->size(); ++v) {
      const std::string& text = (*typed)[v];
      float value = 0;
      std::string why;
      if (text.empty() || !ParseFloat(text, &value, &why)) continue;
      const double correct = step.values[v];
      const double tol = TypedTolerance(text) + 1e-6 * std::fabs(correct);
      // An overflowed (infinite) value cannot be typed: nothing typed is right.
      const bool right =
          std::isfinite(correct) && std::fabs(static_cast<double>(value) - correct) <= tol;
      out.status[s][v] = right ? CheckStatus::kRight : CheckStatus::kWrong;
      right ? ++out.right : ++out.wrong;
      if (!right && out.first_wrong_step < 0) {
        out.first_wrong_step = static_cast<int>(s);
        out.first_wrong_value = static_cast<int>(v);
        out.explanation =
            step.label + (step.values.size() > 1 ? " [" + std::to_string(v + 1) + "]" : "") +
            ": you wrote " + text + ", the right value is " + FormatCorrect(step.values[v]);
        if (v < step.arithmetic.size() && !step.arithmetic[v].empty())
          out.explanation += " (" + step.arithmetic[v] + ")";
        out.explanation += ".";
      }
    }
  }
  return out;
}

std::string EncodeCheckEntries(const CheckEntries& entries) {
  std::string s;
  for (const auto& [id, values] : entries) {
    bool any = false;
    for (const std::string& v : values) any |= !v.empty();
    if (!any) continue;
    if (!s.empty()) s += ';';
    s += id + ':';
    for (size_t i = 0; i < values.size(); ++i)
      s += (i ? "," : "") + (values[i].empty() ? "_" : values[i]);
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
        float f = 0;
        std::string why;
        if (!ParseFloat(v, &f, &why)) {
          *error = "step '" + id + "': " + why;
          return false;
        }
        values.emplace_back(v);
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
