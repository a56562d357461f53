// The qualifier over a real TransactionLayer whose transport is a recording fake, with time
// driven by a ManualTimerService.
#include "registrar/qualifier.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/metrics.h"
#include "sip/transport/transport_sink.h"

namespace kolokol::registrar {
namespace {

using namespace std::chrono_literals;

class RecordingSink : public sip::TransportSink {
 public:
  struct Sent {
    sip::Message message;
    sip::Endpoint destination;
    ErrorHandler on_error;
  };
  void send_request(sip::Message& request, const sip::Endpoint& destination,
                    ErrorHandler on_error) override {
    if (const sip::Via* top = request.top_via()) {  // the transport fills sent-by
      sip::Via via = *top;
      via.host = "127.0.0.1";
      via.port = 5060;
      request.set_top_via(via);
    }
    sent.push_back({request.clone(), destination, std::move(on_error)});
  }
  void send_response(const sip::Message&, const sip::Source&, ErrorHandler) override {}

  std::vector<Sent> sent;
};

class QualifierTest : public ::testing::Test {
 protected:
  QualifierTest() {
    sip::TransactionConfig txn_config;
    txn_config.id_seed = 7;
    layer =
        std::make_unique<sip::TransactionLayer>(timers, sink, metrics, base::Logger{}, txn_config);
    make_qualifier();
  }

  void make_qualifier() {
    qualifier = std::make_unique<Qualifier>(
        *layer, location, timers, config, base::Logger{},
        [this](const BindingChange& change) { changes.push_back(change); },
        [this] { return wall(); });
  }

  storage::UnixSeconds wall() const {
    return 1'000'000 +
           std::chrono::duration_cast<std::chrono::seconds>(timers.now().time_since_epoch())
               .count();
  }

  std::uint64_t add(const std::string& contact, const std::string& received = "udp:192.0.2.5:5062",
                    std::vector<std::string> path = {}, storage::UnixSeconds lifetime = 3600) {
    storage::ContactBinding record;
    record.extension_id = 10;
    record.contact = contact;
    record.call_id = "c";
    record.expires_at = wall() + lifetime;
    record.received = received;
    record.local = "udp:127.0.0.1:5060";
    record.path = std::move(path);
    const Binding* binding = location.upsert(std::move(record));
    EXPECT_NE(binding, nullptr);
    return binding ? binding->id : 0;
  }

  // The peer answers the n-th request sent.
  void answer(std::size_t n, int status) {
    const RecordingSink::Sent& sent = sink.sent.at(n);
    sip::Source from{sent.destination, {sent.destination.transport, "127.0.0.1", 5060}, 0};
    layer->on_message(sip::make_response(sent.message, status, {}, "peer"), from);
  }

  const Binding& binding(std::uint64_t id) {
    const Binding* found = location.find_by_id(id);
    EXPECT_NE(found, nullptr);
    return *found;
  }

  base::ManualTimerService timers;
  RecordingSink sink;
  base::MetricsRegistry metrics;
  std::unique_ptr<sip::TransactionLayer> layer;
  LocationService location;
  RegistrarConfig config;
  std::vector<BindingChange> changes;
  std::unique_ptr<Qualifier> qualifier;
};

TEST_F(QualifierTest, OptionsGoToTheRegisteredFlowThroughThePath) {
  add("sip:1001@10.0.0.7:5062;transport=tcp;ob", "tcp:192.0.2.5:40001",
      {"<sip:edge1.test;lr>", "<sip:edge2.test;lr>"});
  qualifier->qualify_all();
  ASSERT_EQ(sink.sent.size(), 1u);
  const sip::Message& options = sink.sent[0].message;
  EXPECT_EQ(options.method(), sip::Method::Options);
  EXPECT_EQ(options.request_uri().to_string(), "sip:1001@10.0.0.7:5062;transport=tcp;ob");
  EXPECT_EQ(sink.sent[0].destination, (sip::Endpoint{sip::Transport::Tcp, "192.0.2.5", 40001}));
  std::vector<std::string> routes;
  for (auto value : options.values(sip::HeaderId::Route)) routes.emplace_back(value);
  EXPECT_EQ(routes, (std::vector<std::string>{"<sip:edge1.test;lr>", "<sip:edge2.test;lr>"}));
  ASSERT_NE(options.from(), nullptr);
  EXPECT_EQ(options.from()->uri.host, "127.0.0.1");
  EXPECT_TRUE(options.from()->tag().has_value());
  ASSERT_NE(options.to(), nullptr);
  EXPECT_EQ(options.to()->uri.to_string(), "sip:1001@10.0.0.7:5062;transport=tcp;ob");
  EXPECT_EQ(options.max_forwards(), 70);
  ASSERT_NE(options.cseq(), nullptr);
  EXPECT_EQ(options.cseq()->method, sip::Method::Options);
}

TEST_F(QualifierTest, AnAnswerMeansReachableWithItsRoundTrip) {
  const std::uint64_t id = add("sip:1001@192.0.2.5:5062");
  location.set_reachable(id, false);
  qualifier->qualify_all();
  timers.advance(40ms);
  answer(0, 200);
  EXPECT_TRUE(binding(id).reachable);
  EXPECT_EQ(binding(id).round_trip, 40ms);
  EXPECT_FALSE(binding(id).qualify_pending);
  // Any final answer will do: the phone is there, it merely dislikes OPTIONS.
  location.set_reachable(id, false);
  qualifier->qualify_all();
  answer(sink.sent.size() - 1, 405);
  EXPECT_TRUE(binding(id).reachable);
}

TEST_F(QualifierTest, SilenceMeansUnreachableUntilItAnswersAgain) {
  const std::uint64_t id = add("sip:1001@192.0.2.5:5062");
  qualifier->qualify_all();
  timers.advance(31s);
  EXPECT_TRUE(binding(id).reachable);  // still waiting (Timer F is 64*T1 = 32 s)
  EXPECT_TRUE(binding(id).qualify_pending);
  timers.advance(1s);
  EXPECT_FALSE(binding(id).reachable);
  EXPECT_TRUE(location.reachable_contacts(10, wall()).empty());
  EXPECT_EQ(location.contacts(10, wall()).size(), 1u);  // still registered
  const std::size_t before = sink.sent.size();
  qualifier->qualify_all();
  ASSERT_EQ(sink.sent.size(), before + 1);
  answer(before, 200);
  EXPECT_TRUE(binding(id).reachable);
}

TEST_F(QualifierTest, TransportErrorsAnd408MeanUnreachable) {
  const std::uint64_t id = add("sip:1001@192.0.2.5:5062", "tcp:192.0.2.5:40001");
  qualifier->qualify_all();
  ASSERT_TRUE(sink.sent[0].on_error);
  sink.sent[0].on_error("connection reset");
  EXPECT_FALSE(binding(id).reachable);
  EXPECT_FALSE(binding(id).qualify_pending);
  location.set_reachable(id, true);
  qualifier->qualify_all();
  answer(1, 408);  // from an edge proxy that got no answer
  EXPECT_FALSE(binding(id).reachable);
}

TEST_F(QualifierTest, AnOutstandingOptionsIsNotDuplicated) {
  add("sip:1001@192.0.2.5:5062", "tcp:192.0.2.5:40001");
  qualifier->qualify_all();
  qualifier->qualify_all();
  EXPECT_EQ(sink.sent.size(), 1u);
  // The periodic rounds skip it too while it waits (interval 30 s < Timer F 32 s).
  qualifier->start();
  timers.advance(31s);
  EXPECT_EQ(sink.sent.size(), 1u);
}

TEST_F(QualifierTest, BindingsRemovedWhileAskedAreLeftAlone) {
  const std::uint64_t old_id = add("sip:1001@192.0.2.5:5062", "tcp:192.0.2.5:40001");
  qualifier->qualify_all();
  ASSERT_TRUE(location.remove(10, *sip::parse_uri("sip:1001@192.0.2.5:5062")).has_value());
  // The same contact registered again is a new binding: the old OPTIONS is not about it.
  const std::uint64_t new_id = add("sip:1001@192.0.2.5:5062", "tcp:192.0.2.5:40001");
  EXPECT_NE(new_id, old_id);
  location.set_reachable(new_id, false);
  answer(0, 200);
  EXPECT_FALSE(binding(new_id).reachable);
  location.remove_all(10);
  qualifier->qualify_all();  // nothing registered: nothing sent
  EXPECT_EQ(sink.sent.size(), 1u);
  timers.advance(40s);
}

TEST_F(QualifierTest, ResultsArrivingAfterTheQualifierIsGoneAreIgnored) {
  const std::uint64_t id = add("sip:1001@192.0.2.5:5062");
  qualifier->start();
  qualifier->qualify_all();
  qualifier.reset();
  answer(0, 200);
  timers.advance(40s);                       // the cancelled tick stays silent
  EXPECT_TRUE(binding(id).qualify_pending);  // nobody took the answer
  EXPECT_EQ(sink.sent.size(), 1u);
}

TEST_F(QualifierTest, ContactsAreProbedEveryIntervalWithJitter) {
  constexpr int kContacts = 20;
  for (int i = 0; i < kContacts; ++i) {
    add("sip:phone" + std::to_string(i) + "@192.0.2.5",
        "tcp:192.0.2.5:" + std::to_string(40000 + i));
  }
  qualifier->start();
  std::map<std::string, std::vector<long>> sent_at;  // contact -> seconds of its OPTIONS
  std::size_t seen = 0;
  for (int second = 1; second <= 70; ++second) {
    timers.advance(1s);
    for (; seen < sink.sent.size(); ++seen) {
      sent_at[sink.sent[seen].message.request_uri().to_string()].push_back(second);
      answer(seen, 200);
    }
  }
  ASSERT_EQ(sent_at.size(), static_cast<std::size_t>(kContacts));
  std::set<long> first_seconds;
  for (const auto& [contact, seconds] : sent_at) {
    ASSERT_GE(seconds.size(), 2u) << contact;
    EXPECT_LE(seconds[0], 32) << contact;  // first probe within one interval (+ a tick)
    first_seconds.insert(seconds[0]);
    for (std::size_t i = 1; i < seconds.size(); ++i) {
      const long gap = seconds[i] - seconds[i - 1];
      EXPECT_GE(gap, 27) << contact;  // 30 s +-10%, on one-second ticks
      EXPECT_LE(gap, 34) << contact;
    }
  }
  // Registered in the same instant, yet not probed in the same second.
  EXPECT_GT(first_seconds.size(), 3u);
}

TEST_F(QualifierTest, ExpiredBindingsAreRemovedAndReported) {
  config.qualify_interval = 0s;
  make_qualifier();
  add("sip:short@192.0.2.5", "udp:192.0.2.5:5062", {}, 10);
  add("sip:long@192.0.2.5", "udp:192.0.2.5:5062", {}, 3600);
  qualifier->start();
  timers.advance(9s);
  EXPECT_EQ(location.size(), 2u);
  timers.advance(2s);
  EXPECT_EQ(location.size(), 1u);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, BindingChange::Kind::Remove);
  EXPECT_EQ(changes[0].binding.contact, "sip:short@192.0.2.5");
  EXPECT_EQ(changes[0].binding.extension_id, 10);
  timers.advance(100s);
  EXPECT_TRUE(sink.sent.empty());  // qualify disabled: no OPTIONS at all
}

TEST_F(QualifierTest, TheFromHostComesFromTheHookForWildcardListeners) {
  storage::ContactBinding record;
  record.extension_id = 10;
  record.contact = "sip:1001@192.0.2.5";
  record.expires_at = wall() + 3600;
  record.received = "udp:192.0.2.5:5062";
  record.local = "udp:[::]:5060";
  location.upsert(record);
  qualifier->set_local_host([](const sip::Endpoint& local, std::string_view remote) {
    return local.address == "::" && remote == "192.0.2.5" ? "2001:db8::5" : "wrong";
  });
  qualifier->qualify_all();
  ASSERT_EQ(sink.sent.size(), 1u);
  EXPECT_EQ(sink.sent[0].message.from()->uri.host, "[2001:db8::5]");
}

}  // namespace
}  // namespace kolokol::registrar
