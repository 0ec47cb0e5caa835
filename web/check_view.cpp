// check_view.cpp: see check_view.h.
#include "check_view.h"

#include <cstdio>
#include <string>

#include "imgui.h"
#include "lab_widgets.h"
#include "theme.h"

namespace nnplay::web {

namespace {

// What a value may be typed as: a decimal (1.5e-3) or a fraction (1/3).
int FilterEntryChar(ImGuiInputTextCallbackData* data) {
  const ImWchar c = data->EventChar;
  const bool ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
                  c == 'E' || c == '/';
  return ok ? 0 : 1;
}

}  // namespace

bool ShowCheckMyWork(const std::vector<CheckStep>& steps, CheckEntries* entries,
                     const CheckRecompute& recompute) {
  bool edited = false;
  const CheckOutcome outcome = Check(steps, *entries, recompute);
  ImGui::PushID("check");
  ImGui::TextWrapped(
      "Check my work: type your own value for any step (as many digits as you worked "
      "with, or a fraction like 1/3); each is checked to the digits you typed, and a value "
      "that follows from an earlier slip counts as right for your earlier value.");
  const float field = ImGui::CalcTextSize("-0.000000").x + ImGui::GetStyle().FramePadding.x * 2;
  for (size_t s = 0; s < steps.size(); ++s) {
    const CheckStep& step = steps[s];
    ImGui::PushID(static_cast<int>(s));
    const bool first_wrong = outcome.first_wrong_step == static_cast<int>(s);
    ImGui::TextColored(ColV(first_wrong ? Pal().wrong : Pal().text), "%s%s",
                       first_wrong ? "> " : "  ", step.label.c_str());
    std::vector<std::string>* typed = FindEntries(entries, step);
    for (size_t v = 0; v < step.values.size(); ++v) {
      if (v > 0) SameLineIfRoom(field);  // fields flow left to right, wrapping at the edge
      ImGui::PushID(static_cast<int>(v));
      char buf[48];
      std::snprintf(buf, sizeof buf, "%s", (*typed)[v].c_str());
      const CheckStatus st = outcome.status[s][v];
      const ImU32 bg = Col(st == CheckStatus::kRight     ? Pal().right_bg
                           : st == CheckStatus::kCarried ? Pal().carried_bg
                           : st == CheckStatus::kWrong   ? Pal().wrong_bg
                                                         : Pal().frame);
      ImGui::PushStyleColor(ImGuiCol_FrameBg, bg);
      ImGui::SetNextItemWidth(field);
      if (ImGui::InputText(
              "##v", buf, sizeof buf,
              ImGuiInputTextFlags_CallbackCharFilter | ImGuiInputTextFlags_AutoSelectAll,
              FilterEntryChar)) {
        double parsed = 0;
        std::string why;
        // Keep only what parses (or an empty field): entries are links' contents.
        if (buf[0] == '\0' || ParseTyped(buf, &parsed, &why)) {
          (*typed)[v] = buf;
          edited = true;
        }
      }
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered() && st != CheckStatus::kNotEntered)
        ImGui::SetTooltip("%s", CheckVerdictText(st));
      HelpTip("check", "value");
      ImGui::PopID();
    }
    ImGui::PopID();
  }
  if (outcome.first_wrong_step >= 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().wrong));
    ImGui::TextWrapped("First slip: %s", outcome.explanation.c_str());
    ImGui::PopStyleColor();
    for (size_t i = 0; i < outcome.later.size(); ++i) {
      const bool carried = outcome.later_status[i] == CheckStatus::kCarried;
      ImGui::PushStyleColor(ImGuiCol_Text, Col(carried ? Pal().carried : Pal().wrong));
      ImGui::TextWrapped("%s", outcome.later[i].c_str());
      ImGui::PopStyleColor();
    }
  } else if (outcome.right > 0) {
    ImGui::TextColored(ColV(Pal().right), "All %d values you entered are right.", outcome.right);
  }
  ImGui::PopID();
  return edited;
}

}  // namespace nnplay::web
