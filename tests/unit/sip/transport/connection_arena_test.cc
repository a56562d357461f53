#include "sip/transport/connection_arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <list>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kolokol::sip {
namespace {

constexpr std::size_t kSpareLimit = ConnectionArena::kMaxSpareChunks * ConnectionArena::kChunkSize;

struct Block {
  unsigned char* p;
  std::size_t size;
  unsigned char fill;
};

bool aligned(const void* p, std::size_t alignment) {
  return reinterpret_cast<std::uintptr_t>(p) % alignment == 0;
}

TEST(ConnectionArena, BlocksOfEverySizeAreDistinctAlignedAndComeBackToTheSystem) {
  ConnectionArena arena;
  std::vector<Block> blocks;
  for (std::size_t size = 0; size <= ConnectionArena::kMaxBlockSize + 100; size += 7) {
    for (int copy = 0; copy < 3; ++copy) {
      auto* p = static_cast<unsigned char*>(arena.allocate(size, alignof(std::max_align_t)));
      ASSERT_TRUE(aligned(p, alignof(std::max_align_t))) << size;
      const auto fill = static_cast<unsigned char>(blocks.size());
      std::memset(p, fill, size);
      blocks.push_back({p, size, fill});
    }
  }
  EXPECT_GT(arena.mapped_bytes(), kSpareLimit);
  // No block overwrote another.
  for (const auto& block : blocks) {
    ASSERT_TRUE(std::all_of(block.p, block.p + block.size, [&](unsigned char c) {
      return c == block.fill;
    })) << block.size;
  }
  EXPECT_EQ(arena.blocks_in_use(), blocks.size());
  for (const auto& block : blocks) arena.deallocate(block.p, block.size, alignof(std::max_align_t));
  EXPECT_EQ(arena.blocks_in_use(), 0u);
  EXPECT_LE(arena.mapped_bytes(), kSpareLimit);
}

TEST(ConnectionArena, ABurstOfInterleavedConnectionsLeavesOnlyTheSpares) {
  ConnectionArena arena;
  // The sizes one accepted TCP connection allocates, freed in random order as peers go away.
  const std::vector<std::size_t> sizes = {848, 240, 56, 56, 32, 20, 20};
  std::vector<std::pair<void*, std::size_t>> live;
  for (int connection = 0; connection < 10000; ++connection) {
    for (std::size_t size : sizes) live.emplace_back(arena.allocate(size), size);
  }
  const std::size_t peak = arena.mapped_bytes();
  EXPECT_GT(peak, 10000 * 1000u);
  EXPECT_LT(peak, 10000 * 1600u);  // size classes and chunk headers waste little
  std::shuffle(live.begin(), live.end(), std::mt19937(7));
  for (auto [p, size] : live) arena.deallocate(p, size);
  live.clear();
  EXPECT_LE(arena.mapped_bytes(), kSpareLimit);

  // A few connections later fit in the spares.
  for (int connection = 0; connection < 50; ++connection) {
    for (std::size_t size : sizes) live.emplace_back(arena.allocate(size), size);
  }
  EXPECT_LE(arena.mapped_bytes(), kSpareLimit);
  for (auto [p, size] : live) arena.deallocate(p, size);
}

TEST(ConnectionArena, FreedBlocksAreReusedBeforeNewChunks) {
  ConnectionArena arena;
  std::vector<void*> blocks;
  for (int i = 0; i < 1000; ++i) blocks.push_back(arena.allocate(100));
  const std::size_t mapped = arena.mapped_bytes();
  for (std::size_t i = 0; i < blocks.size(); i += 2) arena.deallocate(blocks[i], 100);
  for (std::size_t i = 0; i < blocks.size(); i += 2) blocks[i] = arena.allocate(100);
  EXPECT_EQ(arena.mapped_bytes(), mapped);
  for (void* p : blocks) arena.deallocate(p, 100);
}

TEST(ConnectionArena, LargeAndOverAlignedBlocksGetTheirOwnMemory) {
  ConnectionArena arena;
  void* large = arena.allocate(64 * 1024 + 1);
  EXPECT_GE(arena.mapped_bytes(), 64 * 1024u + 1);
  std::memset(large, 1, 64 * 1024 + 1);
  void* aligned64 = arena.allocate(100, 64);
  EXPECT_TRUE(aligned(aligned64, 64));
  void* aligned8k = arena.allocate(100, 8192);
  EXPECT_TRUE(aligned(aligned8k, 8192));
  arena.deallocate(aligned8k, 100, 8192);
  arena.deallocate(aligned64, 100, 64);
  arena.deallocate(large, 64 * 1024 + 1);
  EXPECT_EQ(arena.mapped_bytes(), 0u);
}

TEST(ConnectionArena, PmrContainersUseIt) {
  ConnectionArena arena;
  {
    std::pmr::list<std::pmr::string> strings(&arena);
    for (int i = 0; i < 100; ++i) strings.emplace_back(std::string(40 + i, 'x'));
    EXPECT_GT(arena.mapped_bytes(), 0u);
    EXPECT_EQ(std::string_view(strings.back()), std::string(139, 'x'));
  }
  EXPECT_LE(arena.mapped_bytes(), kSpareLimit);
}

TEST(ArenaAllocator, KeepsTheArenaAliveWhileItsObjectsLive) {
  struct Payload {
    std::string text;
  };
  auto arena = std::make_shared<ConnectionArena>();
  std::weak_ptr<ConnectionArena> watch = arena;
  auto object = std::allocate_shared<Payload>(ArenaAllocator<Payload>(arena), Payload{"survives"});
  arena.reset();  // the owner (the transport layer) goes first
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(object->text, "survives");
  object.reset();
  EXPECT_TRUE(watch.expired());
}

TEST(ArenaAllocator, RebindsAndComparesByArena) {
  auto one = std::make_shared<ConnectionArena>();
  auto two = std::make_shared<ConnectionArena>();
  ArenaAllocator<int> ints(one);
  ArenaAllocator<double> doubles(ints);
  EXPECT_TRUE(ints == doubles);
  EXPECT_FALSE(ints == ArenaAllocator<int>(two));
  int* p = ints.allocate(10);
  EXPECT_GT(one->mapped_bytes(), 0u);
  ArenaAllocator<int>(doubles).deallocate(p, 10);
  EXPECT_THROW(ints.allocate(static_cast<std::size_t>(-1) / 2), std::bad_array_new_length);
}

}  // namespace
}  // namespace kolokol::sip
