#include "registrar/binding_change.h"

#include <gtest/gtest.h>

namespace kolokol::registrar {
namespace {

BindingChange change(BindingChange::Kind kind, storage::RowId extension, std::string contact = {},
                     std::uint32_t cseq = 0) {
  BindingChange out;
  out.kind = kind;
  out.binding.extension_id = extension;
  out.binding.contact = std::move(contact);
  out.binding.cseq = cseq;
  return out;
}

std::vector<std::uint32_t> cseqs(const std::vector<BindingChange>& changes) {
  std::vector<std::uint32_t> out;
  for (const auto& c : changes) out.push_back(c.binding.cseq);
  return out;
}

using Kind = BindingChange::Kind;

TEST(LatestChanges, RefreshesOfOneBindingKeepTheLast) {
  auto kept =
      latest_changes({change(Kind::Upsert, 1, "sip:a", 1), change(Kind::Upsert, 2, "sip:b", 2),
                      change(Kind::Upsert, 1, "sip:a", 3), change(Kind::Upsert, 1, "sip:c", 4)});
  EXPECT_EQ(cseqs(kept), (std::vector<std::uint32_t>{2, 3, 4}));
}

TEST(LatestChanges, RemoveAfterUpsertWins) {
  auto kept =
      latest_changes({change(Kind::Upsert, 1, "sip:a", 1), change(Kind::Remove, 1, "sip:a", 2)});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].kind, Kind::Remove);
}

TEST(LatestChanges, RemoveAllDropsEarlierChangesOfItsExtensionOnly) {
  auto kept =
      latest_changes({change(Kind::Upsert, 1, "sip:a", 1), change(Kind::Upsert, 2, "sip:a", 2),
                      change(Kind::RemoveAll, 1, {}, 3), change(Kind::Upsert, 1, "sip:b", 4),
                      change(Kind::RemoveAll, 2, {}, 5), change(Kind::RemoveAll, 2, {}, 6)});
  // Order is kept: the RemoveAll of 1 still runs before the new binding of 1.
  EXPECT_EQ(cseqs(kept), (std::vector<std::uint32_t>{3, 4, 6}));
}

TEST(LatestChanges, SameContactOnTwoExtensionsIsTwoBindings) {
  auto kept =
      latest_changes({change(Kind::Upsert, 1, "sip:a", 1), change(Kind::Upsert, 2, "sip:a", 2)});
  EXPECT_EQ(cseqs(kept), (std::vector<std::uint32_t>{1, 2}));
}

}  // namespace
}  // namespace kolokol::registrar
