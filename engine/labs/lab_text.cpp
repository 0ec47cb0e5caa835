// lab_text.cpp: see lab_text.h.
#include "labs/lab_text.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "labs/notation.h"

namespace nnplay {

std::string TraceNum(double v) {
  return Num(v);
}

std::string TraceParen(double v) {
  return NumParen(v);
}

void WriteCheckJson(JsonWriter* j, const std::vector<CheckStep>& steps, const CheckEntries& entries,
                    const CheckRecompute& recompute) {
  const CheckOutcome o = Check(steps, entries, recompute);
  j->Key("check").BeginObject();
  j->Key("link").String(EncodeCheckEntries(entries));
  j->Key("steps").BeginArray();
  for (size_t s = 0; s < steps.size(); ++s) {
    const CheckStep& step = steps[s];
    const std::vector<std::string>* typed = nullptr;
    for (const auto& e : entries)
      if (e.first == step.id) typed = &e.second;
    j->BeginObject().Key("id").String(step.id).Key("label").String(step.label);
    j->Key("values").BeginArray();
    for (double v : step.values) j->Number(static_cast<float>(v));
    j->EndArray().Key("arithmetic").BeginArray();
    for (size_t v = 0; v < step.values.size(); ++v)
      j->String(v < step.arithmetic.size() ? step.arithmetic[v] : std::string());
    j->EndArray().Key("entered").BeginArray();
    for (size_t v = 0; v < step.values.size(); ++v) {
      if (typed && v < typed->size() && !(*typed)[v].empty()) {
        j->String((*typed)[v]);
      } else {
        j->Null();
      }
    }
    j->EndArray().Key("status").BeginArray();
    for (CheckStatus st : o.status[s]) j->String(CheckStatusName(st));
    j->EndArray().Key("yours").BeginArray();
    for (double v : o.yours[s]) j->Number(static_cast<float>(v));
    j->EndArray().Key("yours_arithmetic").BeginArray();
    for (const std::string& a : o.yours_arithmetic[s]) j->String(a);
    j->EndArray().EndObject();
  }
  j->EndArray();
  if (o.first_wrong_step >= 0) {
    j->Key("first_wrong_step").String(steps[static_cast<size_t>(o.first_wrong_step)].id);
    j->Key("first_wrong_value").Int(o.first_wrong_value);
  } else {
    j->Key("first_wrong_step").Null().Key("first_wrong_value").Null();
  }
  j->Key("explanation").String(o.explanation);
  j->Key("later").BeginArray();
  for (const std::string& l : o.later) j->String(l);
  j->EndArray();
  j->Key("right").Int(o.right).Key("carried").Int(o.carried).Key("wrong").Int(o.wrong);
  j->EndObject();
}

bool DecodeCheckField(const Link& link, const std::vector<CheckStep>& steps, CheckEntries* entries,
                      LinkError* error) {
  entries->clear();
  const std::string* text = link.Find("check");
  if (!text) return true;
  std::string why;
  if (!DecodeCheckEntries(*text, steps, entries, &why)) {
    *error = {"check", why};
    return false;
  }
  return true;
}

}  // namespace nnplay

namespace nnplay {

void FitCheckEntries(const std::vector<CheckStep>& steps, CheckEntries* entries) {
  CheckEntries out;
  for (auto& [id, values] : *entries) {
    for (const CheckStep& s : steps) {
      if (s.id != id) continue;
      values.resize(s.values.size());
      out.emplace_back(id, std::move(values));
    }
  }
  *entries = std::move(out);
}

std::string TrainingThreadsText(int threads, bool isolated, int cores) {
  if (threads > 1) return "Training on " + std::to_string(threads) + " threads";
  if (!isolated) return "Training on 1 thread: this page is not cross-origin isolated";
  if (cores <= 1) return "Training on 1 thread: this device reports one core";
  return "Training on 1 thread: the threaded trainer is not running";
}

}  // namespace nnplay
