// assignment_view.h: the Assignment view (engine/labs/assignment.h): the course's exercises
// E1-E13 with their progress, the chosen exercise's question and numbers, a button that
// opens the lab at them, an answer field per value of every asked step marked right / right
// for your earlier value / wrong, a hint per step revealed one level at a time, and the
// student's name. The work lives in the link ("v1/course?...") and in local storage.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lab_view.h"
#include "labs/assignment.h"

namespace nnplay::web {

class AssignmentView final : public LabView {
 public:
  AssignmentView();
  const char* Id() const override { return "course"; }
  const char* Title() const override { return "Assignment"; }
  bool Open(const Link& link, LinkError* error) override;
  std::string Encode() const override { return EncodeAssignment(a_); }
  std::string Json() const override { return AssignmentToJson(a_); }
  std::string Summary() const override;
  void Reset() override;
  LabChange Draw() override;
  void Layout(JsonWriter* json) const override;

 private:
  void Recompute();   // setups and reports after an edit or a new link
  void Save() const;  // local storage
  bool ShowList(bool compact);
  bool ShowExercise();

  Assignment a_ = AssignmentDefault();
  int current_ = 1;
  bool chosen_ = false;  // the student picked an exercise (else Open picks where to resume)
  char name_[256] = "";  // as typed (UTF-8); a_.student is its CleanStudentName
  std::vector<ExerciseSetup> setups_;    // one per a_.exercises
  std::vector<ExerciseReport> reports_;  // the same
  // For tests: where things were drawn this frame (CSS pixels) and each field's verdict.
  std::vector<std::pair<std::string, ImVec4>> rects_;
  std::vector<std::pair<std::string, std::string>> marks_;
};

// The link the view's "open the lab" button asked for since the last call ("" when none).
std::string TakeAssignmentRequest();
// The assignment this browser last worked on (local storage), or the default one's link.
std::string SavedAssignmentLink();

}  // namespace nnplay::web
