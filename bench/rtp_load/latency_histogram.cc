#include "latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace kolokol::rtpload {

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

void LatencyHistogram::add(std::int64_t latency_ns) {
  latency_ns = std::max<std::int64_t>(latency_ns, 0);
  const auto bucket = std::min<std::size_t>(latency_ns / kBucketNs, kBuckets - 1);
  ++buckets_[bucket];
  ++count_;
  max_ns_ = std::max(max_ns_, latency_ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ns_ = std::max(max_ns_, other.max_ns_);
}

std::int64_t LatencyHistogram::percentile_ns(double fraction) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= std::max<std::uint64_t>(rank, 1)) {
      return std::min(static_cast<std::int64_t>(i + 1) * kBucketNs, max_ns_);
    }
  }
  return max_ns_;
}

}  // namespace kolokol::rtpload
