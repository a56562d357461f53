#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "server/pbx_store.h"

namespace kolokol::server {

// Items (registration changes, call records) that the SIP thread hands to the database. One
// SQLite commit per item, and waking the database thread for each, cost more CPU than the SIP
// work that produced it; here items queue and the database thread writes what queued during the
// last kFlushDelay in one go (`write_batch`, usually one transaction). A crash loses at most that
// much; a clean stop calls flush_now() before the store stops.
template <typename Item>
class WriteBehind {
 public:
  static constexpr std::chrono::milliseconds kFlushDelay{100};
  using BatchWriter = std::function<void(storage::Database&, std::vector<Item>)>;

  WriteBehind(PbxStore& store, BatchWriter write_batch)
      : store_(store), write_batch_(std::move(write_batch)) {}
  WriteBehind(const WriteBehind&) = delete;
  WriteBehind& operator=(const WriteBehind&) = delete;

  // Any thread.
  void add(Item item) {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(item));
    if (flush_posted_) return;
    flush_posted_ = true;
    // The queue outlives the store's thread (the daemon declares it before the store).
    store_.post_after(kFlushDelay, [this](storage::Database& db) { flush(db); });
  }

  // Writes what is queued now.
  void flush_now() {
    store_.post([this](storage::Database& db) { flush(db); });
  }

 private:
  void flush(storage::Database& db) {
    std::vector<Item> batch;
    {
      std::lock_guard lock(mutex_);
      batch.swap(pending_);
      flush_posted_ = false;
    }
    if (!batch.empty()) write_batch_(db, std::move(batch));
  }

  PbxStore& store_;
  BatchWriter write_batch_;
  std::mutex mutex_;
  std::vector<Item> pending_;  // guarded by mutex_
  bool flush_posted_ = false;  // guarded by mutex_
};

}  // namespace kolokol::server
