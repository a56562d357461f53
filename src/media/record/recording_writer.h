#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "media/record/recording_handle.h"
#include "media/record/recording_request.h"
#include "media/record/wake_signal.h"

namespace kolokol::media {

struct RecordingState;

// The one thread that touches recording files. Media workers hand blocks over through each
// recording's RecordingHandle (lock-free, never blocking); this thread creates the files, writes,
// finishes them and reports each recording's end through its completion, on this thread. Every
// I/O error (missing directory, existing file, full disk) ends up in RecordingResult::error.
//
// start() and stop() are explicit; the destructor stops and joins. stop() drains what is queued,
// finishes every open recording and reports it. Recordings opened on a writer that never runs
// are dropped without a file or a report.
class RecordingWriter {
 public:
  RecordingWriter();
  ~RecordingWriter();
  RecordingWriter(const RecordingWriter&) = delete;
  RecordingWriter& operator=(const RecordingWriter&) = delete;

  void start();
  void stop();
  bool running() const { return thread_.joinable(); }

  // Any thread; does no I/O: the file is created on the writer thread, and a failure to create
  // it is reported through request.on_complete (appends then return Closed).
  RecordingHandle open(RecordingRequest request);

 private:
  void run();
  void adopt_new_recordings();
  // Writes up to a batch of queued blocks and finishes the recording when asked; returns
  // whether it did anything, and sets `done` once the recording has been reported.
  bool service(RecordingState& recording, bool stopping, bool& done);
  void finish(RecordingState& recording, std::optional<RecordingFailure> error);
  bool has_work();

  std::shared_ptr<WakeSignal> wake_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;  // guards incoming_ only; never held while calling out
  std::vector<std::shared_ptr<RecordingState>> incoming_;
  std::atomic<bool> has_incoming_{false};
  std::vector<std::shared_ptr<RecordingState>> active_;  // writer thread only
  std::thread thread_;
};

}  // namespace kolokol::media
