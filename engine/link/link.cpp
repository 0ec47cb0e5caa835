// link.cpp: see link.h and docs/link-format.md.
#include "link/link.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "link/number.h"

namespace nnplay {
namespace {

constexpr int kMaxRepeat = 1 << 16;
constexpr size_t kMaxLabName = 32;

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// The fields that hold text rather than numbers and names (docs/link-format.md, "Text
// fields"): their values may hold any byte; the lab's decoder checks them (UTF-8, no control
// characters). Everywhere else a link is plain ASCII.
bool IsTextField(std::string_view lab, std::string_view key) {
  return lab == "course" && key == "name";
}

// Whether position `at` of the decoded link lies in the value of a text field.
bool InTextField(std::string_view s, size_t at) {
  const size_t slash = s.find('/'), q = s.find('?');
  if (slash == std::string_view::npos || q == std::string_view::npos || at <= q || slash > q)
    return false;
  const std::string_view lab = s.substr(slash + 1, q - slash - 1);
  const size_t start = s.find_last_of("&?", at) + 1;
  const size_t eq = s.find('=', start);
  if (eq == std::string_view::npos || eq >= at) return false;
  return IsTextField(lab, s.substr(start, eq - start));
}

}  // namespace

bool DecodeUtf8(std::string_view s, size_t* i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(*i);
  size_t n = 0;
  uint32_t cp = 0, min = 0;
  if (b0 < 0x80) {
    n = 1, cp = b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return false;  // a continuation byte, an overlong lead (C0, C1) or past U+10FFFF (F5..FF)
  }
  if (*i + n > s.size()) return false;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(*i + k) & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (byte(*i + k) & 0x3Fu);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
  *i += n;
  *code_point = cp;
  return true;
}

std::string PercentEncodeText(std::string_view text, std::string_view keep) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == ' ') {
      out += '+';
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               (u < 0x80 && keep.find(c) != std::string_view::npos)) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

const std::string* Link::Find(std::string_view key) const {
  for (const auto& kv : fields)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

std::string Link::ToString() const {
  std::string s = "v" + std::to_string(version) + "/" + lab;
  for (size_t i = 0; i < fields.size(); ++i) {
    s += i == 0 ? '?' : '&';
    s += fields[i].first + "=" + fields[i].second;
  }
  return s;
}

bool ParseLink(std::string_view text, Link* link, LinkError* error, size_t max_length) {
  *error = {};
  // A whole URL: keep the fragment only.
  const size_t hash = text.find('#');
  if (hash != std::string_view::npos) text = text.substr(hash + 1);
  if (text.size() > 3 * max_length) {
    *error = {"", "the link is too long (" + std::to_string(text.size()) +
                      " characters; the limit is " + std::to_string(max_length) + ")"};
    return false;
  }
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      const int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        *error = {"", "a '%' escape is broken at character " + std::to_string(i + 1)};
        return false;
      }
      decoded += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  if (decoded.size() > max_length) {
    *error = {"", "the link is too long (" + std::to_string(decoded.size()) +
                      " characters; the limit is " + std::to_string(max_length) + ")"};
    return false;
  }
  for (size_t i = 0; i < decoded.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(decoded[i]);
    if ((c < 0x21 || c > 0x7e) && !InTextField(decoded, i)) {
      *error = {"", "the link contains a space or a character that is not plain ASCII"};
      return false;
    }
  }
  std::string_view s = decoded;
  if (s.empty()) {
    *error = {"", "the link is empty"};
    return false;
  }

  // "v<N>/"
  const size_t slash = s.find('/');
  if (s[0] != 'v' || slash == std::string_view::npos) {
    *error = {"version", "a link starts with a version marker such as 'v1/'"};
    return false;
  }
  std::string why;
  int version = 0;
  if (!ParseInt(s.substr(1, slash - 1), 1, 1000000, &version, &why)) {
    *error = {"version", "'" + std::string(s.substr(0, slash)) + "' is not a version marker"};
    return false;
  }
  if (version > kLinkVersion) {
    *error = {"version", "this link was made by a newer nnplay (v" + std::to_string(version) +
                             "); this page reads links up to v" + std::to_string(kLinkVersion)};
    return false;
  }
  s = s.substr(slash + 1);

  // "<lab>?fields"
  const size_t q = s.find('?');
  const std::string_view lab = s.substr(0, q);
  if (lab.empty() || lab.size() > kMaxLabName || !std::all_of(lab.begin(), lab.end(), IsKeyChar)) {
    *error = {"lab", "the lab name is missing or malformed"};
    return false;
  }
  Link out;
  out.version = version;
  out.lab = std::string(lab);
  if (q != std::string_view::npos) {
    for (std::string_view part : Split(s.substr(q + 1), '&')) {
      const size_t eq = part.find('=');
      const std::string_view key = part.substr(0, eq);
      if (key.empty() || key.size() > kMaxLabName ||
          !std::all_of(key.begin(), key.end(), IsKeyChar)) {
        *error = {"", "a field name is missing or malformed near '" +
                          std::string(part.substr(0, std::min<size_t>(part.size(), 24))) + "'"};
        return false;
      }
      if (eq == std::string_view::npos) {
        *error = {std::string(key), "the field has no '=' and no value"};
        return false;
      }
      out.fields.emplace_back(std::string(key), std::string(part.substr(eq + 1)));
    }
  }
  out.max_length = max_length;
  *link = std::move(out);
  return true;
}

bool CheckWrittenLength(const Link& link, const std::string& written, LinkError* error) {
  if (written.size() <= link.max_length) return true;
  *error = {"", "the link opens a state whose own link is too long (" +
                    std::to_string(written.size()) + " characters once every field and number " +
                    "is written out; the limit is " + std::to_string(link.max_length) + ")"};
  return false;
}

bool CheckFieldNames(const Link& link, const std::vector<std::string_view>& allowed,
                     LinkError* error) {
  for (size_t i = 0; i < link.fields.size(); ++i) {
    const std::string& key = link.fields[i].first;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      *error = {key, "unknown field for the " + link.lab + " lab"};
      return false;
    }
    for (size_t j = 0; j < i; ++j) {
      if (link.fields[j].first == key) {
        *error = {key, "the field is given twice"};
        return false;
      }
    }
  }
  return true;
}

// ---- tensors in text ------------------------------------------------------------------

namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(const std::vector<unsigned char>& bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned>(bytes[i]) << 16) |
                       (i + 1 < bytes.size() ? static_cast<unsigned>(bytes[i + 1]) << 8 : 0u) |
                       (i + 2 < bytes.size() ? static_cast<unsigned>(bytes[i + 2]) : 0u);
    const size_t chars = i + 2 < bytes.size() ? 4 : i + 1 < bytes.size() ? 3 : 2;
    for (size_t k = 0; k < chars; ++k) out += kBase64Url[(v >> (18 - 6 * k)) & 63];
  }
  return out;
}

bool Base64UrlDecode(std::string_view text, std::vector<unsigned char>* out) {
  if (text.size() % 4 == 1) return false;
  out->clear();
  out->reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const char* p = c ? std::strchr(kBase64Url, c) : nullptr;
    if (!p) return false;
    acc = (acc << 6) | static_cast<unsigned>(p - kBase64Url);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<unsigned char>((acc >> bits) & 0xFF));
    }
  }
  return (acc & ((1u << bits) - 1)) == 0;  // no stray bits: one text per byte string
}

void PutFloat(std::vector<unsigned char>* out, float v) {
  uint32_t u;
  std::memcpy(&u, &v, sizeof u);
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<unsigned char>(u >> (8 * i)));
}

float GetFloat(const unsigned char* p) {
  const uint32_t u = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                     static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
  float v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// Binary payloads: byte 0 is the format.
//   1: palette. Byte 1 = k − 1 (k ≤ 256 distinct values), then k float32 (little endian)
//      in order of first appearance, then one index per value, packed MSB first with
//      1, 2, 4 or 8 bits (the fewest that hold k − 1), the last byte zero-padded.
//   2: raw float32, little endian.
constexpr unsigned char kPaletteFormat = 1, kRawFormat = 2;

int IndexBits(size_t k) {
  return k <= 2 ? 1 : k <= 4 ? 2 : k <= 16 ? 4 : 8;
}

std::string EncodeTensorBinary(const float* v, size_t n) {
  std::vector<float> palette;
  std::vector<unsigned char> index(n);
  for (size_t i = 0; i < n && palette.size() <= 256; ++i) {
    size_t k = 0;
    while (k < palette.size() && std::memcmp(&palette[k], &v[i], sizeof(float)) != 0) ++k;
    if (k == palette.size()) palette.push_back(v[i]);
    if (k < 256) index[i] = static_cast<unsigned char>(k);
  }
  std::vector<unsigned char> bytes;
  if (palette.size() <= 256) {
    bytes.push_back(kPaletteFormat);
    bytes.push_back(static_cast<unsigned char>(palette.size() - 1));
    for (float p : palette) PutFloat(&bytes, p);
    const int bits = IndexBits(palette.size());
    unsigned acc = 0;
    int filled = 0;
    for (size_t i = 0; i < n; ++i) {
      acc = (acc << bits) | index[i];
      filled += bits;
      if (filled == 8) bytes.push_back(static_cast<unsigned char>(acc)), acc = 0, filled = 0;
    }
    if (filled) bytes.push_back(static_cast<unsigned char>(acc << (8 - filled)));
  } else {
    bytes.push_back(kRawFormat);
    for (size_t i = 0; i < n; ++i) PutFloat(&bytes, v[i]);
  }
  return Base64UrlEncode(bytes);
}

}  // namespace

std::string EncodeBase64Url(std::string_view bytes) {
  return Base64UrlEncode(std::vector<unsigned char>(bytes.begin(), bytes.end()));
}

bool DecodeBase64Url(std::string_view text, std::string* bytes) {
  std::vector<unsigned char> b;
  if (!Base64UrlDecode(text, &b)) return false;
  bytes->assign(b.begin(), b.end());
  return true;
}

bool DecodeTensorBinary(std::string_view text, float* out, size_t n, std::string* error) {
  // The shape is known and bounded, so the payload's exact length is too: check it from
  // the text's length before decoding anything.
  if (text.size() > (4 * (2 + 4 * 256 + 4 * n) + 2) / 3) {
    *error = "the binary values are longer than the shape allows";
    return false;
  }
  std::vector<unsigned char> b;
  if (!Base64UrlDecode(text, &b) || b.empty()) {
    *error = "the binary values are not base64url";
    return false;
  }
  if (b[0] == kRawFormat) {
    if (b.size() != 1 + 4 * n) {
      *error = "expected " + std::to_string(n) + " raw floats";
      return false;
    }
    for (size_t i = 0; i < n; ++i) out[i] = GetFloat(&b[1 + 4 * i]);
  } else if (b[0] == kPaletteFormat && b.size() >= 2) {
    const size_t k = static_cast<size_t>(b[1]) + 1;
    const int bits = IndexBits(k);
    const size_t expected = 2 + 4 * k + (n * static_cast<size_t>(bits) + 7) / 8;
    if (b.size() != expected) {
      *error = "the palette data has " + std::to_string(b.size()) + " bytes, not " +
               std::to_string(expected);
      return false;
    }
    const unsigned char* idx = &b[2 + 4 * k];
    for (size_t i = 0; i < n; ++i) {
      const size_t bit = i * static_cast<size_t>(bits);
      const size_t j = (idx[bit / 8] >> (8 - bits - bit % 8)) & ((1u << bits) - 1);
      if (j >= k) {
        *error = "a palette index is out of range";
        return false;
      }
      out[i] = GetFloat(&b[2 + 4 * j]);
    }
    const size_t used = n * static_cast<size_t>(bits) % 8;
    if (used && (b.back() & ((1u << (8 - used)) - 1))) {
      *error = "the binary values have stray bits after the last index";
      return false;
    }
  } else {
    *error = "unknown binary format " + std::to_string(b[0]);
    return false;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(out[i])) {
      *error = "a binary value is not a finite number";
      return false;
    }
  }
  return true;
}

bool ParseTensorText(std::string_view text, const TensorLimits& limits, Tensor* tensor,
                     std::string* error) {
  const size_t colon = text.find_first_of(":~");
  if (colon == std::string_view::npos) {
    *error = "expected a shape and values such as '3x3:1,0,-1,...'";
    return false;
  }
  const bool binary = text[colon] == '~';
  std::vector<int> shape;
  for (std::string_view d : Split(text.substr(0, colon), 'x')) {
    if (static_cast<int>(shape.size()) >= limits.max_rank) {
      *error = "the shape has more than " + std::to_string(limits.max_rank) + " dimensions";
      return false;
    }
    int n = 0;
    std::string why;
    if (!ParseInt(d, limits.min_dim, limits.max_dim, &n, &why)) {
      *error = "size " + why;
      return false;
    }
    shape.push_back(n);
  }
  if (static_cast<int>(shape.size()) < limits.min_rank) {
    *error = "the shape needs " + std::to_string(limits.min_rank) + " dimensions";
    return false;
  }
  const size_t count = Tensor::Count(shape);
  const std::string shape_text(text.substr(0, colon));
  if (count > limits.max_count) {
    *error = "the shape " + shape_text + " holds " + std::to_string(count) +
             " values; the limit is " + std::to_string(limits.max_count);
    return false;
  }

  if (binary) {
    Tensor t(shape);
    if (!DecodeTensorBinary(text.substr(colon + 1), t.data(), count, error)) return false;
    *tensor = std::move(t);
    return true;
  }
  std::vector<float> values;
  values.reserve(count);  // bounded: every dimension is within limits
  std::string_view s = text.substr(colon + 1);
  size_t i = 0;
  // Reads "number" or "number*count" at i; appends into `out`.
  auto read_run = [&](std::vector<float>* out) -> bool {
    size_t end = i;
    while (end < s.size() && s[end] != ',' && s[end] != '*' && s[end] != ')' && s[end] != '(')
      ++end;
    float v = 0;
    if (!ParseFloat(s.substr(i, end - i), &v, error)) return false;
    i = end;
    int repeat = 1;
    if (i < s.size() && s[i] == '*') {
      size_t cend = ++i;
      while (cend < s.size() && s[cend] != ',' && s[cend] != ')') ++cend;
      std::string why;
      if (!ParseInt(s.substr(i, cend - i), 1, kMaxRepeat, &repeat, &why)) {
        *error = "repeat count " + why;
        return false;
      }
      i = cend;
    }
    const size_t pending = values.size() + (out == &values ? 0 : out->size());
    if (pending + static_cast<size_t>(repeat) > count) {
      *error =
          "more values than the shape " + shape_text + " holds (" + std::to_string(count) + ")";
      return false;
    }
    out->insert(out->end(), static_cast<size_t>(repeat), v);
    return true;
  };
  while (i < s.size()) {
    if (s[i] == '(') {
      ++i;
      std::vector<float> group;
      while (true) {
        if (i < s.size() && s[i] == '(') {
          *error = "groups '(...)' do not nest";
          return false;
        }
        if (!read_run(&group)) return false;
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ')') break;
        *error = "a group '(' is not closed";
        return false;
      }
      ++i;  // ')'
      if (i >= s.size() || s[i] != '*') {
        *error = "a group '(...)' needs a repeat count, as in '(1,0)*3'";
        return false;
      }
      size_t cend = ++i;
      while (cend < s.size() && s[cend] != ',') ++cend;
      int repeat = 0;
      std::string why;
      if (!ParseInt(s.substr(i, cend - i), 1, kMaxRepeat, &repeat, &why)) {
        *error = "repeat count " + why;
        return false;
      }
      i = cend;
      if (group.size() * static_cast<size_t>(repeat) > count - values.size()) {
        *error =
            "more values than the shape " + shape_text + " holds (" + std::to_string(count) + ")";
        return false;
      }
      for (int r = 0; r < repeat; ++r) values.insert(values.end(), group.begin(), group.end());
    } else {
      if (!read_run(&values)) return false;
    }
    if (i < s.size()) {
      if (s[i] != ',') {
        *error = "unexpected '" + std::string(1, s[i]) + "' after a value";
        return false;
      }
      ++i;
      if (i == s.size()) {
        *error = "a value is missing after the last ','";
        return false;
      }
    }
  }
  if (values.size() != count) {
    *error = "expected " + std::to_string(count) + " values for " + shape_text + ", got " +
             std::to_string(values.size());
    return false;
  }
  Tensor t(shape);
  std::copy(values.begin(), values.end(), t.data());
  *tensor = std::move(t);
  return true;
}

namespace {

// Run-length items of a flat list: "v" or "v*n", whichever is shorter (ties: plain).
std::string FormatRuns(const float* v, size_t n) {
  std::string s;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && std::memcmp(&v[j], &v[i], sizeof(float)) == 0) ++j;
    const std::string text = FormatFloat(v[i]);
    const size_t run = j - i;
    const std::string folded = text + "*" + std::to_string(run);
    const size_t plain_length = run * text.size() + (run - 1);
    if (!s.empty()) s += ',';
    if (run > 1 && folded.size() < plain_length) {
      s += folded;
    } else {
      for (size_t k = 0; k < run; ++k) s += (k ? "," : "") + text;
    }
    i = j;
  }
  return s;
}

bool SameRow(const float* a, const float* b, size_t w) {
  return std::memcmp(a, b, w * sizeof(float)) == 0;
}

}  // namespace

// The smallest p such that v[i] == v[i + p] for all i (the whole array if none is shorter),
// by the prefix function: O(n).
static size_t SmallestPeriod(const float* v, size_t n) {
  if (n == 0) return 0;
  std::vector<size_t> border(n, 0);
  for (size_t i = 1; i < n; ++i) {
    size_t k = border[i - 1];
    while (k > 0 && std::memcmp(&v[i], &v[k], sizeof(float)) != 0) k = border[k - 1];
    if (std::memcmp(&v[i], &v[k], sizeof(float)) == 0) ++k;
    border[i] = k;
  }
  return n - border[n - 1];
}

std::string FormatTensorText(const Tensor& tensor) {
  std::string text = FormatTensorValues(tensor);
  // Large tensors whose values do not fold (a loaded image) go binary when that is shorter.
  constexpr size_t kBinaryFrom = 512;  // characters: below this, text stays readable
  if (text.size() > kBinaryFrom) {
    std::string shape;
    for (int i = 0; i < tensor.rank(); ++i) shape += (i ? "x" : "") + std::to_string(tensor.dim(i));
    std::string binary = shape + "~" + EncodeTensorBinary(tensor.data(), tensor.size());
    if (binary.size() < text.size()) return binary;
  }
  return text;
}

std::string FormatTensorValues(const Tensor& tensor) {
  std::string s;
  for (int i = 0; i < tensor.rank(); ++i) s += (i ? "x" : "") + std::to_string(tensor.dim(i));
  s += ':';
  const size_t n = tensor.size();
  const float* v = tensor.data();
  // A pattern that repeats through the whole tensor (stripes, checkerboards, identical rows)
  // is written once: "(pattern)*k", then what is left of a last, partial repeat.
  const size_t period = SmallestPeriod(v, n);
  if (period > 1 && n / period >= 2) {
    const size_t repeats = n / period, rest = n - repeats * period;
    s += "(" + FormatRuns(v, period) + ")*" + std::to_string(repeats);
    if (rest) s += "," + FormatRuns(v + repeats * period, rest);
    return s;
  }
  const size_t w = tensor.rank() > 0 ? static_cast<size_t>(tensor.dim(tensor.rank() - 1)) : 0;
  const size_t rows = w ? n / w : 0;
  // Otherwise repeated rows that hold more than one run become "(row)*k"; everything else
  // is folded into runs across row boundaries.
  std::string items;
  size_t flat_begin = 0;  // first row not yet written
  auto flush = [&](size_t end_row) {
    if (end_row > flat_begin) {
      if (!items.empty()) items += ',';
      items += FormatRuns(v + flat_begin * w, (end_row - flat_begin) * w);
    }
  };
  for (size_t r = 0; r < rows;) {
    size_t k = r + 1;
    while (k < rows && SameRow(v + k * w, v + r * w, w)) ++k;
    const std::string row = FormatRuns(v + r * w, w);
    const bool multi_run = row.find(',') != std::string::npos;
    if (k - r >= 2 && multi_run) {
      flush(r);
      if (!items.empty()) items += ',';
      items += "(" + row + ")*" + std::to_string(k - r);
      flat_begin = k;
    }
    r = k;
  }
  flush(rows);
  return s + items;
}

}  // namespace nnplay
