#include "storage/model.h"

#include <gtest/gtest.h>

namespace kolokol::storage {
namespace {

TEST(Disposition, NamesRoundTrip) {
  const std::pair<Disposition, std::string_view> expected[] = {
      {Disposition::Answered, "answered"},  {Disposition::Busy, "busy"},
      {Disposition::NoAnswer, "no-answer"}, {Disposition::Cancelled, "cancelled"},
      {Disposition::NotFound, "not-found"}, {Disposition::Unavailable, "unavailable"},
      {Disposition::Rejected, "rejected"},  {Disposition::Failed, "failed"},
  };
  for (const auto& [disposition, name] : expected) {
    EXPECT_EQ(disposition_name(disposition), name);
    EXPECT_EQ(disposition_from_name(name), disposition) << name;
  }
}

TEST(Disposition, UnknownNameIsNothing) {
  EXPECT_EQ(disposition_from_name(""), std::nullopt);
  EXPECT_EQ(disposition_from_name("Answered"), std::nullopt);
  EXPECT_EQ(disposition_from_name("no_answer"), std::nullopt);
}

}  // namespace
}  // namespace kolokol::storage
