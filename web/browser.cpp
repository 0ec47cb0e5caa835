// browser.cpp: see browser.h. The JavaScript lives in EM_JS blocks here and nowhere else.
#include "browser.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include <cstdlib>

// clang-format off
EM_JS(void, nnplay_js_init, (), {
  Module.nnplayHashChanged = 0;
  window.addEventListener("hashchange", function() { Module.nnplayHashChanged = 1; });
});
EM_JS(char*, nnplay_js_get_fragment, (), {
  var h = window.location.hash.substring(1);
  var n = lengthBytesUTF8(h) + 1;
  var p = _malloc(n);
  stringToUTF8(h, p, n);
  return p;
});
EM_JS(void, nnplay_js_replace_fragment, (const char* fragment), {
  var f = UTF8ToString(fragment);
  if (window.location.hash.substring(1) === f) return;
  history.replaceState(history.state, "", "#" + f);
});
EM_JS(void, nnplay_js_push_fragment, (const char* fragment), {
  var f = UTF8ToString(fragment);
  if (window.location.hash.substring(1) === f) return;
  history.pushState(null, "", "#" + f);
});
EM_JS(char*, nnplay_js_storage_get, (const char* key), {
  var v = "";
  try {
    v = window.localStorage.getItem(UTF8ToString(key)) || "";
  } catch (e) {
  }
  var n = lengthBytesUTF8(v) + 1;
  var p = _malloc(n);
  stringToUTF8(v, p, n);
  return p;
});
EM_JS(void, nnplay_js_storage_set, (const char* key, const char* value), {
  try {
    window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value));
  } catch (e) {
  }
});
EM_JS(int, nnplay_js_consume_hash_changed, (), {
  var c = Module.nnplayHashChanged | 0;
  Module.nnplayHashChanged = 0;
  return c;
});
EM_JS(char*, nnplay_js_url_with_fragment, (const char* fragment), {
  var u = window.location.href.split("#")[0] + "#" + UTF8ToString(fragment);
  var n = lengthBytesUTF8(u) + 1;
  var p = _malloc(n);
  stringToUTF8(u, p, n);
  return p;
});
EM_JS(void, nnplay_js_copy, (const char* text), {
  var t = UTF8ToString(text);
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(t).catch(function() {});
  }
  Module.nnplayLastCopied = t;  // for tests and for browsers without clipboard access
});
// clang-format on

namespace nnplay::web {
namespace {
std::string TakeString(char* p) {
  std::string s = p ? p : "";
  std::free(p);
  return s;
}
}  // namespace

void BrowserInit() {
  nnplay_js_init();
}
std::string GetUrlFragment() {
  return TakeString(nnplay_js_get_fragment());
}
void ReplaceUrlFragment(const std::string& fragment) {
  nnplay_js_replace_fragment(fragment.c_str());
}
void PushUrlFragment(const std::string& fragment) {
  nnplay_js_push_fragment(fragment.c_str());
}
std::string LocalStorageGet(const std::string& key) {
  return TakeString(nnplay_js_storage_get(key.c_str()));
}
void LocalStorageSet(const std::string& key, const std::string& value) {
  nnplay_js_storage_set(key.c_str(), value.c_str());
}
bool ConsumeHashChanged() {
  return nnplay_js_consume_hash_changed() != 0;
}
std::string UrlWithFragment(const std::string& fragment) {
  return TakeString(nnplay_js_url_with_fragment(fragment.c_str()));
}
void CopyToClipboard(const std::string& text) {
  nnplay_js_copy(text.c_str());
}

}  // namespace nnplay::web

#else  // a desktop build: no page around the window

namespace nnplay::web {
void BrowserInit() {}
std::string GetUrlFragment() {
  return {};
}
void ReplaceUrlFragment(const std::string&) {}
void PushUrlFragment(const std::string&) {}
std::string LocalStorageGet(const std::string&) {
  return {};
}
void LocalStorageSet(const std::string&, const std::string&) {}
bool ConsumeHashChanged() {
  return false;
}
std::string UrlWithFragment(const std::string& fragment) {
  return "#" + fragment;
}
void CopyToClipboard(const std::string&) {}
}  // namespace nnplay::web

#endif
