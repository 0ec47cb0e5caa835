// lab_text.h: small helpers the labs share: numbers for the arithmetic traces (Num and
// NumParen of labs/notation.h, which writes every learner-facing text), and the "check my
// work" part of a lab's JSON and link.
#pragma once

#include <string>
#include <vector>

#include "json.h"
#include "labs/check.h"
#include "labs/notation.h"
#include "link/link.h"

namespace nnplay {

// Num(v) and NumParen(v) (labs/notation.h): 6 significant digits, U+2212 minus, "(−1.41421)".
std::string TraceNum(double v);
std::string TraceParen(double v);

// Writes the one "check" object of every lab's JSON (docs/check-format.md) into an open
// JSON object: {"link", "steps":[{"id","label","values","arithmetic","entered","status",
// "yours","yours_arithmetic"}], "first_wrong_step", "first_wrong_value", "explanation",
// "later", "right", "carried", "wrong"}. With `recompute`, error carried forward (check.h).
void WriteCheckJson(JsonWriter* j, const std::vector<CheckStep>& steps, const CheckEntries& entries,
                    const CheckRecompute& recompute = nullptr);

// Decodes the link's `check` field (if present) against `steps`; the error names `check`.
bool DecodeCheckField(const Link& link, const std::vector<CheckStep>& steps, CheckEntries* entries,
                      LinkError* error);

// After an edit that changes the steps' sizes (fewer logits, a smaller batch): each entry
// is cut or padded to its step's size, entries of steps that are gone are dropped.
void FitCheckEntries(const std::vector<CheckStep>& steps, CheckEntries* entries);

// How many threads training uses, and why only one when that is so, for the line under a
// training lab's Play button: "Training on 2 threads", "Training on 1 thread: this page is not
// cross-origin isolated". `isolated`: the page is cross-origin isolated and has
// SharedArrayBuffer (web/platform/pre.js); `cores`: navigator.hardwareConcurrency. A threads
// count below 1 reads as 1.
std::string TrainingThreadsText(int threads, bool isolated, int cores);

}  // namespace nnplay
