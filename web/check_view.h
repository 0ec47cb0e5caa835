// check_view.h: the "check my work" panel every lab can show: one row per step of the
// lab's computation, a field per value for the learner's own number, right/wrong marks,
// and the arithmetic of the first step that disagrees (engine/labs/check.h decides).
#pragma once

#include <vector>

#include "labs/check.h"

namespace nnplay::web {

// Returns true when an entry was committed (the entries are part of the lab's state).
bool ShowCheckMyWork(const std::vector<CheckStep>& steps, CheckEntries* entries);

}  // namespace nnplay::web
