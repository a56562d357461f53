#include "call/final_status.h"

#include <algorithm>

namespace kolokol::call {
namespace {

// Lower is better within a class.
int preference(int status) {
  switch (status) {
    case 486:
      return 0;
    case 480:
      return 1;
    case 404:
      return 2;
    case 408:
      return 4;
    case 487:
      return 5;  // a fork we cancelled says least
    default:
      return 3;
  }
}

}  // namespace

int choose_final_status(const std::vector<int>& statuses) {
  std::vector<int> usable;
  for (int status : statuses) {
    if (status < 300 || status > 699) continue;
    usable.push_back(status == 401 || status == 407 ? 480 : status);
  }
  if (usable.empty()) return 408;
  if (auto six = std::find_if(usable.begin(), usable.end(), [](int s) { return s >= 600; });
      six != usable.end()) {
    return *six;
  }
  return *std::min_element(usable.begin(), usable.end(), [](int a, int b) {
    if (a / 100 != b / 100) return a / 100 < b / 100;
    return preference(a) < preference(b);
  });
}

storage::Disposition disposition_for_status(int status) {
  switch (status) {
    case 486:
    case 600:
      return storage::Disposition::Busy;
    case 408:
      return storage::Disposition::NoAnswer;
    case 480:
      return storage::Disposition::Unavailable;
    case 487:
      return storage::Disposition::Cancelled;
    case 404:
    case 484:
    case 604:
      return storage::Disposition::NotFound;
    case 503:
      return storage::Disposition::Failed;
    default:
      return status >= 500 && status < 600 ? storage::Disposition::Failed
                                           : storage::Disposition::Rejected;
  }
}

}  // namespace kolokol::call
