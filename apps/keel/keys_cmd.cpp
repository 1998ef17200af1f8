// `keel keys set|list|bind|delete|rotate-master|status`: the key vault's API keys (keel/service/keys.h,
// keel/service/key_vault.h; the same use cases as /api/v1/keys). A key's value is read from
// standard input (--stdin) or a prompt that does not echo, never from the command line, where
// other local users could read it in `ps`.
#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "context.h"
#include "keel/core/error.h"
#include "keel/service/key_vault.h"
#include "keel/service/keys.h"
#include "spec_cli.h"
#include "text_table.h"

namespace keel::cli {
namespace {

// A string wiped when it goes: a key's value, a new master key's text.
struct Secret {
  std::string text;
  ~Secret() {
    if (!text.empty()) sodium_memzero(text.data(), text.size());
  }
};

// The command's actor acting on --tenant's keys (without it, its own tenant's: the operator's are
// the default tenant's). The use cases check the permission and write the audit row themselves.
service::Context acting_on(Context& ctx, const service::KeyTenantRequest& who) {
  service::Context cx = ctx.service();
  if (!who.tenant.empty()) cx.actor.tenant = who.tenant;
  return cx;
}

void trim_line_end(std::string& s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
}

// The first line of standard input.
void read_stdin_line(Secret& out, const std::string& what) {
  if (!std::getline(std::cin, out.text) && out.text.empty()) {
    throw Error::usage("no " + what + " on standard input");
  }
  trim_line_end(out.text);
}

// One line typed at the terminal with echo off.
void prompt_hidden(Secret& out, const std::string& prompt) {
  const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw Error::usage(
        "no terminal to prompt on: pipe the key in and pass --stdin (printf %s \"$KEY\" | keel keys set NAME "
        "--stdin)");
  }
  struct Restore {
    int fd;
    termios saved{};
    bool changed = false;
    ~Restore() {
      if (changed) ::tcsetattr(fd, TCSAFLUSH, &saved);
      ::close(fd);
    }
  } restore{fd};
  if (::tcgetattr(fd, &restore.saved) == 0) {
    termios quiet = restore.saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    restore.changed = ::tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
  }
  if (::write(fd, prompt.data(), prompt.size()) < 0) throw Error::internal("cannot write to the terminal");
  char c = 0;
  while (true) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    out.text.push_back(c);
  }
  sodium_memzero(&c, sizeof c);
  trim_line_end(out.text);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return out;
}

std::string master_line(const std::optional<service::MasterKeyReport>& m) {
  return m ? "master key " + m->key_id + " from " + m->where : "no master key yet (keel keys set makes one)";
}

}  // namespace

void add_keys_commands(CLI::App& app, Context& ctx) {
  auto* group =
      app.add_subcommand("keys", "API keys in the key vault, sealed under a master key (docs/security.md)");
  group->require_subcommand(1);

  struct Flags {
    std::string name;
    service::KeyTenantRequest who;
    bool from_stdin = false;
    service::RotateMasterRequest rotate;
    bool new_key_stdin = false;
    std::vector<std::string> origins;
  };
  auto f = std::make_shared<Flags>();
  auto add_tenant = [&](CLI::App* cmd) { spec_options(cmd, f->who); };

  auto* set = group->add_subcommand("set", "Store an API key (read from standard input or a hidden prompt)");
  set->add_option("name", f->name, "Key name: polygon, fred (market data), openai, anthropic, ...")
      ->required();
  set->add_flag("--stdin", f->from_stdin, "Read the key from the first line of standard input");
  set->add_option("--origin", f->origins,
                  "Where keel may send the key: scheme://host[:port] (https://api.openai.com); repeat for "
                  "several; none: nowhere (a market-data vendor's key: its vendor's API)");
  add_tenant(set);
  set->callback([&ctx, f] {
    service::check_key_name(f->name);  // before asking for a value
    service::check_key_origins(f->origins);
    Secret value;
    if (f->from_stdin) {
      read_stdin_line(value, "key");
    } else {
      prompt_hidden(value, "Value of " + f->name + " (not shown): ");
    }
    service::KeySetRequest req;
    req.name = f->name;
    req.value = value.text;
    req.origins = f->origins;
    struct WipeRequest {
      std::string& s;
      ~WipeRequest() {
        if (!s.empty()) sodium_memzero(s.data(), s.size());
      }
    } wipe{req.value};
    const service::KeySetResult out = service::set_key(acting_on(ctx, f->who), req);
    TextTable t(std::string(out.replaced ? "Replaced" : "Stored") + " key " + out.name);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"fingerprint", out.fingerprint}).row({"updated_at", out.updated_at});
    t.row({"origins", out.origins.empty() ? std::string("none: sent nowhere (keel keys bind NAME --origin O)")
                                          : joined(out.origins)});
    t.footer(master_line(service::master_key_status(ctx.vault()).in_use.master_key));
    ctx.emit(spec::to_json(out), {t});
  });

  auto* list = group->add_subcommand("list", "Key names and fingerprints (never values)");
  add_tenant(list);
  list->callback([&ctx, f] {
    const service::KeyVaultListResult keys = service::list_vault_keys(acting_on(ctx, f->who), ctx.vault());
    TextTable t;
    t.column("name", TextTable::Align::kLeft)
        .column("fingerprint", TextTable::Align::kLeft)
        .column("updated_at", TextTable::Align::kLeft)
        .column("updated_by", TextTable::Align::kLeft)
        .column("origins", TextTable::Align::kLeft)
        .column("problem", TextTable::Align::kLeft);
    for (const auto& k : keys.items) {
      const std::string origins = k.origins.empty() ? "none" : joined(k.origins) + (k.origins_default ? " (default)" : "");
      t.row({k.name, k.fingerprint, k.updated_at, k.updated_by, origins, k.problem.value_or("")});
    }
    if (keys.items.empty()) t.footer("no keys yet: keel keys set NAME");
    t.footer(master_line(keys.in_use.master_key));
    ctx.emit(spec::to_json(keys), {t});
  });

  auto* bind = group->add_subcommand("bind", "Set where a stored key may be sent (its value stays)");
  bind->add_option("name", f->name, "Key name")->required();
  bind->add_option("--origin", f->origins,
                   "An origin scheme://host[:port] keel may send the key to; repeat for several (replaces the list)")
      ->required();
  add_tenant(bind);
  bind->callback([&ctx, f] {
    service::KeyBindRequest req;
    req.name = f->name;
    req.origins = f->origins;
    const service::KeySetResult out = service::bind_key(acting_on(ctx, f->who), req);
    TextTable t("Bound key " + out.name);
    t.column("field", TextTable::Align::kLeft).column("value", TextTable::Align::kLeft);
    t.row({"origins", joined(out.origins)}).row({"updated_at", out.updated_at});
    ctx.emit(spec::to_json(out), {t});
  });

  auto* del = group->add_subcommand("delete", "Delete an API key");
  del->add_option("name", f->name, "Key name")->required();
  add_tenant(del);
  del->callback([&ctx, f] {
    const service::KeyDeleteResult out = service::delete_key(acting_on(ctx, f->who), f->name);
    ctx.emit(spec::to_json(out), {TextTable("Deleted key " + out.name)});
  });

  auto* rotate = group->add_subcommand(
      "rotate-master",
      "Re-seal every key of every tenant under a new master key, then replace the master key");
  spec_options(rotate, f->rotate);
  rotate->add_flag(
      "--new-key-stdin", f->new_key_stdin,
      "Read the new master key (base64 or hex of 32 bytes) from standard input (required when it is "
      "KEEL_MASTER_KEY)");
  rotate->callback([&ctx, f] {
    service::RotateMasterRequest req = f->rotate;
    Secret next;
    if (f->new_key_stdin) {
      read_stdin_line(next, "new master key");
      req.new_key_text = next.text;
    }
    req.on_stage = [&ctx](service::RotationStage stage, std::size_t keys) {
      switch (stage) {
        case service::RotationStage::kPendingSaved:
          ctx.note("new master key saved as pending");
          break;
        case service::RotationStage::kResealed:
          ctx.note(fmt::format("{} keys re-sealed under it", keys));
          break;
        case service::RotationStage::kCommitted:
          break;
        case service::RotationStage::kPromoted:
          ctx.note("new master key in place");
          break;
      }
    };
    // The use case re-seals every tenant's keys (created if needed, like keel keys set).
    const service::RotateMasterResult out = service::rotate_master_key(ctx.service(), ctx.vault(), req);
    if (req.new_key_text) sodium_memzero(req.new_key_text->data(), req.new_key_text->size());
    TextTable t(fmt::format("Master key rotated: {} keys of {} tenants re-sealed", out.keys, out.tenants));
    t.column("", TextTable::Align::kLeft)
        .column("source", TextTable::Align::kLeft)
        .column("key id", TextTable::Align::kLeft);
    if (out.from) t.row({"from", out.from->where, out.from->key_id});
    t.row({"to", out.to.where, out.to.key_id});
    if (out.set_environment) t.footer("set KEEL_MASTER_KEY to the new key before keel runs again");
    ctx.emit(spec::to_json(out), {t});
  });

  auto* status = group->add_subcommand("status", "Which master key source is used, and what each one holds");
  status->callback([&ctx] {
    const service::MasterKeyStatusResult out = service::master_key_status(ctx.vault());
    TextTable t;
    t.column("source", TextTable::Align::kLeft)
        .column("where", TextTable::Align::kLeft)
        .column("state", TextTable::Align::kLeft);
    for (const auto& s : out.sources) {
      std::string state;
      if (s.reason) {
        state = "not usable: " + *s.reason;
      } else if (s.error) {
        state = "refused: " + *s.error;
      } else {
        state = s.key_id && *s.key_id ? "holds master key " + **s.key_id : "holds no key";
      }
      if (s.pending_key_id) state += " (pending " + *s.pending_key_id + ")";
      t.row({s.source, s.where, state});
    }
    t.footer("in use: " + master_line(out.in_use.master_key));
    ctx.emit(spec::to_json(out), {t});
  });
}

}  // namespace keel::cli
