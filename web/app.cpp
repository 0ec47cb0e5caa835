// app.cpp: see app.h. Exported C functions for the page's scripts and the browser tests
// are at the bottom.
#include "app.h"

#include <algorithm>

#include "assignment_view.h"
#include "batchnorm_view.h"
#include "browser.h"
#include "cnn_view.h"
#include "conv_view.h"
#include "cost_view.h"
#include "dropout_view.h"
#include "flow_view.h"
#include "fonts.h"
#include "guide_view.h"
#include "imgui.h"
#include "json.h"
#include "lab_widgets.h"
#include "labs/export.h"
#include "labs/registry.h"
#include "mlp_view.h"
#include "platform/platform.h"
#include "platform/touch.h"
#include "softmax_view.h"
#include "theme.h"
#include "train_view.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#define NNPLAY_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE
#else
#define NNPLAY_EXPORT extern "C"
#endif

namespace nnplay::web {
namespace {

constexpr size_t kMaxUndo = 500;
// Undo and redo together hold at most this many bytes of links: a training run past its replay
// cap is a link of up to ~200 KB (its checkpoint), so a count alone would let them grow to
// 100 MB. The oldest entries go first.
constexpr size_t kMaxUndoBytes = 8u << 20;
constexpr double kCoalesceSeconds = 0.6;   // edits closer than this undo together (a drag)
constexpr size_t kOwnLinkLimit = 1 << 20;  // for links the app wrote itself (undo entries)
constexpr const char* kStorageKey = "nnplay.link";

}  // namespace

App& TheApp() {
  static App app;
  return app;
}

App::App() {
  labs_.push_back(std::make_unique<ConvLabView>());
  labs_.push_back(std::make_unique<SoftmaxLabView>());
  labs_.push_back(std::make_unique<BatchNormLabView>());
  labs_.push_back(std::make_unique<DropoutLabView>());
  labs_.push_back(std::make_unique<MlpLabView>());
  labs_.push_back(std::make_unique<FlowLabView>());
  labs_.push_back(std::make_unique<CostLabView>());
  labs_.push_back(std::make_unique<TrainLabView>());
  labs_.push_back(std::make_unique<CnnLabView>());
  labs_.push_back(std::make_unique<AssignmentView>());  // "course" links
  link_ = lab().Encode();
}

void App::Init() {
  BrowserInit();
  std::string start = GetUrlFragment();
  if (start.empty()) {
    // No link: pick up where this browser left off, silently if that no longer opens; a
    // browser that has never been here (or whose state no longer opens) gets the landing page.
    LinkError ignored;
    const std::string saved = LocalStorageGet(kStorageKey);
    if (saved.empty() || !Open(saved, kMaxLinkLength, &ignored)) {
      landing_open_ = first_visit_ = true;
      return;
    }
  } else {
    OpenLink(start);
  }
  ReplaceUrlFragment(broken_link_.empty() ? link_ : broken_link_);
}

void App::PushUndo(std::string link) {
  undo_.push_back(std::move(link));
  size_t bytes = 0;
  for (const std::string& l : undo_) bytes += l.size();
  for (const std::string& l : redo_) bytes += l.size();
  size_t drop = 0;
  while (undo_.size() - drop > 1 && (undo_.size() - drop > kMaxUndo || bytes > kMaxUndoBytes))
    bytes -= undo_[drop++].size();
  undo_.erase(undo_.begin(), undo_.begin() + static_cast<std::ptrdiff_t>(drop));
  // Still over (a long redo stack): the farthest redo entries go.
  while (!redo_.empty() && bytes > kMaxUndoBytes) {
    bytes -= redo_.front().size();
    redo_.erase(redo_.begin());
  }
}

bool App::Open(const std::string& text, size_t max_length, LinkError* error) {
  Link link;
  if (!ParseLink(text, &link, error, max_length)) return false;
  for (size_t i = 0; i < labs_.size(); ++i) {
    if (link.lab == labs_[i]->Id()) {
      if (!labs_[i]->Open(link, error)) return false;
      current_ = i;
      link_ = lab().Encode();
      landing_open_ = first_visit_ = false;
      return true;
    }
  }
  *error = {"lab", "there is no lab called '" + link.lab + "'"};
  return false;
}

bool App::OpenLink(const std::string& text) {
  const std::string before = link_;
  LinkError error;
  if (!Open(text, kMaxLinkLength, &error)) {
    message_ = "This link could not be opened: " + error.ToString() +
               ". Nothing was changed; the lab shows what it showed before.";
    broken_link_ = text;
    return false;
  }
  message_.clear();
  broken_link_.clear();
  if (link_ != before) {
    redo_.clear();
    PushUndo(before);
  }
  ReplaceUrlFragment(link_);  // the canonical form of what was opened
  LocalStorageSet(kStorageKey, link_);
  return true;
}

void App::Committed(LabChange change) {
  const std::string before = link_;
  link_ = lab().Encode();
  if (link_ == before) return;
  const double now = ImGui::GetTime();
  redo_.clear();
  if (change == LabChange::kNavigate || now - last_edit_ > kCoalesceSeconds || undo_.empty())
    PushUndo(before);
  last_edit_ = change == LabChange::kNavigate ? -10.0 : now;
  message_.clear();
  broken_link_.clear();
  if (link_.size() <= kMaxLinkLength) {
    // Presets get a history entry (back returns to the previous one); edits do not.
    if (change == LabChange::kNavigate) {
      PushUrlFragment(link_);
    } else {
      ReplaceUrlFragment(link_);
    }
    LocalStorageSet(kStorageKey, link_);
  }
}

void App::SyncLink() {
  if (!landing_open_) Committed(LabChange::kEdit);
}

void App::Navigate(const std::string& text) {
  const std::string before = link_;
  LinkError error;
  if (!Open(text, kOwnLinkLimit, &error)) {
    message_ = "This preset could not be opened: " + error.ToString();
    return;
  }
  if (link_ == before) return;
  redo_.clear();
  PushUndo(before);
  message_.clear();
  broken_link_.clear();
  PushUrlFragment(link_);
  LocalStorageSet(kStorageKey, link_);
}

void App::ShowLanding() {
  ImGui::BeginChild("landing", ImVec2(0.0f, 0.0f), false);
  const LandingPick pick = landing_.Draw(first_visit_ ? "" : lab().Id());
  ImGui::EndChild();
  if (!pick.link.empty()) {
    OpenFromLanding(pick.link);
  } else if (!pick.lab.empty()) {
    for (const auto& l : labs_)
      if (pick.lab == l->Id()) OpenFromLanding(l->Encode());
  }
}

void App::OpenFromLanding(const std::string& link) {
  const bool had_link = !GetUrlFragment().empty(), first = first_visit_;
  const std::string before = link_;
  landing_open_ = first_visit_ = false;
  Navigate(link);
  if (link_ == before && first) {
    // A first visit picked the lab already loaded behind the page: still a history entry
    // (Back returns to the landing page), and a link in the address bar.
    message_.clear();
    if (had_link) {
      ReplaceUrlFragment(link_);
    } else {
      PushUrlFragment(link_);
    }
    LocalStorageSet(kStorageKey, link_);
  }
}

void App::FollowTitle() {
  // The landing page is not a lab: its own title (keyed by a string no link can be).
  const std::string key = landing_open_ ? std::string("landing page") : link_;
  if (!title_link_.empty() && title_link_ == key) return;
  title_link_ = key;
  if (landing_open_) return SetDocumentTitle("nnplay \u00b7 labs and course exercises");
  static const std::vector<PresetInfo> presets = AllPresets();
  std::string title = lab().Title();
  for (const PresetInfo& p : presets) {
    if (p.lab == lab().Id() && p.link == link_) {
      title += " \u2014 " + p.title;  // an em dash
      break;
    }
  }
  SetDocumentTitle(title + " \u00b7 nnplay");
}

void App::ImportText(const std::string& text) {
  std::string link = text, why;
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{' &&
      !JsonTopLevelString(text, "link", &link, &why)) {
    message_ = "This file could not be opened: " + why + ".";
    return;
  }
  while (!link.empty() && (link.back() == '\n' || link.back() == '\r')) link.pop_back();
  const std::string before = link_;
  LinkError error;
  // A state file may hold more than a link can (an image); it is validated all the same.
  if (!Open(link, kOwnLinkLimit, &error)) {
    message_ = "This file could not be opened: " + error.ToString() +
               ". Nothing was changed; the lab shows what it showed before.";
    return;
  }
  message_.clear();
  broken_link_.clear();
  if (link_ != before) redo_.clear(), PushUndo(before);
  if (link_.size() <= kMaxLinkLength) {
    PushUrlFragment(link_);
    LocalStorageSet(kStorageKey, link_);
  }
}

void App::ImportImage(const unsigned char* rgba, int w, int h) {
  if (!lab().LoadImage(rgba, w, h)) {
    message_ = std::string("The ") + lab().Title() + " lab does not take images.";
    return;
  }
  Committed(LabChange::kNavigate);
}

void App::ImportCsv(const std::string& text) {
  bool changed = false;
  if (!lab().LoadCsv(text, &changed)) {
    message_ = std::string("The ") + lab().Title() + " lab does not take CSV data.";
    return;
  }
  if (changed) Committed(LabChange::kNavigate);
}

bool App::Undo() {
  if (undo_.empty()) return false;
  LinkError error;
  const std::string current = link_;
  if (!Open(undo_.back(), kOwnLinkLimit, &error)) return false;
  undo_.pop_back();
  redo_.push_back(current);
  last_edit_ = -10.0;
  if (link_.size() <= kMaxLinkLength) ReplaceUrlFragment(link_);
  return true;
}

bool App::Redo() {
  if (redo_.empty()) return false;
  LinkError error;
  const std::string current = link_;
  if (!Open(redo_.back(), kOwnLinkLimit, &error)) return false;
  redo_.pop_back();
  PushUndo(current);
  last_edit_ = -10.0;
  if (link_.size() <= kMaxLinkLength) ReplaceUrlFragment(link_);
  return true;
}

std::string App::LayoutJson() const {
  JsonWriter j;
  j.BeginObject().Key("lab").String(lab().Id());
  lab().Layout(&j);
  WriteHelpLayout(&j);
  WriteGuideLayout(&j);
  j.Key("landing").BeginObject().Key("open").Bool(landing_open_);
  landing_.Layout(&j);
  j.EndObject();
  // True while a cell editor has the keyboard: tests wait for it before typing.
  j.Key("text_input").Bool(ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput);
  j.Key("buttons").BeginObject();
  for (const auto& [name, r] : button_rects_) {
    j.Key(name).BeginArray();
    for (float v : r) j.Number(v);
    j.EndArray();
  }
  j.EndObject();
  // Frames drawn so far: tests see the page drawing.
  j.Key("frame").Int(ImGui::GetCurrentContext() ? ImGui::GetFrameCount() : 0);
  j.Key("too_long").String(TooLongNotice());  // the notice shown, or ""
  j.Key("undo").Int(static_cast<long long>(undo_.size()));
  j.Key("redo").Int(static_cast<long long>(redo_.size()));
  j.EndObject();
  return j.str();
}

std::string App::TooLongNotice() const {
  if (link_.size() <= kMaxLinkLength) return "";
  return "This state needs " + std::to_string(link_.size()) +
         " characters, more than a link may hold (" + std::to_string(kMaxLinkLength) +
         "): the address bar keeps the last state that fit. Use Export JSON to keep or share "
         "it.";
}

// The lab's state as a Python script (engine/labs/export.h) on the clipboard, or why not.
void App::CopyAsCode(bool torch) {
  SyncLink();
  std::string script;
  LinkError error;
  if (ExportLink(link_, torch ? ExportLanguage::kTorch : ExportLanguage::kNumpy, &script, &error)) {
    CopyToClipboard(script);
    code_note_ = torch ? "PyTorch script copied" : "NumPy script copied";
    code_copied_ = true;
  } else {
    code_note_ = "Not copied: " + error.message;
    code_copied_ = false;
  }
  code_note_at_ = ImGui::GetTime();
}

bool App::HeaderButton(const char* name, const char* label) {
  // Buttons flow and wrap at the window's edge (a phone is narrower than the header).
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  const float width =
      ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
  if (ImGui::GetCursorScreenPos().x + width > right &&
      ImGui::GetCursorScreenPos().x > ImGui::GetWindowPos().x + 20.0f)
    ImGui::NewLine();
  const bool clicked = ImGui::Button(label);
  HelpTip("app", name);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  button_rects_.push_back({name, {a.x, a.y, b.x - a.x, b.y - a.y}});
  return clicked;
}

void App::ShowHeader() {
  button_rects_.clear();
  ImGui::PushFont(Fonts().heading);
  ImGui::TextUnformatted("nnplay");
  ImGui::PopFont();
  ImGui::SameLine();
  if (HeaderButton("gallery", "Labs & presets")) {
    if (!landing_open_) {
      landing_open_ = true;
    } else if (first_visit_) {
      OpenFromLanding(link_);
    } else {
      landing_open_ = false;
    }
  }
  ImGui::SameLine();
  if (landing_open_) {
    ImGui::TextDisabled("Home");
  } else {
    ImGui::TextDisabled(lab().Id() == std::string("course") ? "%s" : "%s lab", lab().Title());
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(undo_.empty());
  if (HeaderButton("undo", "Undo")) Undo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(redo_.empty());
  if (HeaderButton("redo", "Redo")) Redo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  const bool too_long = link_.size() > kMaxLinkLength;
  ImGui::BeginDisabled(too_long);
  if (HeaderButton("copy", "Copy link")) {
    // While training plays the link follows the steps only now and then (web/lab_view.h
    // StepLink): the one copied is the network on screen now. Longer than a link may hold
    // (a checkpoint past the replay cap), it is not copied and the notice says so.
    SyncLink();
    if (link_.size() <= kMaxLinkLength) {
      CopyToClipboard(UrlWithFragment(link_));
      copied_at_ = ImGui::GetTime();
    }
  }
  ImGui::EndDisabled();
  if (ImGui::GetTime() - copied_at_ < 2.0) {
    ImGui::SameLine();
    ImGui::TextDisabled("Copied");
  }
  ImGui::SameLine();
  // One header button opens the two choices (the header stays on one line at 1280 px);
  // after a copy it says so for a few seconds, a refusal is said in full beside it.
  const bool code_recent = ImGui::GetTime() - code_note_at_ < 3.0;
  if (HeaderButton("copy-code", code_recent && code_copied_ ? "Code copied###copy-code"
                                                            : "Copy as code###copy-code"))
    ImGui::OpenPopup("copy-code-menu");
  if (ImGui::BeginPopup("copy-code-menu")) {
    const auto record = [&](const char* name) {  // the item's rectangle, for the tests
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      button_rects_.push_back({name, {a.x, a.y, b.x - a.x, b.y - a.y}});
    };
    // Under a finger each choice is as tall as a button (a tap target).
    const ImVec2 item(0, platform::CoarsePointer() ? ImGui::GetFrameHeight() : 0.0f);
    if (ImGui::Selectable("Copy as PyTorch", false, 0, item)) CopyAsCode(true);
    HelpTip("app", "copy-torch");
    record("copy-torch");
    if (ImGui::Selectable("Copy as NumPy", false, 0, item)) CopyAsCode(false);
    HelpTip("app", "copy-numpy");
    record("copy-numpy");
    ImGui::EndPopup();
  }
  if (code_recent && !code_copied_) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", code_note_.c_str());
  }
  ImGui::SameLine();
  if (HeaderButton("export", "Export JSON")) {
    const std::string json = lab().Json();
    DownloadFile(std::string("nnplay-") + lab().Id() + ".json", "application/json", json.data(),
                 json.size());
  }
  ImGui::SameLine();
  if (HeaderButton("import", "Import...")) PickFile(FilePurpose::kStateJson, 0);
  ImGui::SameLine();
  if (HeaderButton("reset", "Reset lab")) {
    lab().Reset();
    Committed(LabChange::kNavigate);
  }
  ImGui::SameLine();
  const bool dark = CurrentTheme() == Theme::kDark;
  if (HeaderButton("theme", dark ? "Light theme" : "Dark theme"))
    SetTheme(dark ? Theme::kLight : Theme::kDark, true);
  if (too_long) {
    ImGui::PushStyleColor(ImGuiCol_Text, ColV(Pal().warning));
    ImGui::TextWrapped("%s", TooLongNotice().c_str());
    ImGui::PopStyleColor();
  }
  if (!message_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, Col(Pal().error_bg));
    ImGui::PushStyleColor(ImGuiCol_Text, Col(Pal().error_text));
    const float wrap = ImGui::GetContentRegionAvail().x - 16.0f;
    const float lines = ImGui::CalcTextSize(message_.c_str(), nullptr, false, wrap).y +
                        ImGui::CalcTextSize(broken_link_.c_str(), nullptr, false, wrap).y;
    ImGui::BeginChild("banner", ImVec2(0, lines + ImGui::GetFrameHeightWithSpacing() * 2.0f), true);
    ImGui::TextWrapped("%s", message_.c_str());
    ImGui::TextWrapped("Link: %s", broken_link_.c_str());
    ImGui::PopStyleColor();
    if (TapButton("Dismiss")) message_.clear(), broken_link_.clear();
    HelpTip("app", "dismiss");
    ImGui::SameLine();
    if (TapButton("Copy the broken link")) CopyToClipboard(broken_link_);
    HelpTip("app", "copy-broken");
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
}

void App::Frame() {
  FollowSystemTheme();
  // Back/forward, or a link pasted into the address bar.
  if (ConsumeHashChanged()) {
    const std::string fragment = GetUrlFragment();
    if (fragment.empty()) {
      landing_open_ = true;  // Back to the address without a link: the landing page
    } else if (fragment != link_ && fragment != broken_link_) {
      OpenLink(fragment);
    } else {
      landing_open_ = false;  // Forward again to the lab behind the page
    }
  }
  // Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y), unless a text field has the keyboard.
  const ImGuiIO& io = ImGui::GetIO();
  if ((io.KeyCtrl || io.KeySuper) && !io.WantTextInput) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z), false)) {
      io.KeyShift ? Redo() : Undo();
    } else if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Y), false)) {
      Redo();
    }
  }

  BeginHelpFrame();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("nnplay", nullptr,
               ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  ShowHeader();
  ImGui::Separator();
  if (landing_open_) {
    ShowLanding();
  } else {
    const LabChange change = lab().Draw();
    if (change != LabChange::kNone) Committed(change);
    // A guide's "Show me" opens its preset once the lab has drawn.
    if (const std::string request = TakeGuideRequest(); !request.empty()) Navigate(request);
    // The Assignment view's "open the lab at these numbers".
    if (const std::string request = TakeAssignmentRequest(); !request.empty()) Navigate(request);
  }
  ImGui::End();

  FollowTitle();

  // Screen readers: the results as a sentence, and any message.
  std::string live = lab().Summary();
  if (!message_.empty()) live = message_ + " " + live;
  if (ImGui::GetTime() - code_note_at_ < 3.0) live = code_note_ + ". " + live;
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

NNPLAY_EXPORT void nnplay_file_text(int purpose, const char* text) {
  nnplay::web::App& app = nnplay::web::TheApp();
  const std::string name = text ? text : "";
  if (purpose == -1) return app.Notice("'" + name + "' is too large to open here.");
  if (purpose == -2) return app.Notice("'" + name + "' is not an image this browser can decode.");
  if (purpose == static_cast<int>(nnplay::web::FilePurpose::kCsv)) return app.ImportCsv(name);
  app.ImportText(name);
}

NNPLAY_EXPORT void nnplay_file_image(const unsigned char* rgba, int w, int h) {
  if (rgba && w > 0 && h > 0 && w <= 4096 && h <= 4096)
    nnplay::web::TheApp().ImportImage(rgba, w, h);
}

NNPLAY_EXPORT int nnplay_undo() {
  return nnplay::web::TheApp().Undo() ? 1 : 0;
}
NNPLAY_EXPORT int nnplay_redo() {
  return nnplay::web::TheApp().Redo() ? 1 : 0;
}
