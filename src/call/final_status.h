#pragma once

#include <vector>

#include "storage/model.h"

namespace kolokol::call {

// Which final status the caller gets when every fork of a call failed, after RFC 3261 16.7
// step 6: a 6xx wins; otherwise the lowest class, preferring within 4xx the answers that tell
// the caller something (486 busy, then 480, then the rest). A callee challenging the B2BUA
// (401/407) says nothing the caller can act on and becomes 480. No answer at all: 408.
int choose_final_status(const std::vector<int>& statuses);

// The CDR disposition of an unanswered call that ended with `status` for the caller.
storage::Disposition disposition_for_status(int status);

}  // namespace kolokol::call
