// grade.cpp: see grade.h.
#include "labs/grade.h"

#include <algorithm>
#include <map>
#include <utility>

#include "json.h"

namespace nnplay {
namespace {

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

// One CSV record (RFC 4180 quoting, on one line). False for an unterminated quote.
bool SplitCsv(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"' && Trim(cur).empty()) {
      quoted = was_quoted = true;
      cur.clear();
    } else if (c == ',') {
      fields->push_back(was_quoted ? cur : Trim(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur += c;
    }
  }
  if (quoted) return false;
  fields->push_back(was_quoted ? cur : Trim(cur));
  return true;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Setups by (exercise, seed): every student of a class shares the course's numbers.
class SetupCache {
 public:
  const ExerciseSetup* Get(int number, uint32_t seed) {
    const auto key = std::make_pair(number, seed);
    auto it = cache_.find(key);
    if (it != cache_.end()) return &it->second;
    if (cache_.size() > 4096) cache_.clear();  // bounded: variants are one per student
    ExerciseSetup s;
    std::string why;
    if (!MakeExercise(number, seed, &s, &why)) return nullptr;
    return &cache_.emplace(key, std::move(s)).first->second;
  }

 private:
  std::map<std::pair<int, uint32_t>, ExerciseSetup> cache_;
};

}  // namespace

GradeRun GradeText(std::string_view text) {
  GradeRun run;
  SetupCache cache;
  int link_col = -1, student_col = -1, line_no = 0;
  bool header_seen = false;
  std::map<int, GradeSummary> summary;
  std::vector<std::string> fields;
  // A spreadsheet's "CSV UTF-8" begins with a byte-order mark: not part of the header.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    const std::string line = Trim(raw);
    if (line.empty()) continue;
    if (!header_seen) {
      header_seen = true;
      // A CSV header names a link column; otherwise every line is a link.
      if (SplitCsv(line, &fields)) {
        for (size_t i = 0; i < fields.size(); ++i) {
          const std::string name = Lower(fields[i]);
          if (name == "link") link_col = static_cast<int>(i);
          if (name == "student") student_col = static_cast<int>(i);
        }
        if (link_col >= 0) continue;
        student_col = -1;
      }
    }
    std::string link = line, student;
    if (link_col >= 0) {
      if (!SplitCsv(line, &fields)) {
        run.skipped.push_back({line_no, "a quoted field is not closed"});
        continue;
      }
      if (static_cast<int>(fields.size()) <= link_col) {
        run.skipped.push_back({line_no, "the row has no link column"});
        continue;
      }
      link = fields[static_cast<size_t>(link_col)];
      if (student_col >= 0 && static_cast<int>(fields.size()) > student_col)
        student = fields[static_cast<size_t>(student_col)];
    }
    Assignment a;
    LinkError error;
    if (!DecodeAssignmentLink(link, &a, &error)) {
      run.skipped.push_back({line_no, error.ToString()});
      continue;
    }
    GradedStudent gs;
    gs.line = line_no;
    gs.student = student.empty() ? a.student : student;
    for (int n : a.exercises) {
      const ExerciseSetup* setup = cache.Get(n, ExerciseSeed(a.seed, n));
      if (!setup) continue;
      const ExerciseWork* w = FindWork(a, n);
      static const CheckEntries kNone;
      const CheckEntries& entries = w ? w->entries : kNone;
      GradedExercise ge;
      ge.number = n;
      ge.seed = setup->seed;
      ge.report = GradeExercise(*setup, entries);
      GradeSummary& sum = summary[n];
      sum.exercise = n;
      ++sum.students;
      for (size_t s = 0; s < setup->steps.size(); ++s) {
        GradedStep step;
        step.id = setup->steps[s].id;
        const std::vector<std::string>* typed = nullptr;
        for (const auto& e : entries)
          if (e.first == step.id) typed = &e.second;
        for (size_t v = 0; v < setup->steps[s].values.size(); ++v) {
          GradedValue gv;
          if (typed && v < typed->size()) gv.typed = (*typed)[v];
          gv.verdict = ge.report.verdicts[s][v];
          gv.root_cause = ge.report.root_step == static_cast<int>(s) &&
                          ge.report.root_value == static_cast<int>(v);
          switch (gv.verdict) {
            case Verdict::kRight:
              ++sum.right;
              break;
            case Verdict::kCarried:
              ++sum.carried;
              break;
            case Verdict::kWrong:
              ++sum.wrong;
              break;
            case Verdict::kNotEntered:
              ++sum.empty;
              break;
          }
          step.values.push_back(std::move(gv));
        }
        ge.steps.push_back(std::move(step));
      }
      gs.exercises.push_back(std::move(ge));
    }
    run.students.push_back(std::move(gs));
  }
  for (auto& [n, s] : summary) run.summary.push_back(s);
  return run;
}

std::string GradeCsv(const GradeRun& run) {
  std::string out =
      "kind,line,student,exercise,step,value,typed,verdict,root_cause,right,carried,wrong,"
      "empty\n";
  for (const GradedStudent& st : run.students) {
    const std::string prefix = "step," + std::to_string(st.line) + "," + CsvField(st.student) + ",";
    for (const GradedExercise& ex : st.exercises) {
      const std::string e = "E" + std::to_string(ex.number) + ",";
      for (const GradedStep& step : ex.steps) {
        for (size_t v = 0; v < step.values.size(); ++v) {
          const GradedValue& gv = step.values[v];
          out += prefix + e + step.id + "," + std::to_string(v + 1) + "," + CsvField(gv.typed) +
                 "," + VerdictName(gv.verdict) + "," + (gv.root_cause ? "yes" : "") + ",,,,\n";
        }
      }
    }
  }
  for (const GradeSummary& s : run.summary)
    out += "summary,,,E" + std::to_string(s.exercise) + ",,,,,," + std::to_string(s.right) + "," +
           std::to_string(s.carried) + "," + std::to_string(s.wrong) + "," +
           std::to_string(s.empty) + "\n";
  return out;
}

std::string GradeJson(const GradeRun& run) {
  JsonWriter j;
  j.BeginObject().Key("students").BeginArray();
  for (const GradedStudent& st : run.students) {
    j.BeginObject().Key("line").Int(st.line).Key("student").String(st.student);
    j.Key("exercises").BeginArray();
    for (const GradedExercise& ex : st.exercises) {
      j.BeginObject().Key("number").Int(ex.number).Key("seed").Int(ex.seed);
      j.Key("progress").String(ProgressName(ExerciseProgress(ex.report)));
      j.Key("steps").BeginArray();
      for (const GradedStep& step : ex.steps) {
        j.BeginObject().Key("id").String(step.id).Key("values").BeginArray();
        for (const GradedValue& gv : step.values) {
          j.BeginObject().Key("typed").String(gv.typed);
          j.Key("verdict").String(VerdictName(gv.verdict)).Key("root_cause").Bool(gv.root_cause);
          j.EndObject();
        }
        j.EndArray().EndObject();
      }
      j.EndArray();
      j.Key("right").Int(ex.report.right).Key("carried").Int(ex.report.carried);
      j.Key("wrong").Int(ex.report.wrong).EndObject();
    }
    j.EndArray().EndObject();
  }
  j.EndArray().Key("summary").BeginArray();
  for (const GradeSummary& s : run.summary) {
    j.BeginObject().Key("exercise").Int(s.exercise).Key("students").Int(s.students);
    j.Key("right").Int(s.right).Key("carried").Int(s.carried).Key("wrong").Int(s.wrong);
    j.Key("empty").Int(s.empty).EndObject();
  }
  j.EndArray().Key("skipped").BeginArray();
  for (const SkippedLine& s : run.skipped)
    j.BeginObject().Key("line").Int(s.line).Key("error").String(s.error).EndObject();
  j.EndArray().EndObject();
  return j.str();
}

}  // namespace nnplay
