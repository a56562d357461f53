#include "storage/sqlite/registration_repository.h"

#include "storage/sqlite/errors.h"

namespace kolokol::storage::sqlite {
namespace {

std::string join_path(const std::vector<std::string>& path) {
  std::string joined;
  for (const auto& hop : path) {
    if (!joined.empty()) joined += '\n';
    joined += hop;
  }
  return joined;
}

std::vector<std::string> split_path(std::string_view joined) {
  std::vector<std::string> path;
  while (!joined.empty()) {
    const auto end = joined.find('\n');
    path.emplace_back(joined.substr(0, end));
    if (end == std::string_view::npos) break;
    joined.remove_prefix(end + 1);
  }
  return path;
}

std::optional<StorageError> check(const ContactBinding& binding) {
  if (binding.contact.empty()) return invalid("a binding needs a contact");
  for (const auto& hop : binding.path) {
    if (hop.empty()) return invalid("an empty Path value");
    if (hop.find_first_of("\r\n") != std::string::npos) {
      return invalid("a Path value with a line break");
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<ContactBinding>> SqliteRegistrationRepository::load_all() {
  const char* doing = "loading contact bindings";
  return transactor_.atomically(
      Transactor::Access::Read, [&]() -> Result<std::vector<ContactBinding>> {
        auto rows = connection_.prepare(
            "SELECT extension_id, contact, instance_id, call_id, cseq, expires_at, q, path, "
            "received, local, user_agent FROM contact_bindings ORDER BY extension_id, contact");
        if (!rows) return base::unexpected(in_context(rows.error(), doing));
        std::vector<ContactBinding> bindings;
        for (;;) {
          auto row = rows->step();
          if (!row) return base::unexpected(in_context(row.error(), doing));
          if (!*row) break;
          ContactBinding binding;
          binding.extension_id = rows->column_int(0);
          binding.contact = rows->column_text(1);
          binding.instance_id = rows->column_text(2);
          binding.call_id = rows->column_text(3);
          binding.cseq = static_cast<std::uint32_t>(rows->column_int(4));
          binding.expires_at = rows->column_int(5);
          binding.q = static_cast<float>(rows->column_real(6));
          binding.path = split_path(rows->column_text(7));
          binding.received = rows->column_text(8);
          binding.local = rows->column_text(9);
          binding.user_agent = rows->column_text(10);
          bindings.push_back(std::move(binding));
        }
        return bindings;
      });
}

Result<Done> SqliteRegistrationRepository::upsert(const ContactBinding& binding) {
  const std::string doing = "saving the binding of extension " +
                            std::to_string(binding.extension_id) + " to " + binding.contact;
  if (auto error = check(binding)) return base::unexpected(in_context(*error, doing));
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Done> {
    auto statement = connection_.prepare(
        "INSERT INTO contact_bindings (extension_id, contact, instance_id, call_id, cseq, "
        "expires_at, q, path, received, local, user_agent) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (extension_id, contact) DO UPDATE SET instance_id = excluded.instance_id, "
        "call_id = excluded.call_id, cseq = excluded.cseq, expires_at = excluded.expires_at, "
        "q = excluded.q, path = excluded.path, received = excluded.received, "
        "local = excluded.local, user_agent = excluded.user_agent");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_int(1, binding.extension_id)
        .bind_text(2, binding.contact)
        .bind_text(3, binding.instance_id)
        .bind_text(4, binding.call_id)
        .bind_int(5, binding.cseq)
        .bind_int(6, binding.expires_at)
        .bind_real(7, binding.q)
        .bind_text(8, join_path(binding.path))
        .bind_text(9, binding.received)
        .bind_text(10, binding.local)
        .bind_text(11, binding.user_agent);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    return Done{};
  });
}

Result<Done> SqliteRegistrationRepository::remove(RowId extension_id, std::string_view contact) {
  const std::string doing = "removing the binding of extension " + std::to_string(extension_id) +
                            " to " + std::string(contact);
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Done> {
    auto statement = connection_.prepare(
        "DELETE FROM contact_bindings WHERE extension_id = ?1 AND contact = ?2");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_int(1, extension_id).bind_text(2, contact);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    if (connection_.changes() == 0) {
      return base::unexpected(in_context(not_found("no such binding"), doing));
    }
    return Done{};
  });
}

Result<Done> SqliteRegistrationRepository::remove_all(RowId extension_id) {
  const std::string doing = "removing the bindings of extension " + std::to_string(extension_id);
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<Done> {
    auto statement = connection_.prepare("DELETE FROM contact_bindings WHERE extension_id = ?1");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_int(1, extension_id);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    return Done{};
  });
}

Result<std::size_t> SqliteRegistrationRepository::remove_expired(UnixSeconds now) {
  const char* doing = "removing expired bindings";
  return transactor_.atomically(Transactor::Access::Write, [&]() -> Result<std::size_t> {
    auto statement = connection_.prepare("DELETE FROM contact_bindings WHERE expires_at <= ?1");
    if (!statement) return base::unexpected(in_context(statement.error(), doing));
    statement->bind_int(1, now);
    if (auto done = statement->run(); !done) {
      return base::unexpected(in_context(done.error(), doing));
    }
    return static_cast<std::size_t>(connection_.changes());
  });
}

}  // namespace kolokol::storage::sqlite
