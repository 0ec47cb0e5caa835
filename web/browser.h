// browser.h: the page around the canvas: URL fragment and clipboard (the screen-reader
// live region is platform::AnnounceLive). Only web/ includes this; on native builds (no browser)
// these do nothing.
#pragma once

#include <string>

namespace nnplay::web {

// Installs the page's listeners (hashchange). Call once at start-up.
void BrowserInit();
// location.hash without its '#', percent escapes kept as they are.
std::string GetUrlFragment();
// history.replaceState: changes the address bar without a new history entry.
void ReplaceUrlFragment(const std::string& fragment);
// history.pushState: a new history entry (back returns to the previous fragment).
void PushUrlFragment(const std::string& fragment);
// localStorage, best effort: "" when absent or unavailable (private mode, quota).
std::string LocalStorageGet(const std::string& key);
void LocalStorageSet(const std::string& key, const std::string& value);
// True once after the user changed the fragment by hand (pasted a link, back/forward).
bool ConsumeHashChanged();
// The page URL with `fragment` as its fragment.
std::string UrlWithFragment(const std::string& fragment);
void CopyToClipboard(const std::string& text);
// Offers `size` bytes as a file download named `name`.
void DownloadFile(const std::string& name, const std::string& mime, const void* data, size_t size);
// What a picked file is for; the page calls back nnplay_file_text / nnplay_file_image.
enum class FilePurpose { kStateJson = 1, kImage = 2, kCsv = 3 };
// Opens the browser's file picker. A text file comes back through nnplay_file_text; an
// image is decoded in the browser, scaled to fit max_side, and comes back as RGBA
// through nnplay_file_image. Nothing leaves the page.
void PickFile(FilePurpose purpose, int max_side);
// document.title (the tab, history and bookmarks).
void SetDocumentTitle(const std::string& title);

// The Fashion-MNIST asset (engine/data/fashion.h), fetched from the site's data/ folder only
// when asked (the first frame never waits for it) and handed to nnplay::SetFashionAsset.
struct AssetFetch {
  enum State { kIdle, kLoading, kDone, kFailed };
  State state = kIdle;
  double loaded = 0, total = 0;  // bytes; total 0 when the server does not say
  std::string error;             // kFailed: why
};
// Starts the download once; after a failure only when `retry` (the learner asked).
void FetchFashionAsset(bool retry = false);
const AssetFetch& FashionFetch();

}  // namespace nnplay::web
