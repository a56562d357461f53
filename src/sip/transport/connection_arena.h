#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <memory_resource>
#include <new>
#include <utility>

namespace kolokol::sip {

// Memory for what lives exactly as long as a TCP/TLS connection: the connection object, its
// pending socket operations, send queue, framer and TLS read buffers and its connection-table
// entries. It is kept off the malloc heap because Asio's reactor allocates a small descriptor
// state there for every socket and never frees it (it pools them for the next socket): after a
// burst of connections those live blocks sit between the freed connection memory on every heap
// page, and glibc can give none of those pages back (measured: 10,000 connections left 21 MiB
// behind, of which 2 MiB were in use; malloc_trim cannot help as no free run spans a page).
//
// Blocks up to kMaxBlockSize come from kChunkSize chunks mapped from the kernel, one size class
// per chunk; a chunk goes back to the kernel when its last block is freed (a few stay as
// spares holding one page each, so one connection coming and going does not map and unmap
// every time). Larger blocks get a mapping of their own. Not thread-safe: the transport
// layer's thread owns it.
class ConnectionArena final : public std::pmr::memory_resource {
 public:
  static constexpr std::size_t kChunkSize = 64 * 1024;
  static constexpr std::size_t kMaxBlockSize = 4096;
  static constexpr std::size_t kMaxSpareChunks = 8;

  ConnectionArena();
  // Returns the spare chunks. Every block must have been given back (ArenaAllocator's shared
  // ownership sees to that); if not, their chunks stay mapped, as something still uses them.
  ~ConnectionArena() override;
  ConnectionArena(const ConnectionArena&) = delete;
  ConnectionArena& operator=(const ConnectionArena&) = delete;

  // Bytes mapped from the kernel right now (chunks in use, spares and large blocks).
  std::size_t mapped_bytes() const { return mapped_bytes_; }
  // Allocations not yet given back.
  std::size_t blocks_in_use() const { return blocks_in_use_; }

 private:
  struct Chunk;
  struct FreeBlock {
    FreeBlock* next;
  };
  static constexpr std::size_t kGranule = alignof(std::max_align_t);
  static constexpr std::size_t kClasses = kMaxBlockSize / kGranule;

  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  void* allocate_block(std::size_t size_class);
  void free_block(void* p);
  Chunk* take_chunk(std::size_t size_class);
  void retire_chunk(Chunk* chunk);
  void link(Chunk* chunk);
  void unlink(Chunk* chunk);
  void* map(std::size_t bytes);
  void* map_aligned_chunk();
  void unmap(void* p, std::size_t bytes);

  const std::size_t page_size_;
  std::array<Chunk*, kClasses> partial_{};  // per size class: chunks with a free block
  Chunk* spares_ = nullptr;
  std::size_t spare_count_ = 0;
  std::size_t mapped_bytes_ = 0;
  std::size_t blocks_in_use_ = 0;
};

// A standard allocator on a ConnectionArena that keeps the arena alive: a connection and its
// pending operations may outlive the transport layer that owns the arena.
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;

  explicit ArenaAllocator(std::shared_ptr<ConnectionArena> arena) noexcept
      : arena_(std::move(arena)) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena_(other.arena_) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(arena_->allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    arena_->deallocate(p, n * sizeof(T), alignof(T));
  }

  template <class U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept {
    return arena_ == other.arena_;
  }

 private:
  template <class U>
  friend class ArenaAllocator;
  std::shared_ptr<ConnectionArena> arena_;
};

}  // namespace kolokol::sip
