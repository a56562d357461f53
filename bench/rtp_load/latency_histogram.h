#pragma once

#include <cstdint>
#include <vector>

namespace kolokol::rtpload {

// One-way latencies in 10 us buckets up to one second (anything later lands in the last
// bucket; the exact maximum is kept apart). One per media thread, merged at the end.
class LatencyHistogram {
 public:
  LatencyHistogram();

  void add(std::int64_t latency_ns);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::int64_t max_ns() const { return max_ns_; }
  // Upper edge of the bucket holding the given fraction (0.5, 0.99) of the samples; 0 if empty.
  std::int64_t percentile_ns(double fraction) const;

 private:
  static constexpr std::int64_t kBucketNs = 10'000;
  static constexpr std::size_t kBuckets = 100'001;

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::int64_t max_ns_ = 0;
};

}  // namespace kolokol::rtpload
