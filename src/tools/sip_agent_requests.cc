// options and register modes: single non-INVITE requests through the transaction layer.
#include "sip/auth/digest_client.h"
#include "sip/dialog/uri_endpoint.h"
#include "sip_agent_modes.h"

namespace kolokol::tools {
namespace {

// Shared by OPTIONS and REGISTER: where to send, who we are, one Call-ID per run.
class RequestRunner : public AgentRunner {
 public:
  RequestRunner(AgentStack& stack, const AgentOptions& options, base::Logger log, Finished finished)
      : stack_(stack), options_(options), log_(std::move(log)), finished_(std::move(finished)) {}

 protected:
  base::Expected<bool, std::string> resolve(const std::string& uri_text) {
    auto uri = sip::parse_uri(uri_text);
    if (!uri) return base::unexpected("bad URI '" + uri_text + "': " + uri.error().reason);
    target_ = *uri;
    auto destination = sip::endpoint_from_uri(target_);
    if (!destination) return base::unexpected(std::string("target host must be an IP address"));
    destination_ = *destination;
    auto local = stack_.local_for(destination_.transport);
    if (!local)
      return base::unexpected(std::string("no local listener for the target's transport"));
    local_ = *local;
    call_id_ = stack_.txn.ids().call_id("");
    from_tag_ = stack_.txn.ids().tag();
    return true;
  }

  sip::Message build(sip::Method method, const sip::Uri& request_uri, const sip::NameAddr& from,
                     const sip::NameAddr& to) {
    sip::Message request = sip::Message::request(method, request_uri);
    request.set_header(sip::HeaderId::MaxForwards, "70");
    sip::NameAddr tagged = from;
    sip::set_param(tagged.params, "tag", from_tag_);
    request.set_from(tagged);
    request.set_to(to);
    request.set_header(sip::HeaderId::CallId, call_id_);
    request.set_cseq(sip::CSeq{++cseq_, method, std::string(sip::method_name(method))});
    request.set_header(sip::HeaderId::Contact,
                       sip::contact_for_endpoint(local_, "sip_agent").to_string());
    request.set_header(sip::HeaderId::UserAgent, "kolokol-sip-agent");
    return request;
  }

  void count(bool good) {
    ++tally_.calls;
    ++(good ? tally_.ok : tally_.failed);
  }

  AgentStack& stack_;
  const AgentOptions& options_;
  base::Logger log_;
  Finished finished_;
  sip::Uri target_;
  sip::Endpoint destination_;
  sip::Endpoint local_;
  std::string call_id_;
  std::string from_tag_;
  std::uint32_t cseq_ = 0;
};

class OptionsRunner final : public RequestRunner {
 public:
  using RequestRunner::RequestRunner;

  base::Expected<bool, std::string> start() override {
    auto resolved = resolve(options_.target);
    if (!resolved) return resolved;
    send();
    return true;
  }

 private:
  void send() {
    sip::NameAddr to;
    to.uri = target_;
    to.uri.params.clear();
    sip::NameAddr from =
        *sip::parse_name_addr("<sip:sip_agent@" + sip::contact_for_endpoint(local_).uri.host + ">");
    sip::ClientCallbacks callbacks;
    callbacks.on_response = [this](const sip::Message& response) {
      if (response.status() < 200) return;
      if (response.status() != 200) log_.warn("OPTIONS answered {}", response.status());
      done(response.status() == 200);
    };
    callbacks.on_timeout = [this] {
      log_.warn("OPTIONS timed out");
      done(false);
    };
    callbacks.on_transport_error = [this](std::string_view reason) {
      log_.warn("OPTIONS not delivered: {}", reason);
      done(false);
    };
    stack_.txn.send_request(build(sip::Method::Options, target_, from, to), destination_,
                            std::move(callbacks));
  }

  void done(bool good) {
    count(good);
    if (tally_.calls >= options_.calls) {
      finished_();
    } else {
      stack_.timers.schedule(base::Duration(0), [this] { send(); });
    }
  }
};

class RegisterRunner final : public RequestRunner {
 public:
  RegisterRunner(AgentStack& stack, const AgentOptions& options, base::Logger log,
                 Finished finished)
      : RequestRunner(stack, options, std::move(log), std::move(finished)),
        digest_(options.user, options.password) {}

  base::Expected<bool, std::string> start() override {
    auto aor = sip::parse_uri(options_.register_uri);
    if (!aor) return base::unexpected("bad --register: " + aor.error().reason);
    aor_ = *aor;
    auto resolved = resolve(options_.target);
    if (!resolved) return resolved;
    send();
    return true;
  }

 private:
  void send() {
    sip::NameAddr party;
    party.uri = aor_;
    sip::Uri registrar = aor_;
    registrar.user.clear();
    sip::Message request = build(sip::Method::Register, registrar, party, party);
    request.set_header(sip::HeaderId::Expires, "3600");
    digest_.authorize(request);
    sip::ClientCallbacks callbacks;
    callbacks.on_response = [this](const sip::Message& response) { on_response(response); };
    callbacks.on_timeout = [this] { done(false, "timeout"); };
    callbacks.on_transport_error = [this](std::string_view) { done(false, "transport error"); };
    stack_.txn.send_request(std::move(request), destination_, std::move(callbacks));
  }

  void on_response(const sip::Message& response) {
    const int status = response.status();
    if (status < 200) return;
    if (status == 401 || status == 407) {
      const auto outcome = digest_.on_challenge(response);
      if (outcome == sip::DigestClient::ChallengeOutcome::Retry ||
          outcome == sip::DigestClient::ChallengeOutcome::RetryStale) {
        stack_.timers.schedule(base::Duration(0), [this] { send(); });
        return;
      }
      done(false, "credentials rejected");
      return;
    }
    done(status >= 200 && status < 300, "status " + std::to_string(status));
  }

  void done(bool good, const std::string& why) {
    if (!good) log_.warn("REGISTER failed: {}", why);
    count(good);
    if (tally_.calls >= options_.calls) {
      finished_();
    } else {
      stack_.timers.schedule(base::Duration(0), [this] { send(); });
    }
  }

  sip::DigestClient digest_;
  sip::Uri aor_;
};

}  // namespace

std::unique_ptr<AgentRunner> make_options_runner(AgentStack& stack, const AgentOptions& options,
                                                 base::Logger log, Finished finished) {
  return std::make_unique<OptionsRunner>(stack, options, std::move(log), std::move(finished));
}

std::unique_ptr<AgentRunner> make_register_runner(AgentStack& stack, const AgentOptions& options,
                                                  base::Logger log, Finished finished) {
  return std::make_unique<RegisterRunner>(stack, options, std::move(log), std::move(finished));
}

}  // namespace kolokol::tools
