// browser.cpp: see browser.h. The JavaScript lives in EM_JS blocks here and nowhere else.
#include "browser.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

#include <cstdlib>

#include "data/fashion.h"

// clang-format off
EM_JS(void, nnplay_js_init, (), {
  Module.nnplayHashChanged = 0;
  window.addEventListener("hashchange", function() { Module.nnplayHashChanged = 1; });
});
EM_JS(void, nnplay_js_set_title, (const char* title), {
  var t = UTF8ToString(title);
  if (document.title !== t) document.title = t;
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
EM_JS(void, nnplay_js_download, (const char* name, const char* mime, const void* data, int size), {
  var bytes = HEAPU8.slice(data, data + size);
  var url = URL.createObjectURL(new Blob([bytes], {type : UTF8ToString(mime)}));
  var a = document.createElement("a");
  a.href = url;
  a.download = UTF8ToString(name);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function() { URL.revokeObjectURL(url); }, 1000);
  Module.nnplayLastDownload = {name : a.download, size : size};  // for tests
});
EM_JS(void, nnplay_js_pick_file, (int purpose, int max_side), {
  var input = document.createElement("input");
  input.type = "file";
  input.accept = purpose == 2   ? "image/*"
                 : purpose == 3 ? ".csv,.txt,text/csv,text/plain"
                                : ".json,.txt,application/json,text/plain";
  input.onchange = function() {
    var file = input.files && input.files[0];
    if (!file) return;
    if (file.size > (purpose == 2 ? 64 : 1) * 1048576) {
      Module.ccall("nnplay_file_text", null, [ "number", "string" ], [ -1, file.name ]);
      return;
    }
    if (purpose != 2) {
      file.text().then(function(text) {
        Module.ccall("nnplay_file_text", null, [ "number", "string" ], [ purpose, text ]);
      });
      return;
    }
    createImageBitmap(file)
        .then(function(bitmap) {
          var scale = Math.min(1, max_side / Math.max(bitmap.width, bitmap.height));
          var w = Math.max(1, Math.round(bitmap.width * scale));
          var h = Math.max(1, Math.round(bitmap.height * scale));
          var canvas = document.createElement("canvas");
          canvas.width = w;
          canvas.height = h;
          var ctx = canvas.getContext("2d");
          ctx.drawImage(bitmap, 0, 0, w, h);
          var rgba = ctx.getImageData(0, 0, w, h).data;
          var p = _malloc(rgba.length);
          HEAPU8.set(rgba, p);
          Module.ccall("nnplay_file_image", null, [ "number", "number", "number" ], [ p, w, h ]);
          _free(p);
        })
        .catch(function() {
          Module.ccall("nnplay_file_text", null, [ "number", "string" ], [ -2, file.name ]);
        });
  };
  input.click();
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
// Streams the asset, reporting progress; the bytes go to nnplay_fetch_done (which frees them).
EM_JS(void, nnplay_js_fetch_asset, (const char* url), {
  var u = UTF8ToString(url);
  var fail = function(e) {
    var t = String((e && e.message) || e);
    var n = lengthBytesUTF8(t) + 1;
    var p = _malloc(n);
    stringToUTF8(t, p, n);
    _nnplay_fetch_failed(p);
    _free(p);
  };
  fetch(u).then(function(r) {
    if (!r.ok) throw new Error("the server answered " + r.status + " for " + u);
    var total = Number(r.headers.get("Content-Length")) || 0;
    var reader = r.body.getReader();
    var chunks = [];
    var loaded = 0;
    var pump = function() {
      return reader.read().then(function(x) {
        if (x.done) return;
        chunks.push(x.value);
        loaded += x.value.length;
        if (loaded > 64 * 1024 * 1024) throw new Error(u + " is larger than 64 MiB");
        _nnplay_fetch_progress(loaded, total);
        return pump();
      });
    };
    return pump().then(function() {
      var p = _malloc(Math.max(1, loaded));
      var at = 0;
      chunks.forEach(function(c) { HEAPU8.set(c, p + at); at += c.length; });
      _nnplay_fetch_done(p, loaded);
    });
  }).catch(fail);
});
// clang-format on

namespace {
nnplay::web::AssetFetch& TheFetch() {
  static nnplay::web::AssetFetch fetch;
  return fetch;
}
}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE void nnplay_fetch_progress(double loaded, double total) {
  TheFetch().loaded = loaded;
  TheFetch().total = total;
}
extern "C" EMSCRIPTEN_KEEPALIVE void nnplay_fetch_done(unsigned char* bytes, int size) {
  nnplay::web::AssetFetch& f = TheFetch();
  std::string why;
  if (nnplay::SetFashionAsset(bytes, static_cast<size_t>(size), &why)) {
    f.state = nnplay::web::AssetFetch::kDone;
  } else {
    f.state = nnplay::web::AssetFetch::kFailed;
    f.error = "data/fashion-v1.bin: " + why;
  }
  std::free(bytes);
}
extern "C" EMSCRIPTEN_KEEPALIVE void nnplay_fetch_failed(const char* why) {
  TheFetch().state = nnplay::web::AssetFetch::kFailed;
  TheFetch().error = std::string("cannot fetch Fashion-MNIST: ") + (why ? why : "");
}

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
void DownloadFile(const std::string& name, const std::string& mime, const void* data, size_t size) {
  nnplay_js_download(name.c_str(), mime.c_str(), data, static_cast<int>(size));
}
void PickFile(FilePurpose purpose, int max_side) {
  nnplay_js_pick_file(static_cast<int>(purpose), max_side);
}
void SetDocumentTitle(const std::string& title) {
  nnplay_js_set_title(title.c_str());
}
void FetchFashionAsset(bool retry) {
  AssetFetch& f = TheFetch();
  if (f.state == AssetFetch::kLoading || f.state == AssetFetch::kDone) return;
  if (f.state == AssetFetch::kFailed && !retry) return;
  f = AssetFetch();
  f.state = AssetFetch::kLoading;
  nnplay_js_fetch_asset("data/fashion-v1.bin");
}
const AssetFetch& FashionFetch() {
  return TheFetch();
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
void DownloadFile(const std::string&, const std::string&, const void*, size_t) {}
void PickFile(FilePurpose, int) {}
void SetDocumentTitle(const std::string&) {}
void FetchFashionAsset(bool) {}
const AssetFetch& FashionFetch() {
  static AssetFetch fetch;
  return fetch;
}
}  // namespace nnplay::web

#endif
