#pragma once
// Whether this test binary runs under AddressSanitizer (CI builds ASan and
// UBSan together). Out of file descriptors, UBSan's vptr check reports every
// virtual call as an invalid vptr: it reads vtables through a pipe it opens
// (IsAccessibleMemoryRange), and that check cannot be suppressed. Tests that
// exhaust descriptors say so and skip there.

namespace hopsim::test {

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#elif defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace hopsim::test
