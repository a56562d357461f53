#pragma once

#include <chrono>

namespace kolokol::base {

// The time source every timer-driven component reads. Production code uses SteadyClock;
// tests hand in a ManualTimerService (timer_service.h) whose clock only moves when told.
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = std::chrono::milliseconds;

}  // namespace kolokol::base
