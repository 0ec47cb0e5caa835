// grid_view.cpp: see grid_view.h.
#include "grid_view.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "browser.h"
#include "fonts.h"
#include "image/png.h"
#include "lab_widgets.h"
#include "labs/notation.h"
#include "link/number.h"
#include "theme.h"

namespace nnplay::web {
namespace {

float AbsMax(const float* v, size_t n) {
  float m = 0.0f;
  for (size_t i = 0; i < n; ++i)
    if (std::isfinite(v[i])) m = std::max(m, std::fabs(v[i]));
  return m;
}

// The value as it fits a cell in `font`: rounded for display (labs/notation.h) to 6
// significant digits if that fits, else 4, 3 or 2, else nothing.
std::string CellText(float v, float width, ImFont* font) {
  const float px = FontPx(font);
  for (int digits : {6, 4, 3, 2}) {
    const std::string s = Num(v, digits);
    if (font->CalcTextSizeA(px, FLT_MAX, 0.0f, s.c_str()).x <= width) return s;
  }
  return std::string();
}

}  // namespace

float FitCellSize(int rows, int cols, ImVec2 avail, float max_cell) {
  const float by_w = avail.x / static_cast<float>(std::max(cols, 1));
  const float by_h = avail.y / static_cast<float>(std::max(rows, 1));
  return std::max(4.0f, std::floor(std::min({by_w, by_h, max_cell})));
}

void GridView::SavePng(const char* name) const {
  const std::vector<unsigned char> px = heatmap_.ReadPixels();
  const int h = heatmap_.Height(), w = heatmap_.Width();
  if (px.empty()) return;
  const int scale = std::clamp(512 / std::max(h, w), 1, 32);  // cells big enough to see
  const std::string big = ScaleRgba(px.data(), w, h, scale);
  const std::string png =
      EncodePngRgba(reinterpret_cast<const uint8_t*>(big.data()), w * scale, h * scale);
  DownloadFile(std::string("nnplay-") + name + ".png", "image/png", png.data(), png.size());
}

void GridView::StartEditing(float value, int y, int x) {
  edit_y_ = y, edit_x_ = x;
  focus_editor_ = true;
  focus_grace_ = 3;
  edit_error_.clear();
  std::snprintf(edit_buffer_, sizeof edit_buffer_, "%s", FormatFloat(value).c_str());
}

GridEvents GridView::Draw(const char* id, float* data, int h, int w, const GridOptions& o) {
  GridEvents ev;
  const size_t count = static_cast<size_t>(h) * static_cast<size_t>(w);
  auto value = [&](int y, int x) -> float& { return data[static_cast<size_t>(y) * w + x]; };
  const float c = o.cell;
  const int rows = h + o.pad_top + o.pad_bottom, cols = w + o.pad_left + o.pad_right;
  ImGui::PushID(id);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size(c * static_cast<float>(cols), c * static_cast<float>(rows));
  const ImVec2 img0(origin.x + c * static_cast<float>(o.pad_left),
                    origin.y + c * static_cast<float>(o.pad_top));
  const ImVec2 img1(img0.x + c * static_cast<float>(w), img0.y + c * static_cast<float>(h));
  rect_ = {img0.x, img0.y, c, h, w};

  if (edit_y_ >= h || edit_x_ >= w) edit_y_ = edit_x_ = -1;  // the grid shrank

  ImGui::InvisibleButton("grid", size);
  ImGui::SetItemAllowOverlap();
  if (o.help.lab && edit_y_ < 0) HelpTip(o.help.lab, o.help.control, true);
  if (ImGui::BeginPopupContextItem("grid-menu")) {
    if (ImGui::MenuItem("Save as PNG")) SavePng(id);
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    rect_.menu_item[0] = a.x, rect_.menu_item[1] = a.y;
    rect_.menu_item[2] = b.x - a.x, rect_.menu_item[3] = b.y - a.y;
    ImGui::EndPopup();
  }
  auto cell_at = [&](ImVec2 p, int* y, int* x) {
    *x = static_cast<int>(std::floor((p.x - img0.x) / c));
    *y = static_cast<int>(std::floor((p.y - img0.y) / c));
    return *x >= 0 && *x < w && *y >= 0 && *y < h;
  };
  int my = -1, mx = -1;
  const bool over_cell = cell_at(ImGui::GetIO().MousePos, &my, &mx);
  if (ImGui::IsItemHovered() && over_cell) ev.hovered_y = my, ev.hovered_x = mx;

  // Press, drag and release: a click edits one cell, a drag paints the brush value.
  if (ImGui::IsItemActivated()) {
    press_y_ = over_cell ? my : -1, press_x_ = over_cell ? mx : -1;
    painting_ = false;
  }
  if (ImGui::IsItemActive() && press_y_ >= 0 && o.editable && over_cell &&
      (my != press_y_ || mx != press_x_ || painting_)) {
    if (!painting_) {
      painting_ = true;
      edit_y_ = edit_x_ = -1;
      if (value(press_y_, press_x_) != o.brush) value(press_y_, press_x_) = o.brush;
      ev.changed = true;
    }
    if (value(my, mx) != o.brush) {
      value(my, mx) = o.brush;
      ev.changed = true;
    }
  }
  if (ImGui::IsItemDeactivated()) {
    if (!painting_ && press_y_ >= 0 && over_cell && my == press_y_ && mx == press_x_) {
      ev.clicked_y = my, ev.clicked_x = mx;
      if (o.editable) StartEditing(value(my, mx), my, mx);
    }
    press_y_ = press_x_ = -1;
    painting_ = false;
  }

  // Colours: upload only when the values changed.
  if (uploaded_h_ != h || uploaded_w_ != w || uploaded_.size() != count ||
      !std::equal(uploaded_.begin(), uploaded_.end(), data)) {
    absmax_ = AbsMax(data, count);
    heatmap_.Upload(data, h, w, absmax_);
    uploaded_.assign(data, data + count);
    uploaded_h_ = h, uploaded_w_ = w;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const bool has_pad = rows != h || cols != w;
  const Palette& pal = Pal();
  if (has_pad)
    dl->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), Col(pal.cell_pad));
  dl->AddImage(heatmap_.TextureId(), img0, img1);

  // Grid lines, then numbers (dark on light colours, light on saturated ones).
  if (c >= 6.0f) {
    for (int i = 0; i <= cols; ++i) {
      const float x = origin.x + c * static_cast<float>(i);
      dl->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + size.y), Col(pal.cell_line));
    }
    for (int i = 0; i <= rows; ++i) {
      const float y = origin.y + c * static_cast<float>(i);
      dl->AddLine(ImVec2(origin.x, y), ImVec2(origin.x + size.x, y), Col(pal.cell_line));
    }
  }
  const float absmax = absmax_;  // of the values uploaded above: they are these values
  const float font = ImGui::GetFontSize();
  // Numbers in the monospace font, sized with the cell (up to half its height).
  ImFont* digits = GridFont(c * 0.5f);
  const float digits_px = FontPx(digits);
  if (c >= digits_px * 1.4f) {
    for (int y = -o.pad_top; y < h + o.pad_bottom; ++y) {
      for (int x = -o.pad_left; x < w + o.pad_right; ++x) {
        const bool pad = y < 0 || y >= h || x < 0 || x >= w;
        const float v = pad ? 0.0f : value(y, x);
        if (!pad && y == edit_y_ && x == edit_x_) continue;
        const std::string text = CellText(v, c - 4.0f, digits);
        if (text.empty()) continue;
        const ImVec2 ts = digits->CalcTextSizeA(digits_px, FLT_MAX, 0.0f, text.c_str());
        const ImVec2 p(img0.x + c * static_cast<float>(x) + (c - ts.x) * 0.5f,
                       img0.y + c * static_cast<float>(y) + (c - ts.y) * 0.5f);
        const bool strong = absmax > 0 && std::fabs(v) / absmax > 0.6f;
        const ImU32 col = Col(pad      ? pal.cell_text_pad
                              : strong ? pal.cell_text_light
                                       : pal.cell_text_dark);
        dl->AddText(digits, digits_px, p, col, text.c_str());
      }
    }
  }
  if (o.marks) {
    for (const GridMark& m : *o.marks) {
      const ImVec2 a(img0.x + c * static_cast<float>(m.x), img0.y + c * static_cast<float>(m.y));
      dl->AddRect(ImVec2(a.x + 1, a.y + 1), ImVec2(a.x + c - 1, a.y + c - 1), m.color, 0.0f, 0,
                  2.0f);
      if (!m.label.empty() && c >= font * 2.0f) {
        ImFont* label_font = GridFont(font * 0.85f);
        const float size = FontPx(label_font);
        const ImVec2 ts = label_font->CalcTextSizeA(size, FLT_MAX, 0.0f, m.label.c_str());
        const ImVec2 at(a.x + 3, a.y + 3);
        dl->AddRectFilled(at, ImVec2(at.x + ts.x + 2, at.y + ts.y), Col(pal.cell_label_bg));
        dl->AddText(label_font, size, ImVec2(at.x + 1, at.y), m.color, m.label.c_str());
      }
    }
  }
  if (o.selected_y >= 0 && o.selected_y < h && o.selected_x >= 0 && o.selected_x < w) {
    const ImVec2 a(img0.x + c * static_cast<float>(o.selected_x),
                   img0.y + c * static_cast<float>(o.selected_y));
    dl->AddRect(a, ImVec2(a.x + c, a.y + c), Col(pal.cell_selected), 0.0f, 0, 3.0f);
  }

  // The cell editor, drawn over its cell.
  if (edit_y_ >= 0) {
    const float ew = std::max(c, ImGui::CalcTextSize("-0.00000000").x);
    ImGui::SetCursorScreenPos(ImVec2(img0.x + c * static_cast<float>(edit_x_),
                                     img0.y + c * static_cast<float>(edit_y_) +
                                         std::max(0.0f, (c - ImGui::GetFrameHeight()) * 0.5f)));
    ImGui::SetNextItemWidth(ew);
    if (focus_editor_) ImGui::SetKeyboardFocusHere();
    focus_editor_ = false;
    // One widget id per cell: moving on must start a fresh editor, not keep the old text.
    ImGui::PushID(edit_y_ * w + edit_x_);
    const bool entered =
        ImGui::InputText("##edit", edit_buffer_, sizeof edit_buffer_,
                         ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll |
                             ImGuiInputTextFlags_CharsScientific);
    ImGui::PopID();
    // Tab / Shift+Tab: the next / previous cell, row by row; arrows: the neighbour.
    const bool active = ImGui::IsItemActive();
    int step_y = 0, step_x = 0;
    const bool tab = active && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Tab), false);
    if (active && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow), false)) step_y = -1;
    if (active && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow), false)) step_y = 1;
    if (active && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow), false)) step_x = -1;
    if (active && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), false)) step_x = 1;
    const bool move = tab || step_y != 0 || step_x != 0;
    // Keyboard focus arrives a frame after it is asked for: give the editor a moment.
    if (ImGui::IsItemActive()) {
      focus_grace_ = 0;
    } else if (focus_grace_ > 0) {
      --focus_grace_;
    }
    if (entered || move) {
      float v = 0;
      if (ParseFloat(edit_buffer_, &v, &edit_error_)) {
        if (value(edit_y_, edit_x_) != v ||
            std::signbit(value(edit_y_, edit_x_)) != std::signbit(v)) {
          value(edit_y_, edit_x_) = v;
          ev.changed = true;
        }
        if (tab) {
          const int n = h * w, dir = ImGui::GetIO().KeyShift ? -1 : 1;
          const int next = ((edit_y_ * w + edit_x_ + dir) % n + n) % n;
          StartEditing(value(next / w, next % w), next / w, next % w);
        } else if (move) {
          const int y = std::clamp(edit_y_ + step_y, 0, h - 1);
          const int x = std::clamp(edit_x_ + step_x, 0, w - 1);
          StartEditing(value(y, x), y, x);
        } else {
          edit_y_ = edit_x_ = -1;
        }
      } else {
        focus_editor_ = true;  // keep editing; the message says why
        focus_grace_ = 3;
      }
    } else if (!ImGui::IsItemActive() && focus_grace_ == 0) {
      edit_y_ = edit_x_ = -1;  // Esc, or a click elsewhere: cancel
    }
    if (edit_y_ >= 0 && !edit_error_.empty()) {
      ImGui::SetTooltip("%s", edit_error_.c_str());
      ev.error = edit_error_;
    }
  }
  rect_.edit_y = edit_y_, rect_.edit_x = edit_x_;
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + size.y));
  ImGui::Dummy(ImVec2(size.x, 0.0f));
  ImGui::PopID();
  return ev;
}

}  // namespace nnplay::web
