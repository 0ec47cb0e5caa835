// link.h: the share link's outer syntax, shared by every lab. The full specification is
// docs/link-format.md; in short:
//
//   v1/conv?in=6x6:(10*3,0*3)*6&f=3x3:(1,0,-1)*3&pad=valid&stride=1&dil=1
//   ^version ^lab  ^fields, key=value, joined by '&'
//
// ParseLink accepts a whole URL (the part after '#'), a fragment with or without its
// '#', and %XX escapes. It checks the outer syntax and the limits before anything is
// allocated in proportion to the input; each lab then decodes its own fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tensor.h"

namespace nnplay {

constexpr int kLinkVersion = 1;          // the version this build writes
constexpr size_t kMaxLinkLength = 8192;  // characters, after %XX decoding

// What is wrong with a link: the field it concerns ("version", "lab", a field key, or
// empty for the link as a whole) and a sentence saying what is wrong.
struct LinkError {
  std::string field;
  std::string message;
  std::string ToString() const { return field.empty() ? message : field + ": " + message; }
};

struct Link {
  int version = kLinkVersion;
  std::string lab;
  std::vector<std::pair<std::string, std::string>> fields;  // in link order
  // The limit the link was held to (ParseLink's max_length). Its state's canonical link is
  // held to the same limit (CheckWrittenLength), so whatever opens can be shared again.
  size_t max_length = kMaxLinkLength;

  // The value of a field, or nullptr.
  const std::string* Find(std::string_view key) const;
  // Writes "v1/<lab>?k=v&k=v" in the order of `fields`.
  std::string ToString() const;
};

// `max_length` is the limit the link is held to: kMaxLinkLength for anything from outside.
bool ParseLink(std::string_view text, Link* link, LinkError* error,
               size_t max_length = kMaxLinkLength);

// Every lab's decoder, last: the state's canonical link (`written`, what the lab's encoder
// makes of it) must fit the limit `link` was held to. A link can say more in fewer
// characters than its canonical form (omitted fields that are written out, "1e-4" written
// "0.0001", a tensor in groups the writer does not find), so a link under the limit can
// stand for a state whose link is over it; such a link is refused, with both lengths.
bool CheckWrittenLength(const Link& link, const std::string& written, LinkError* error);

// Rejects a field whose key is not in `allowed` and a key given twice.
bool CheckFieldNames(const Link& link, const std::vector<std::string_view>& allowed,
                     LinkError* error);

// ---- text fields ------------------------------------------------------------------------
// A few fields hold text that people type (the assignment's student name): any UTF-8,
// written percent-encoded (docs/link-format.md, "Text fields"). ParseLink lets their values
// hold any byte; the lab checks them with these.

// The code point of the UTF-8 sequence at s[*i], advancing *i past it; false (leaving *i)
// for a byte that does not begin a well-formed sequence (a stray continuation byte, a cut-off
// sequence, an overlong form, a surrogate, past U+10FFFF).
bool DecodeUtf8(std::string_view s, size_t* i, uint32_t* code_point);
// `text` in a link's canonical form: ASCII letters and digits and the characters of `keep`
// as they are, a space as '+', every other byte as %XX (upper-case hex).
std::string PercentEncodeText(std::string_view text, std::string_view keep);

// ---- tensors in text ------------------------------------------------------------------
// "HxW:items" (1 to 4 dimensions, e.g. "6x6:..." or "3x6x6:..."), or "HxW~base64url" for
// the binary form (docs/link-format.md). Items are separated by
// ',': a number, a number with a repeat count ("0*3" = 0,0,0), or a group of those with
// a repeat count ("(1,0,-1)*3"). Groups do not nest. Values fill the tensor row-major.

struct TensorLimits {
  int min_rank = 1, max_rank = 4;
  int min_dim = 1, max_dim = 64;  // per dimension
  size_t max_count = 1 << 16;     // elements in all
};

// Decodes a tensor; the shape is checked against `limits` before any allocation, and
// repeat counts cannot expand past the shape's element count.
bool ParseTensorText(std::string_view text, const TensorLimits& limits, Tensor* tensor,
                     std::string* error);

// The canonical, compact text of a tensor: runs and repeated patterns are folded; a large
// tensor whose values do not fold is written in binary ("HxW~base64url") when shorter.
std::string FormatTensorText(const Tensor& tensor);
// The text form only ("HxW:items"), whatever its length.
std::string FormatTensorValues(const Tensor& tensor);
// Decodes a binary payload (what follows '~') into exactly n floats.
bool DecodeTensorBinary(std::string_view text, float* out, size_t n, std::string* error);

// Base64url (RFC 4648 section 5: A-Z a-z 0-9 - _), no padding: what the binary tensor form and
// the training labs' checkpoints (`ckpt`) use. Decoding refuses padding, other characters and
// stray bits, so each byte string has one text.
std::string EncodeBase64Url(std::string_view bytes);
bool DecodeBase64Url(std::string_view text, std::string* bytes);

}  // namespace nnplay
