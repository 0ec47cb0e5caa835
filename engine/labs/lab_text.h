// lab_text.h: small helpers the softmax, batch-norm and dropout labs share: numbers for
// the arithmetic traces (6 significant digits, ASCII), and the "check my work" part of a
// lab's JSON and link.
#pragma once

#include <string>
#include <vector>

#include "json.h"
#include "labs/check.h"
#include "link/link.h"

namespace nnplay {

// 6 significant digits ("%.6g"), "-0" written as "0"; "inf"/"nan" for non-finite values.
std::string TraceNum(double v);
// The same, in parentheses when negative: "(-1.41421)".
std::string TraceParen(double v);

// Writes "check": {"steps":[...], "first_wrong_step", "first_wrong_value", "explanation",
// "right", "wrong"} into an open JSON object.
void WriteCheckJson(JsonWriter* j, const std::vector<CheckStep>& steps,
                    const CheckEntries& entries);

// Decodes the link's `check` field (if present) against `steps`; the error names `check`.
bool DecodeCheckField(const Link& link, const std::vector<CheckStep>& steps, CheckEntries* entries,
                      LinkError* error);

// After an edit that changes the steps' sizes (fewer logits, a smaller batch): each entry
// is cut or padded to its step's size, entries of steps that are gone are dropped.
void FitCheckEntries(const std::vector<CheckStep>& steps, CheckEntries* entries);

}  // namespace nnplay
