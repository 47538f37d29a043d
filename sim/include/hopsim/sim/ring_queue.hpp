#pragma once
// A FIFO in one ring buffer that only ever grows (doubling) and never gives
// memory back. std::deque allocates a block every few hundred pushes as its
// contents move along, which is an allocation per so many hops on a busy
// link; a transmit queue reaches its working size once and stays there.

#include <cassert>
#include <cstddef>
#include <vector>

namespace hopsim::sim {

template <class T>
class RingQueue {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    const T& front() const {
        assert(size_ > 0);
        return slots_[head_];
    }
    void push_back(const T& v) {
        if (size_ == slots_.size()) grow();
        slots_[(head_ + size_) & (slots_.size() - 1)] = v;
        ++size_;
    }
    void pop_front() {
        assert(size_ > 0);
        head_ = (head_ + 1) & (slots_.size() - 1);
        --size_;
    }

private:
    void grow() {
        std::vector<T> bigger(slots_.empty() ? 8 : slots_.size() * 2);  // a power of two: wrap with a mask
        for (std::size_t i = 0; i < size_; ++i) bigger[i] = slots_[(head_ + i) & (slots_.size() - 1)];
        slots_.swap(bigger);
        head_ = 0;
    }
    std::vector<T> slots_;
    std::size_t head_ = 0, size_ = 0;
};

}  // namespace hopsim::sim
