#include "base/metrics.h"

#include <gtest/gtest.h>

namespace kolokol::base {
namespace {

TEST(MetricsRegistry, RendersPrometheusTextWithLabels) {
  MetricsRegistry registry;
  registry
      .counter("sip_messages_total", "SIP messages", {{"direction", "in"}, {"method", "INVITE"}})
      .inc(3);
  registry.gauge("sip_connections", "Open connections", {{"transport", "TCP"}}).set(2);
  const std::string text = registry.render_prometheus();
  EXPECT_NE(text.find("# TYPE sip_messages_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("sip_messages_total{direction=\"in\",method=\"INVITE\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE sip_connections gauge\n"), std::string::npos);
  EXPECT_NE(text.find("sip_connections{transport=\"TCP\"} 2\n"), std::string::npos);
}

TEST(MetricsRegistry, SameNameAndLabelsIsSameSeries) {
  MetricsRegistry registry;
  Counter& a = registry.counter("x_total", "x", {{"k", "v"}});
  Counter& b = registry.counter("x_total", "x", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(registry.gauge("x_total", "x"), std::logic_error);
}

TEST(MetricsRegistry, EscapesLabelValues) {
  MetricsRegistry registry;
  registry.counter("y_total", "y", {{"reason", "a\"b\\c\nd"}}).inc();
  EXPECT_NE(registry.render_prometheus().find(R"(y_total{reason="a\"b\\c\nd"} 1)"),
            std::string::npos);
}

}  // namespace
}  // namespace kolokol::base
