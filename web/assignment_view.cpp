// assignment_view.cpp: see assignment_view.h. Wide: the exercise list with progress in a
// column on the left, the chosen exercise on the right. Narrow (a phone): a picker at the
// top, then the exercise, in one scroll. All wording and every verdict come from the engine.
#include "assignment_view.h"

#include <algorithm>
#include <cstdio>

#include "browser.h"
#include "fonts.h"
#include "imgui.h"
#include "lab_widgets.h"
#include "theme.h"

namespace nnplay::web {
namespace {

constexpr const char* kStorageKey = "nnplay.course";
std::string g_request;

ImVec4 Rect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

Rgba ProgressColor(Progress p) {
  return p == Progress::kDone     ? Pal().right
         : p == Progress::kPartly ? Pal().warning
                                  : Pal().text_muted;
}

// Whether the body font (the name field's) has a glyph for every character of `name`.
bool NameDrawable(const std::string& name) {
  const ImFont* font = Fonts().body;
  if (!font) return true;
  for (size_t i = 0; i < name.size();) {
    uint32_t c = 0;
    if (!DecodeUtf8(name, &i, &c)) return false;
    if (c > 0xFFFF || !font->FindGlyphNoFallback(static_cast<ImWchar>(c))) return false;
  }
  return true;
}

}  // namespace

std::string TakeAssignmentRequest() {
  std::string r;
  std::swap(r, g_request);
  return r;
}

std::string SavedAssignmentLink() {
  const std::string saved = LocalStorageGet(kStorageKey);
  Assignment a;
  LinkError ignored;
  if (!saved.empty() && DecodeAssignmentLink(saved, &a, &ignored)) return EncodeAssignment(a);
  return EncodeAssignment(AssignmentDefault());
}

AssignmentView::AssignmentView() {
  Recompute();
}

bool AssignmentView::Open(const Link& link, LinkError* error) {
  Assignment a;
  if (!DecodeAssignment(link, &a, error)) return false;
  a_ = std::move(a);
  std::snprintf(name_, sizeof name_, "%s", a_.student.c_str());
  Recompute();
  if (!chosen_ || !std::binary_search(a_.exercises.begin(), a_.exercises.end(), current_)) {
    // Resume where the work stands: the first exercise begun but not done, else the first
    // not started.
    current_ = a_.exercises.front();
    int started = 0, fresh = 0;
    for (size_t i = 0; i < a_.exercises.size(); ++i) {
      const Progress p = ExerciseProgress(reports_[i]);
      if (!started && p == Progress::kPartly) started = a_.exercises[i];
      if (!fresh && p == Progress::kNotStarted) fresh = a_.exercises[i];
    }
    current_ = started ? started : fresh ? fresh : current_;
  }
  Save();
  return true;
}

void AssignmentView::Reset() {
  a_ = AssignmentDefault();
  name_[0] = '\0';
  current_ = 1;
  Recompute();
}

void AssignmentView::Recompute() {
  setups_.clear();
  reports_.clear();
  for (int n : a_.exercises) {
    ExerciseSetup s;
    std::string why;
    MakeExercise(n, ExerciseSeed(a_.seed, n), &s, &why);
    const ExerciseWork* w = FindWork(a_, n);
    reports_.push_back(GradeExercise(s, w ? w->entries : CheckEntries{}));
    setups_.push_back(std::move(s));
  }
}

void AssignmentView::Save() const {
  const std::string link = Encode();
  if (link.size() <= kMaxLinkLength) LocalStorageSet(kStorageKey, link);
}

std::string AssignmentView::Summary() const {
  return AssignmentText().title + ": " + ProgressSummary(a_) + ".";
}

bool AssignmentView::ShowList(bool compact) {
  const AssignmentWords& words = AssignmentText();
  bool edited = false;
  ImGui::TextUnformatted(words.name_label.c_str());
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 320.0f));
  if (ImGui::InputText("##name", name_, sizeof name_)) {
    const std::string clean = CleanStudentName(name_);
    if (clean != a_.student) {
      a_.student = clean;
      edited = true;
    }
  }
  rects_.emplace_back("name", Rect());
  // A name in a script the fonts lack (CJK, Arabic, ...) draws as U+FFFD boxes: say so, so
  // nobody thinks it was lost (the link and nnplay grade keep it as typed).
  if (!NameDrawable(a_.student)) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", words.name_not_drawn.c_str());
    ImGui::PopTextWrapPos();
    rects_.emplace_back("name_note", Rect());
  }
  if (ImGui::CollapsingHeader(words.teacher.c_str())) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", words.teacher_note.c_str());
    ImGui::PopTextWrapPos();
    int seed = static_cast<int>(a_.seed);
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 200.0f));
    if (ImGui::InputInt(words.seed_label.c_str(), &seed, 1, 100,
                        ImGuiInputTextFlags_EnterReturnsTrue)) {
      seed = std::clamp(seed, 0, static_cast<int>(kMaxSeed));
      if (static_cast<uint32_t>(seed) != a_.seed) {
        a_.seed = static_cast<uint32_t>(seed);
        edited = true;
      }
    }
    rects_.emplace_back("seed", Rect());
  }
  ImGui::Spacing();
  if (compact) {
    // A phone: one picker for the thirteen exercises.
    std::string preview;
    for (size_t i = 0; i < a_.exercises.size(); ++i)
      if (a_.exercises[i] == current_)
        preview = "E" + std::to_string(current_) + " \u00b7 " +
                  ProgressName(ExerciseProgress(reports_[i]));
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (ImGui::BeginCombo("##exercise", preview.c_str())) {
      for (size_t i = 0; i < a_.exercises.size(); ++i) {
        const int n = a_.exercises[i];
        const AssignmentExercise* e = FindAssignmentExercise(n);
        const std::string label = "E" + std::to_string(n) + " " + e->title + " (" +
                                  ProgressName(ExerciseProgress(reports_[i])) + ")";
        if (ImGui::Selectable(label.c_str(), n == current_)) current_ = n, chosen_ = true;
      }
      ImGui::EndCombo();
    }
    rects_.emplace_back("picker", Rect());
    return edited;
  }
  ImGui::PushFont(Fonts().heading);
  ImGui::TextUnformatted(words.exercises.c_str());
  ImGui::PopFont();
  ImGui::TextDisabled("%s", ProgressSummary(a_).c_str());
  const float row_h = std::max(ImGui::GetFrameHeight(), 28.0f);
  for (size_t i = 0; i < a_.exercises.size(); ++i) {
    const int n = a_.exercises[i];
    const AssignmentExercise* e = FindAssignmentExercise(n);
    const Progress p = ExerciseProgress(reports_[i]);
    ImGui::PushID(n);
    const ImVec2 at = ImGui::GetCursorPos();
    if (ImGui::Selectable("##row", n == current_, 0, ImVec2(0.0f, row_h)))
      current_ = n, chosen_ = true;
    rects_.emplace_back("E" + std::to_string(n), Rect());
    const float text_y = at.y + (row_h - ImGui::GetTextLineHeight()) * 0.5f;
    ImGui::SetCursorPos(ImVec2(at.x + 4.0f, text_y));
    ImGui::Text("E%d", n);
    ImGui::SameLine(at.x + ImGui::CalcTextSize("E13  ").x);
    const float right = ImGui::GetContentRegionMax().x;
    const char* status = ProgressName(p);
    const float status_w = ImGui::CalcTextSize(status).x;
    ImGui::PushClipRect(ImGui::GetCursorScreenPos(),
                        ImVec2(ImGui::GetWindowPos().x + right - status_w - 12.0f,
                               ImGui::GetCursorScreenPos().y + row_h),
                        true);
    ImGui::TextUnformatted(e->title.c_str());
    ImGui::PopClipRect();
    ImGui::SameLine(right - status_w - 4.0f);
    ImGui::TextColored(ColV(ProgressColor(p)), "%s", status);
    ImGui::SetCursorPos(ImVec2(at.x, at.y + row_h + ImGui::GetStyle().ItemSpacing.y));
    ImGui::PopID();
  }
  return edited;
}

bool AssignmentView::ShowExercise() {
  const AssignmentWords& words = AssignmentText();
  size_t index = 0;
  while (index + 1 < a_.exercises.size() && a_.exercises[index] != current_) ++index;
  const int n = a_.exercises[index];
  const AssignmentExercise* e = FindAssignmentExercise(n);
  const ExerciseSetup& setup = setups_[index];
  const ExerciseReport& report = reports_[index];
  bool edited = false;

  ImGui::PushFont(Fonts().heading);
  ImGui::Text("E%d \u00b7 %s", n, e->title.c_str());
  ImGui::PopFont();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(e->question.c_str());
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  for (const std::string& line : setup.data) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(line.c_str());
    ImGui::PopTextWrapPos();
  }
  if (setup.seed != 0) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", words.your_numbers.c_str());
    ImGui::PopTextWrapPos();
  }
  const ExerciseWork* work = FindWork(a_, n);
  if (TapButton(words.open_lab.c_str()))
    g_request = ExerciseLabLink(setup, work ? work->entries : CheckEntries{});
  rects_.emplace_back("open_lab", Rect());
  ImGui::Spacing();
  Section(words.answers.c_str());

  const float field = ImGui::CalcTextSize("-0.000000").x + ImGui::GetStyle().FramePadding.x * 2;
  for (size_t s = 0; s < setup.steps.size(); ++s) {
    const CheckStep& step = setup.steps[s];
    ImGui::PushID(static_cast<int>(s));
    const bool root = report.root_step == static_cast<int>(s);
    ImGui::TextColored(ColV(root ? Pal().wrong : Pal().text), "%s", step.label.c_str());
    ExerciseWork* w = WorkFor(&a_, n);
    std::vector<std::string>* typed = FindEntries(&w->entries, step);
    for (size_t v = 0; v < step.values.size(); ++v) {
      if (v > 0) SameLineIfRoom(field);  // fields flow left to right, wrapping at the edge
      ImGui::PushID(static_cast<int>(v));
      char buf[48];
      std::snprintf(buf, sizeof buf, "%s", (*typed)[v].c_str());
      const Verdict verdict = s < report.verdicts.size() && v < report.verdicts[s].size()
                                  ? report.verdicts[s][v]
                                  : Verdict::kNotEntered;
      const ImU32 bg = Col(verdict == Verdict::kRight     ? Pal().right_bg
                           : verdict == Verdict::kCarried ? Pal().carried_bg
                           : verdict == Verdict::kWrong   ? Pal().wrong_bg
                                                          : Pal().frame);
      ImGui::PushStyleColor(ImGuiCol_FrameBg, bg);
      // Right for an earlier slip: amber, and framed, so it reads without colour too.
      const bool carried = verdict == Verdict::kCarried;
      if (carried) {
        ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 2.0f);
        ImGui::PushStyleColor(ImGuiCol_Border, Col(Pal().carried));
      }
      ImGui::SetNextItemWidth(field);
      if (ImGui::InputText(
              "##v", buf, sizeof buf,
              ImGuiInputTextFlags_CharsScientific | ImGuiInputTextFlags_AutoSelectAll)) {
        double parsed = 0;
        std::string why;
        // Keep only what reads as a number or a fraction (or an empty field).
        if (buf[0] == '\0' || ParseTyped(buf, &parsed, &why)) {
          (*typed)[v] = buf;
          edited = true;
        }
      }
      if (carried) {
        ImGui::PopStyleColor();
        ImGui::PopStyleVar();
      }
      ImGui::PopStyleColor();
      const std::string key = step.id + "." + std::to_string(v + 1);
      rects_.emplace_back("field:" + key, Rect());
      marks_.emplace_back(key, VerdictName(verdict));
      if (ImGui::IsItemHovered() && verdict != Verdict::kNotEntered)
        ImGui::SetTooltip("%s", verdict == Verdict::kRight     ? words.right_tip.c_str()
                                : verdict == Verdict::kCarried ? words.carried_tip.c_str()
                                                               : words.wrong_tip.c_str());
      ImGui::PopID();
    }
    // The hint: one more level per press (the rule, the numbers, the value).
    int level = 0;
    for (const auto& h : w->hints)
      if (h.first == step.id) level = h.second;
    ImGui::SameLine();
    ImGui::BeginDisabled(level >= kMaxHintLevel);
    const std::string hint = level >= kMaxHintLevel ? words.all_hints
                             : level == 0           ? words.hint
                                                    : words.more_hint;
    if (TapButton((hint + "##hint").c_str())) {
      bool found = false;
      for (auto& h : w->hints)
        if (h.first == step.id) h.second = std::min(h.second + 1, kMaxHintLevel), found = true;
      if (!found) {
        w->hints.emplace_back(step.id, 1);
        // Step order, as the link writes them.
        std::stable_sort(w->hints.begin(), w->hints.end(), [&](const auto& a, const auto& b) {
          auto pos = [&](const std::string& id) {
            for (size_t k = 0; k < setup.steps.size(); ++k)
              if (setup.steps[k].id == id) return k;
            return setup.steps.size();
          };
          return pos(a.first) < pos(b.first);
        });
      }
      edited = true;
    }
    ImGui::EndDisabled();
    rects_.emplace_back("hint:" + step.id, Rect());
    if (level > 0) {
      ImGui::Indent();
      ImGui::PushTextWrapPos(0.0f);
      for (const std::string& line : HintLines(step, level))
        ImGui::TextColored(ColV(Pal().text_muted), "%s", line.c_str());
      ImGui::PopTextWrapPos();
      ImGui::Unindent();
    }
    ImGui::PopID();
    ImGui::Spacing();
  }
  ImGui::PushTextWrapPos(0.0f);
  if (report.root_step >= 0) {
    ImGui::TextColored(ColV(Pal().wrong), "%s%s", words.root_prefix.c_str(),
                       report.explanation.c_str());
    for (size_t i = 0; i < report.later.size(); ++i) {
      const bool carried = i < report.later_carried.size() && report.later_carried[i];
      ImGui::TextColored(ColV(carried ? Pal().carried : Pal().wrong), "%s",
                         report.later[i].c_str());
    }
  } else if (report.entered > 0) {
    ImGui::TextColored(ColV(Pal().right), "%s", words.all_right.c_str());
  }
  ImGui::PopTextWrapPos();
  return edited;
}

LabChange AssignmentView::Draw() {
  rects_.clear();
  marks_.clear();
  const AssignmentWords& words = AssignmentText();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", words.intro.c_str());
  ImGui::PopTextWrapPos();
  bool edited = false;
  if (ImGui::GetContentRegionAvail().x < 760.0f) {
    edited |= ShowList(true);
    ImGui::Separator();
    edited |= ShowExercise();
  } else {
    ImGui::BeginChild("list", ImVec2(360.0f, 0.0f), false);
    edited |= ShowList(false);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("exercise", ImVec2(0.0f, 0.0f), false);
    edited |= ShowExercise();
    ImGui::EndChild();
  }
  if (!edited) return LabChange::kNone;
  TidyAssignment(&a_);
  Recompute();
  Save();
  return LabChange::kEdit;
}

void AssignmentView::Layout(JsonWriter* j) const {
  j->Key("assignment").BeginObject().Key("current").Int(current_);
  j->Key("rects").BeginObject();
  for (const auto& [id, r] : rects_)
    j->Key(id).BeginArray().Number(r.x).Number(r.y).Number(r.z).Number(r.w).EndArray();
  j->EndObject().Key("marks").BeginObject();
  for (const auto& [id, m] : marks_) j->Key(id).String(m);
  j->EndObject().EndObject();
}

}  // namespace nnplay::web
