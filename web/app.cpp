// app.cpp: see app.h. Exported C functions for the page's scripts and the browser tests
// are at the bottom.
#include "app.h"

#include "browser.h"
#include "imgui.h"
#include "json.h"
#include "link/number.h"
#include "platform/platform.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define NNPLAY_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define NNPLAY_EXPORT extern "C"
#endif

namespace nnplay::web {

App& TheApp() {
  static App app;
  return app;
}

void App::Init() {
  BrowserInit();
  const std::string fragment = GetUrlFragment();
  if (!fragment.empty()) OpenLink(fragment);
  ReplaceUrlFragment(broken_link_.empty() ? link_ : broken_link_);
}

bool App::OpenLink(const std::string& text) {
  Link link;
  LinkError error;
  ConvLabState state;
  bool ok = ParseLink(text, &link, &error);
  if (ok && link.lab != "conv") {
    error = {"lab", "there is no lab called '" + link.lab + "'"};
    ok = false;
  }
  if (ok) ok = DecodeConvLab(link, &state, &error);
  if (!ok) {
    message_ = "This link could not be opened: " + error.ToString() +
               ". Nothing was changed; the lab shows what it showed before.";
    broken_link_ = text;
    return false;
  }
  state_ = std::move(state);
  message_.clear();
  broken_link_.clear();
  view_.selected_y = view_.selected_x = -1;
  Recompute();
  return true;
}

void App::Recompute() {
  EvaluateConvLab(state_, &result_);
  link_ = EncodeConvLab(state_);
}

std::string App::StateJson() const {
  return ConvLabToJson(state_, result_);
}

std::string App::LayoutJson() const {
  JsonWriter j;
  j.BeginObject();
  auto grid = [&](const char* name, const GridView& g) {
    const GridRect& r = g.rect();
    j.Key(name).BeginObject().Key("x").Number(r.x).Key("y").Number(r.y).Key("cell").Number(r.cell);
    j.Key("rows").Int(r.rows).Key("cols").Int(r.cols).EndObject();
  };
  grid("input", view_.input_grid);
  grid("filter", view_.filter_grid);
  grid("output", view_.output_grid);
  // True while a cell editor has the keyboard: tests wait for it before typing.
  j.Key("text_input").Bool(ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput);
  j.EndObject();
  return j.str();
}

void App::ShowHeader() {
  ImGui::TextUnformatted("nnplay");
  ImGui::SameLine();
  ImGui::TextDisabled("| Convolution lab");
  ImGui::SameLine();
  if (ImGui::Button("Copy link")) {
    CopyToClipboard(UrlWithFragment(link_));
    copied_at_ = ImGui::GetTime();
  }
  if (ImGui::GetTime() - copied_at_ < 2.0) {
    ImGui::SameLine();
    ImGui::TextDisabled("Copied");
  }
  ImGui::SameLine();
  if (ImGui::Button("Reset to E9")) {
    state_ = ConvLabDefault();
    Recompute();
  }
  if (!message_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(253, 236, 234, 255));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(140, 20, 10, 255));
    const float wrap = ImGui::GetContentRegionAvail().x - 16.0f;
    const float lines = ImGui::CalcTextSize(message_.c_str(), nullptr, false, wrap).y +
                        ImGui::CalcTextSize(broken_link_.c_str(), nullptr, false, wrap).y;
    ImGui::BeginChild("banner", ImVec2(0, lines + ImGui::GetFrameHeightWithSpacing() * 2.0f), true);
    ImGui::TextWrapped("%s", message_.c_str());
    ImGui::TextWrapped("Link: %s", broken_link_.c_str());
    ImGui::PopStyleColor();
    if (ImGui::SmallButton("Dismiss")) message_.clear(), broken_link_.clear();
    ImGui::SameLine();
    if (ImGui::SmallButton("Copy the broken link")) CopyToClipboard(broken_link_);
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
}

void App::Frame() {
  if (ConsumeHashChanged()) {
    const std::string fragment = GetUrlFragment();
    if (fragment != link_) OpenLink(fragment);
  }
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("nnplay", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  ShowHeader();
  ImGui::Separator();
  if (ShowConvLab(&state_, result_, &view_)) {
    Recompute();
    message_.clear();
    broken_link_.clear();
  }
  ImGui::End();

  // The address bar follows every edit without adding history entries; while a broken
  // link is on show it stays in the address bar so it can be copied.
  if (broken_link_.empty()) ReplaceUrlFragment(link_);

  // Screen readers: the output and the arithmetic in focus, as text.
  std::string live = result_.error.empty() ? "Output " + std::to_string(result_.rows.out) + " by " +
                                                 std::to_string(result_.cols.out) + "."
                                           : result_.error;
  if (!message_.empty()) live = message_ + " " + live;
  if (live != live_text_) platform::AnnounceLive((live_text_ = live).c_str());
}

}  // namespace nnplay::web

// ---- exports: Module.ccall('nnplay_state_json', 'string') and friends -------------------

NNPLAY_EXPORT const char* nnplay_state_json() {
  static std::string json;
  json = nnplay::web::TheApp().StateJson();
  return json.c_str();
}

NNPLAY_EXPORT int nnplay_open_link(const char* link) {
  return nnplay::web::TheApp().OpenLink(link ? link : "") ? 1 : 0;
}

NNPLAY_EXPORT const char* nnplay_link() {
  return nnplay::web::TheApp().link().c_str();
}

NNPLAY_EXPORT const char* nnplay_message() {
  return nnplay::web::TheApp().message().c_str();
}

NNPLAY_EXPORT const char* nnplay_layout_json() {
  static std::string json;
  json = nnplay::web::TheApp().LayoutJson();
  return json.c_str();
}
