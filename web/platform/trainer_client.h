// trainer_client.h: the page's side of the trainer worker (web/trainer/worker.js): training off
// the UI thread. A view starts a run with its lab's link and its session's checkpoint, then
// reads back the worker's snapshots (engine/labs/runner.h) each frame and restores its own
// session from them. When the page has no Worker, or the worker or its module fails to load,
// TrainerAvailable() turns false and the views train on the page's thread as before.
#pragma once

#include <string>

namespace nnplay::web {

// What the page knows of the newest run (TrainerStart's id).
struct TrainerRun {
  int id = 0;
  // The newest snapshot not yet taken (older ones are dropped: only the newest matters).
  bool has_snapshot = false;
  bool final = false;  // the run's last one (after a pause, or the end of a replay)
  std::string snapshot;
  int done = 0, total = 0;  // a replay's progress, in steps
  std::string error;        // the worker could not open the run (it is over)
};

// False once the page has been seen to have no working trainer (no Worker, the script or the
// module failed to load): the views then step on the UI thread.
bool TrainerAvailable();
// Starts a run in the worker (creating it on first use) and returns its id, or 0 when the
// trainer is unavailable. `play`: train until TrainerPause; otherwise replay from the seed to
// `replay_to` steps and post a final snapshot. `stop_at` > 0: playing stops there too (a final
// snapshot), for runs a link can hold only up to a step count. A new start drops the previous
// run.
int TrainerStart(const std::string& link, const std::string& checkpoint, int replay_to, bool play,
                 int stop_at = 0);
// Asks the run to stop and post its final snapshot.
void TrainerPause(int id);
// Drops the current run: nothing more of it is delivered.
void TrainerStop();
// The newest run's state; snapshots of other ids never show up here.
TrainerRun& TrainerCurrent();
// Takes the newest snapshot of run `id` (moves it out); false when there is none.
bool TrainerTake(int id, std::string* bytes, bool* final);

}  // namespace nnplay::web
