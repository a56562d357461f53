#pragma once

#include <functional>
#include <memory>

#include "sip_agent_options.h"
#include "sip_agent_stack.h"

namespace kolokol::tools {

struct Tally {
  int calls = 0;
  int ok = 0;
  int failed = 0;
};

// One mode of the agent. start() begins the work on the stack's io_context; `finished` is
// called (once) when the mode has done what it was asked.
class AgentRunner {
 public:
  virtual ~AgentRunner() = default;
  virtual base::Expected<bool, std::string> start() = 0;
  // SIGTERM or timeout: end what is in progress.
  virtual void shutdown() {}
  const Tally& tally() const { return tally_; }

 protected:
  Tally tally_;
};

using Finished = std::function<void()>;
std::unique_ptr<AgentRunner> make_uas_runner(AgentStack& stack, const AgentOptions& options,
                                             base::Logger log, Finished finished);
std::unique_ptr<AgentRunner> make_uac_runner(AgentStack& stack, const AgentOptions& options,
                                             base::Logger log, Finished finished);
std::unique_ptr<AgentRunner> make_options_runner(AgentStack& stack, const AgentOptions& options,
                                                 base::Logger log, Finished finished);
std::unique_ptr<AgentRunner> make_register_runner(AgentStack& stack, const AgentOptions& options,
                                                  base::Logger log, Finished finished);

}  // namespace kolokol::tools
