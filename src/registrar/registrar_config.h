#pragma once

#include <chrono>
#include <cstddef>

namespace kolokol::registrar {

// The registrar's settings (the daemon fills them from the YAML `registrar` section).
struct RegistrarConfig {
  // RFC 3261 10.3 step 7: shorter requests get 423 with Min-Expires (0 still unregisters).
  std::chrono::seconds min_expires{60};
  std::chrono::seconds max_expires{3600};      // longer requests are shortened to this
  std::chrono::seconds default_expires{3600};  // neither expires parameter nor Expires header
  // Contacts per extension. A new contact beyond the limit replaces the one closest to
  // expiring (Asterisk's max_contacts with remove_existing); a REGISTER that alone names more
  // is refused with 403.
  std::size_t max_contacts = 10;
  // OPTIONS to each registered contact, jittered; 0 disables (registrar.qualify_interval).
  std::chrono::seconds qualify_interval{30};
};

}  // namespace kolokol::registrar
