// assignment.h: the course as an assignment. The exercises E1-E13 in the course's order,
// each with its question in nnplay's words, the lab at the exercise's numbers, the steps
// the question asks (the lab's check-my-work steps), hints that reveal one level at a time
// (the formula, then the numbers plugged in, then the value) and progress; "your own
// numbers" variants made from a seed; and the assignment link
//
//   v1/course?ex=1-13&name=Ann+Lee&seed=7&e4=z1:0.15,-0.2;a1:0.15,0&h4=z2:2
//
// that carries which exercises, the student's entries and hint use, an optional name, and
// the variant seed (docs/link-format.md, "Assignment links"). Plain C++, no UI: the web's
// Assignment view and `nnplay grade` both build on it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "labs/check.h"
#include "link/link.h"

namespace nnplay {

constexpr int kExerciseCount = 13;
constexpr int kMaxHintLevel = 3;              // 1 the formula, 2 the numbers, 3 the value
constexpr size_t kMaxStudentName = 40;        // characters (Unicode code points)
constexpr size_t kMaxStudentNameBytes = 120;  // bytes of UTF-8: 40 CJK characters
constexpr uint32_t kMaxSeed = 999999999;      // variant seeds 0 (the course's numbers) .. this

struct AssignmentExercise {
  int number = 0;                  // 4 for E4
  std::string title;               // "A 2-2-3-2 MLP forward pass"
  std::string lab, preset;         // the lab and the preset the course's numbers come from
  std::string question;            // what to work out, in nnplay's words
  std::vector<std::string> asked;  // the step ids the question asks, in step order
  bool variants = false;           // a seed gives other numbers ("your own numbers")
};

// E1..E13 in the course's order.
const std::vector<AssignmentExercise>& AssignmentExercises();
// Exercise `number` (1..13), nullptr otherwise.
const AssignmentExercise* FindAssignmentExercise(int number);

// One exercise at its numbers: the course's (seed 0) or a variant's.
struct ExerciseSetup {
  int number = 0;
  uint32_t seed = 0;              // the variant's seed, 0 for the course's numbers
  std::string lab_link;           // the lab at the exercise's state, no entries: "v1/mlp?..."
  std::vector<CheckStep> steps;   // the asked steps with their right values, in order
  std::vector<bool> lab_steps;    // per step: the lab's own step (else the assignment's)
  std::vector<std::string> data;  // the exercise's numbers in a line each ("x = [0.5, −1]")
  // Every step of the lab (asked or not) and its recompute from the learner's values, for
  // error carried forward (check.h); recompute is empty for a lab without one.
  std::vector<CheckStep> lab_all;
  CheckRecompute recompute;
};

// The exercise at the variant `seed` (0 = the course's numbers; exercises without variants
// ignore the seed). False (with a message) only for an unknown exercise.
bool MakeExercise(int number, uint32_t seed, ExerciseSetup* setup, std::string* error);
// The seed of exercise `number`'s variant for an assignment seed (0 stays 0).
uint32_t ExerciseSeed(uint32_t assignment_seed, int number);

// The lab's link at the exercise's state with the student's entries on the lab's steps, so
// "open in the lab" shows their numbers in its check-my-work panel.
std::string ExerciseLabLink(const ExerciseSetup& setup, const CheckEntries& entries);

// ---- verdicts ------------------------------------------------------------------------------
enum class Verdict {
  kNotEntered,
  kRight,
  kCarried,  // right for the student's own earlier value (error carried forward)
  kWrong,
};
const char* VerdictName(Verdict v);  // "right", "carried", "wrong", "empty"

struct ExerciseReport {
  std::vector<std::vector<Verdict>> verdicts;  // per asked step, per value
  int root_step = -1, root_value = -1;         // the first wrong value (the root cause)
  std::string explanation;                     // what is off there and the right arithmetic
  std::vector<std::string> later;   // per later carried or wrong value: does it follow from it
  std::vector<bool> later_carried;  // per sentence: it does (else it is wrong)
  int right = 0, carried = 0, wrong = 0, entered = 0, total = 0;
};
ExerciseReport GradeExercise(const ExerciseSetup& setup, const CheckEntries& entries);

enum class Progress { kNotStarted, kPartly, kDone };
// Done: every asked value entered and none wrong; partly: something entered.
Progress ExerciseProgress(const ExerciseReport& report);
const char* ProgressName(Progress p);  // "not started", "partly", "done"

// The hint of `step` at `level` (1..3), cumulative: the formula; then, per value, the
// numbers plugged in; then the value. Lines of display text.
std::vector<std::string> HintLines(const CheckStep& step, int level);

struct Assignment;

// The words of the Assignment view and of the landing page's assignment row.
struct AssignmentWords {
  std::string title;           // "Assignment"
  std::string intro;           // what the view is for
  std::string name_label;      // the name field
  std::string name_not_drawn;  // under it, when the page's fonts lack some of its characters
  std::string exercises;       // the list's heading
  std::string open_lab;        // the button that opens the lab at the exercise's numbers
  std::string your_numbers;    // a variant's note
  std::string answers;         // the heading over the answer fields
  std::string hint, more_hint, all_hints;
  std::string right_tip, carried_tip, wrong_tip;  // tooltips of a marked field
  std::string root_prefix;                        // before the root cause's explanation
  std::string all_right;                          // every value entered is right
  std::string teacher;         // the collapsed section where a teacher sets the seed
  std::string teacher_note;    // what the seed does
  std::string seed_label;      // the seed field
  std::string landing_button;  // the landing page's button
  std::string landing_note;    // beside it
};
const AssignmentWords& AssignmentText();
// "3 done, 2 partly, 8 not started": the progress of `a`, for the list and the landing page.
std::string ProgressSummary(const Assignment& a);

// ---- the assignment and its link ---------------------------------------------------------
struct ExerciseWork {
  int number = 0;
  CheckEntries entries;                            // step id -> values as typed
  std::vector<std::pair<std::string, int>> hints;  // step id -> hint level shown (1..3)

  bool operator==(const ExerciseWork& o) const {
    return number == o.number && entries == o.entries && hints == o.hints;
  }
};

struct Assignment {
  std::vector<int> exercises;      // ascending, each once, 1..13
  std::string student;             // UTF-8, as CleanStudentName makes it (at most 40 characters)
  uint32_t seed = 0;               // 0: the course's numbers; else every variant's seed
  std::vector<ExerciseWork> work;  // entries and hints, ascending by number, none empty

  bool operator==(const Assignment& o) const {
    return exercises == o.exercises && student == o.student && seed == o.seed && work == o.work;
  }
};

Assignment AssignmentDefault();  // E1..E13, no name, the course's numbers, nothing entered
// The work on exercise `number` (created when absent).
ExerciseWork* WorkFor(Assignment* a, int number);
const ExerciseWork* FindWork(const Assignment& a, int number);
// Drops empty entries and hints and work left empty (the canonical form).
void TidyAssignment(Assignment* a);
// A typed name (UTF-8) made one the link carries: letters of any script, digits, single
// spaces and . - ' (other spaces become plain ones; control and invisible characters and
// broken UTF-8 are dropped), no leading or trailing punctuation or space, at most
// kMaxStudentName code points and kMaxStudentNameBytes bytes (cut between code points).
std::string CleanStudentName(std::string_view typed);

// "v1/course?ex=...": fields ex, name, seed, then e<N> and h<N> by exercise.
std::string EncodeAssignment(const Assignment& a);
bool DecodeAssignment(const Link& link, Assignment* a, LinkError* error);
// ParseLink, a lab that must be "course", then DecodeAssignment.
bool DecodeAssignmentLink(std::string_view text, Assignment* a, LinkError* error);
// State and grades as JSON (what `nnplay eval` prints for an assignment link).
std::string AssignmentToJson(const Assignment& a);

}  // namespace nnplay
