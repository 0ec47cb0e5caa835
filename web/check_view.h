// check_view.h: the "check my work" panel every lab can show: one row per step of the
// lab's computation, a field per value for the learner's own number, marks for right /
// right for your earlier value / wrong, the root cause with its arithmetic and whether each
// later value follows from it (engine/labs/check.h decides).
#pragma once

#include <vector>

#include "labs/check.h"

namespace nnplay::web {

// Returns true when an entry was committed (the entries are part of the lab's state).
// With `recompute` (the lab's, check.h) values are also marked right for the learner's
// earlier values (error carried forward).
bool ShowCheckMyWork(const std::vector<CheckStep>& steps, CheckEntries* entries,
                     const CheckRecompute& recompute = nullptr);

}  // namespace nnplay::web
