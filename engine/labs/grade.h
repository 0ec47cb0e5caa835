// grade.h: a teacher's grading run over the assignment links students sent back
// (`nnplay grade FILE`). The file holds one assignment link per line, or is a CSV file
// whose header names a `link` column (and optionally a `student` column). Every line is
// graded on its own: per student, per exercise, per step and value the verdict (right,
// carried, wrong, empty), the root cause, and per exercise a summary. A line that is not an
// assignment link is reported with its number and skipped; nothing stops the run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "labs/assignment.h"

namespace nnplay {

struct GradedValue {
  std::string typed;  // "" when not entered
  Verdict verdict = Verdict::kNotEntered;
  bool root_cause = false;  // the first wrong value of the exercise
};
struct GradedStep {
  std::string id;
  std::vector<GradedValue> values;
};
struct GradedExercise {
  int number = 0;
  uint32_t seed = 0;  // the variant's seed (0: the course's numbers)
  std::vector<GradedStep> steps;
  ExerciseReport report;
};
struct GradedStudent {
  int line = 0;         // 1-based line of the file
  std::string student;  // the CSV's student column, else the link's name, else ""
  std::vector<GradedExercise> exercises;
};
struct GradeSummary {
  int exercise = 0;
  int students = 0;  // links that include the exercise
  int right = 0, carried = 0, wrong = 0, empty = 0;
};
struct SkippedLine {
  int line = 0;
  std::string error;
};
struct GradeRun {
  std::vector<GradedStudent> students;
  std::vector<GradeSummary> summary;  // E1..E13, those some link includes
  std::vector<SkippedLine> skipped;
};

GradeRun GradeText(std::string_view text);

// CSV: a header, one row per student, exercise, step and value, then one summary row per
// exercise: kind,line,student,exercise,step,value,typed,verdict,root_cause,right,carried,
// wrong,empty.
std::string GradeCsv(const GradeRun& run);
std::string GradeJson(const GradeRun& run);

}  // namespace nnplay
