// lab_text_test.cpp: every preset of every lab, through everything the lab writes for a
// learner (traces, formulas, labels, notes, summaries, and check-my-work explanations for
// a wrong value typed into every step), prints no fractional number with more than six
// significant digits. Whole numbers (counts such as 3,776,446,464) are exact and may be
// longer; link values and JSON numbers are exact and are not text. The JSON keeps ASCII.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/lab_text.h"
#include "labs/registry.h"

namespace nnplay {
namespace {

// A JSON value, as much of it as this test reads.
struct Value {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  std::string text;                                                     // kString
  std::vector<std::unique_ptr<Value>> items;                            // kArray
  std::vector<std::pair<std::string, std::unique_ptr<Value>>> members;  // kObject
  const Value* Get(const std::string& key) const {
    for (const auto& [k, v] : members)
      if (k == key) return v.get();
    return nullptr;
  }
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}
  std::unique_ptr<Value> Parse() {
    auto v = std::make_unique<Value>();
    Space();
    if (i_ >= s_.size()) return Fail();
    const char c = s_[i_];
    if (c == '{') {
      v->kind = Value::kObject;
      ++i_;
      Space();
      if (Eat('}')) return v;
      do {
        Space();
        std::string key;
        if (!String(&key)) return Fail();
        Space();
        if (!Eat(':')) return Fail();
        auto m = Parse();
        if (!m) return nullptr;
        v->members.emplace_back(key, std::move(m));
        Space();
      } while (Eat(','));
      if (!Eat('}')) return Fail();
    } else if (c == '[') {
      v->kind = Value::kArray;
      ++i_;
      Space();
      if (Eat(']')) return v;
      do {
        auto m = Parse();
        if (!m) return nullptr;
        v->items.push_back(std::move(m));
        Space();
      } while (Eat(','));
      if (!Eat(']')) return Fail();
    } else if (c == '"') {
      v->kind = Value::kString;
      if (!String(&v->text)) return Fail();
    } else {
      const size_t start = i_;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                                s_[i_] == '+' || s_[i_] == '.'))
        ++i_;
      const std::string word = s_.substr(start, i_ - start);
      if (word.empty()) return Fail();
      v->kind = word == "null"                      ? Value::kNull
                : word == "true" || word == "false" ? Value::kBool
                                                    : Value::kNumber;
    }
    return v;
  }
  bool AtEnd() {
    Space();
    return i_ == s_.size();
  }

 private:
  std::unique_ptr<Value> Fail() {
    ADD_FAILURE() << "bad JSON at " << i_ << ": " << s_.substr(i_, 40);
    return nullptr;
  }
  void Space() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool Eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) return ++i_, true;
    return false;
  }
  bool String(std::string* out) {
    if (!Eat('"')) return false;
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] == '\\') {
        ++i_;
        if (i_ >= s_.size()) return false;
        const char e = s_[i_];
        if (e == 'u') {
          i_ += 4;  // only control characters are escaped this way
          *out += '?';
        } else {
          *out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        ++i_;
      } else {
        *out += s_[i_++];
      }
    }
    return Eat('"');
  }
  const std::string& s_;
  size_t i_ = 0;
};

// The fractional numbers in `text` with more than six significant digits ("0.060000002",
// "7.389056", "1.2345678e-05"); whole numbers are counts and are left alone.
std::vector<std::string> LongFractions(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    const bool start = std::isdigit(static_cast<unsigned char>(text[i])) &&
                       (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                                    text[i - 1] == '_' || text[i - 1] == '.'));
    if (!start) {
      ++i;
      continue;
    }
    size_t j = i;
    std::string digits;
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) ||
                               (text[j] == ',' && j + 1 < text.size() &&
                                std::isdigit(static_cast<unsigned char>(text[j + 1])))))
      if (text[j++] != ',') digits += text[j - 1];
    bool fraction = false;
    if (j + 1 < text.size() && text[j] == '.' &&
        std::isdigit(static_cast<unsigned char>(text[j + 1]))) {
      fraction = true;
      ++j;
      while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])))
        digits += text[j++];
    }
    const size_t lead = digits.find_first_not_of('0');
    const size_t significant = lead == std::string::npos ? 0 : digits.size() - lead;
    if (fraction && significant > 6) out.push_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

// Every string in the JSON a learner reads (not the links, not what they typed), with its
// path for the failure message.
void Strings(const Value& v, const std::string& path,
             std::vector<std::pair<std::string, std::string>>* out) {
  if (v.kind == Value::kString) {
    out->emplace_back(path, v.text);
  } else if (v.kind == Value::kArray) {
    for (size_t k = 0; k < v.items.size(); ++k)
      Strings(*v.items[k], path + "[" + std::to_string(k) + "]", out);
  } else if (v.kind == Value::kObject) {
    for (const auto& [key, m] : v.members)
      if (key != "link" && key != "entered") Strings(*m, path + "." + key, out);
  }
}

// Each object at key "check" (the lab's check my work), wherever it sits.
void CheckObjects(const Value& v, std::vector<const Value*>* out) {
  for (const auto& [key, m] : v.members) {
    if (key == "check" && m->kind == Value::kObject && m->Get("steps")) out->push_back(m.get());
    if (m->kind == Value::kObject) CheckObjects(*m, out);
  }
}

// The link with its check field replaced by `check`.
std::string WithCheck(const std::string& link, const std::string& check) {
  std::string base = link;
  const size_t at = base.find("&check=");
  if (at != std::string::npos) {
    const size_t end = base.find('&', at + 1);
    base.erase(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return base + "&check=" + check;
}

std::unique_ptr<Value> Eval(const std::string& link) {
  std::string json;
  LinkError error;
  if (!EvalLinkToJson(link, &json, &error)) {
    ADD_FAILURE() << link << ": " << error.field << ": " << error.message;
    return nullptr;
  }
  for (char c : json)
    if (static_cast<unsigned char>(c) >= 0x80) {
      ADD_FAILURE() << "the JSON is not ASCII: " << link;
      break;
    }
  Parser p(json);
  auto v = p.Parse();
  EXPECT_TRUE(v && p.AtEnd()) << link;
  return v;
}

void ExpectShortNumbers(const Value& v, const std::string& what, int* texts) {
  std::vector<std::pair<std::string, std::string>> strings;
  Strings(v, "", &strings);
  for (const auto& [path, text] : strings) {
    ++*texts;
    for (const std::string& n : LongFractions(text))
      ADD_FAILURE() << what << " " << path << ": " << n << " in \"" << text << "\"";
  }
}

TEST(LabText, TheScannerFindsLongFractionsOnly) {
  EXPECT_EQ(LongFractions("the right value is 0.060000002."),
            std::vector<std::string>{"0.060000002"});
  EXPECT_EQ(LongFractions("e^2 = 7.389056 = 7.38906"), std::vector<std::string>{"7.389056"});
  EXPECT_EQ(LongFractions("1.2345678e-05, 1e-07, 0.000123457"),
            std::vector<std::string>{"1.2345678"});
  EXPECT_TRUE(LongFractions("3,776,446,464 mults, 123456789, a10[1] = 0.333333").empty());
  EXPECT_TRUE(LongFractions("W10^T, dL/da9, x_12345678").empty());
  EXPECT_EQ(LongFractions("1,234.5678"), std::vector<std::string>{"1,234.5678"});
}

// The line under a training lab's Play button: the count, and the reason when it is one.
TEST(LabText, TrainingThreadsSaysHowManyAndWhyOnlyOne) {
  EXPECT_EQ(TrainingThreadsText(2, true, 2), "Training on 2 threads");
  EXPECT_EQ(TrainingThreadsText(8, true, 16), "Training on 8 threads");
  EXPECT_EQ(TrainingThreadsText(1, false, 8),
            "Training on 1 thread: this page is not cross-origin isolated");
  // Not isolated is the reason even on one core: isolation is what a host can change.
  EXPECT_EQ(TrainingThreadsText(1, false, 1),
            "Training on 1 thread: this page is not cross-origin isolated");
  EXPECT_EQ(TrainingThreadsText(1, true, 1), "Training on 1 thread: this device reports one core");
  EXPECT_EQ(TrainingThreadsText(1, true, 4),
            "Training on 1 thread: the threaded trainer is not running");
  EXPECT_EQ(TrainingThreadsText(0, false, 0),
            "Training on 1 thread: this page is not cross-origin isolated");
}

TEST(LabText, EveryPresetPrintsAtMostSixSignificantDigits) {
  int presets = 0, texts = 0, explanations = 0;
  for (const PresetInfo& p : AllPresets()) {
    const std::string link = p.link[0] == '#' ? p.link.substr(1) : p.link;
    const auto v = Eval(link);
    if (!v) continue;
    ++presets;
    ExpectShortNumbers(*v, p.lab + "/" + p.id, &texts);
    // Check my work: a wrong value typed into each of the first values of every step, so
    // every step's explanation (label, right value, arithmetic) is read.
    std::vector<const Value*> checks;
    CheckObjects(*v, &checks);
    for (const Value* check : checks) {
      for (const auto& step : check->Get("steps")->items) {
        const Value* id = step->Get("id");
        const Value* values = step->Get("status");  // one per value, in every lab
        ASSERT_TRUE(id && values) << p.id;
        const size_t n = std::min<size_t>(values->items.size(), 4);
        for (size_t k = 0; k < n; ++k) {
          std::string entry = id->text + ":";
          for (size_t e = 0; e < k; ++e) entry += "_,";
          const auto w = Eval(WithCheck(link, entry + "-987"));
          if (!w) continue;
          std::vector<const Value*> wc;
          CheckObjects(*w, &wc);
          ASSERT_FALSE(wc.empty());
          const Value* ex = wc[0]->Get("explanation");
          ASSERT_TRUE(ex) << p.id;
          EXPECT_FALSE(ex->text.empty()) << p.id << " " << id->text << " [" << k << "]";
          for (const std::string& bad : LongFractions(ex->text))
            ADD_FAILURE() << p.lab << "/" << p.id << " check " << id->text << "[" << k
                          << "]: " << bad << " in \"" << ex->text << "\"";
          ++explanations;
        }
      }
    }
  }
  EXPECT_EQ(static_cast<size_t>(presets), AllPresets().size());
  EXPECT_GT(texts, 1000);
  EXPECT_GT(explanations, 100);
  std::printf("%d presets, %d texts, %d check explanations\n", presets, texts, explanations);
}

}  // namespace
}  // namespace nnplay
