#include "sip/transport/connection_arena.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cassert>
#include <cstdint>

namespace kolokol::sip {
namespace {

std::size_t round_up(std::size_t n, std::size_t to) {
  return (n + to - 1) / to * to;
}

constexpr std::size_t kHeaderSize = 64;  // a Chunk, rounded up so blocks stay aligned

}  // namespace

// The start of every chunk; chunks are aligned to kChunkSize, so a block finds its chunk by
// masking its address.
struct ConnectionArena::Chunk {
  Chunk* prev;  // in partial_[size_class], or the spare list (next only)
  Chunk* next;
  FreeBlock* free;  // blocks given back
  std::size_t size_class;
  std::size_t block_size;
  std::size_t capacity;
  std::size_t used;    // blocks handed out
  std::size_t carved;  // blocks ever handed out: the pages past them were never touched
};

ConnectionArena::ConnectionArena() : page_size_(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))) {}

ConnectionArena::~ConnectionArena() {
  assert(blocks_in_use_ == 0);
  while (spares_ != nullptr) {
    Chunk* chunk = spares_;
    spares_ = chunk->next;
    unmap(chunk, kChunkSize);
  }
}

void* ConnectionArena::do_allocate(std::size_t bytes, std::size_t alignment) {
  void* p;
  if (alignment > page_size_) {
    p = std::pmr::new_delete_resource()->allocate(bytes, alignment);
  } else if (bytes > kMaxBlockSize || alignment > kGranule) {
    p = map(round_up(bytes, page_size_));
  } else {
    p = allocate_block(bytes == 0 ? 0 : (bytes - 1) / kGranule);
  }
  ++blocks_in_use_;
  return p;
}

void ConnectionArena::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  --blocks_in_use_;
  if (alignment > page_size_) {
    std::pmr::new_delete_resource()->deallocate(p, bytes, alignment);
    return;
  }
  if (bytes > kMaxBlockSize || alignment > kGranule) {
    unmap(p, round_up(bytes, page_size_));
    return;
  }
  free_block(p);
}

void* ConnectionArena::allocate_block(std::size_t size_class) {
  Chunk* chunk = partial_[size_class];
  if (chunk == nullptr) {
    chunk = take_chunk(size_class);
    link(chunk);
  }
  void* block;
  if (chunk->free != nullptr) {
    block = chunk->free;
    chunk->free = chunk->free->next;
  } else {
    block = reinterpret_cast<char*>(chunk) + kHeaderSize + chunk->carved * chunk->block_size;
    ++chunk->carved;
  }
  if (++chunk->used == chunk->capacity) unlink(chunk);
  return block;
}

void ConnectionArena::free_block(void* p) {
  auto* chunk = reinterpret_cast<Chunk*>(reinterpret_cast<std::uintptr_t>(p) & ~(kChunkSize - 1));
  const bool was_full = chunk->used == chunk->capacity;
  auto* block = static_cast<FreeBlock*>(p);
  block->next = chunk->free;
  chunk->free = block;
  --chunk->used;
  if (chunk->used == 0) {
    if (!was_full) unlink(chunk);
    retire_chunk(chunk);
  } else if (was_full) {
    link(chunk);
  }
}

ConnectionArena::Chunk* ConnectionArena::take_chunk(std::size_t size_class) {
  static_assert(sizeof(Chunk) <= kHeaderSize && kHeaderSize % kGranule == 0);
  void* memory;
  if (spares_ != nullptr) {
    memory = spares_;
    spares_ = spares_->next;
    --spare_count_;
  } else {
    memory = map_aligned_chunk();
  }
  auto* chunk = static_cast<Chunk*>(memory);
  chunk->prev = chunk->next = nullptr;
  chunk->free = nullptr;
  chunk->size_class = size_class;
  chunk->block_size = (size_class + 1) * kGranule;
  chunk->capacity = (kChunkSize - kHeaderSize) / chunk->block_size;
  chunk->used = 0;
  chunk->carved = 0;
  return chunk;
}

void ConnectionArena::retire_chunk(Chunk* chunk) {
  if (spare_count_ < kMaxSpareChunks) {
    // A spare keeps only its first page: after a burst it would hold up to kChunkSize of
    // memory nobody uses. A chunk that never got past its first page needs no system call.
    const std::size_t touched =
        round_up(kHeaderSize + chunk->carved * chunk->block_size, page_size_);
    if (touched > page_size_) {
      madvise(reinterpret_cast<char*>(chunk) + page_size_, touched - page_size_, MADV_DONTNEED);
    }
    chunk->next = spares_;
    spares_ = chunk;
    ++spare_count_;
    return;
  }
  unmap(chunk, kChunkSize);
}

void ConnectionArena::link(Chunk* chunk) {
  Chunk*& head = partial_[chunk->size_class];
  chunk->prev = nullptr;
  chunk->next = head;
  if (head != nullptr) head->prev = chunk;
  head = chunk;
}

void ConnectionArena::unlink(Chunk* chunk) {
  if (chunk->prev != nullptr) {
    chunk->prev->next = chunk->next;
  } else {
    partial_[chunk->size_class] = chunk->next;
  }
  if (chunk->next != nullptr) chunk->next->prev = chunk->prev;
  chunk->prev = chunk->next = nullptr;
}

void* ConnectionArena::map(std::size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  mapped_bytes_ += bytes;
  return p;
}

void* ConnectionArena::map_aligned_chunk() {
  // Twice the size, then the unaligned head and tail go back.
  auto* raw = static_cast<char*>(map(2 * kChunkSize));
  const auto address = reinterpret_cast<std::uintptr_t>(raw);
  const std::size_t head = round_up(address, kChunkSize) - address;
  if (head > 0) unmap(raw, head);
  const std::size_t tail = kChunkSize - head;
  if (tail > 0) unmap(raw + head + kChunkSize, tail);
  return raw + head;
}

void ConnectionArena::unmap(void* p, std::size_t bytes) {
  munmap(p, bytes);
  mapped_bytes_ -= bytes;
}

}  // namespace kolokol::sip
