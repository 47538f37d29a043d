#include <fmt/core.h>

#include <algorithm>
#include <charconv>

#include "hopsim/netstack/hex.hpp"
#include "hopsim/sim/units.hpp"
#include "loader_context.hpp"

namespace hopsim::sim::detail {

std::optional<int> parse_port(std::string_view text, int highest) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    int v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 1 || v > highest) return std::nullopt;
    return v;
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t prev = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cur = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
            prev = cur;
        }
    }
    return row[b.size()];
}

const char* type_name(const Json& j) { return j.type_name(); }

// A message with its particulars blanked: quoted text, and every word that
// holds a digit, a capital, a dot or a colon (numbers, node ids, addresses).
// Two problems of one kind have the same shape.
std::string shape(std::string_view line) {
    const auto colon = line.find(": ");  // the place is not part of the kind
    if (colon != std::string_view::npos) line.remove_prefix(colon + 2);
    std::string out, word;
    auto flush = [&] {
        const bool particular = std::any_of(word.begin(), word.end(), [](char ch) {
            return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '.' || ch == ':';
        });
        out += particular ? "#" : word;
        word.clear();
    };
    bool quoted = false;
    for (char ch : line) {
        if (ch == '"') quoted = !quoted;
        else if (quoted) continue;
        else if (ch == ' ') flush(), out += ' ';
        else word += ch;
    }
    flush();
    return out;
}

}  // namespace

void ProblemList::add(std::string line) {
    std::string clean;
    for (char ch : line) {
        const auto u = static_cast<unsigned char>(ch);
        if (u < 0x20 || u == 0x7f) clean += fmt::format("\\x{:02x}", u);
        else clean += ch;
    }
    if (clean.size() > kMaxLine)
        clean = clean.substr(0, kMaxLine) + fmt::format("... ({} more characters)", clean.size() - kMaxLine);
    const std::string key = shape(clean);
    auto [it, fresh] = kinds_.try_emplace(key);
    if (fresh) kind_order_.push_back(key);
    Kind& k = it->second;
    if (k.shown == kPerKind) {
        ++k.hidden;
        return;
    }
    if (k.shown == 0) k.example = clean;
    ++k.shown;
    shown_.push_back(std::move(clean));
}

Problems ProblemList::take() {
    Problems out = std::move(shown_);
    for (const std::string& key : kind_order_) {
        const Kind& k = kinds_[key];
        if (k.hidden)
            out.push_back(fmt::format("... and {} more like \"{}\"", k.hidden, k.example));
    }
    shown_.clear();
    kinds_.clear();
    kind_order_.clear();
    return out;
}

std::string describe(const Json& j) {
    if (j.is_object()) return j.empty() ? "an empty object" : "an object";
    if (j.is_array()) return j.empty() ? "an empty list" : "a list";
    std::string text = j.dump();
    if (text.size() > 40) text = text.substr(0, 40) + "...";
    return text;
}

std::vector<std::string> LoadContext::ordered_keys(const Json& obj, const KeyPath& path) const {
    if (auto it = key_order.find(path); it != key_order.end()) return it->second;
    std::vector<std::string> keys;
    for (const auto& [k, v] : obj.items()) keys.push_back(k);
    return keys;
}

bool LoadContext::is_object(const Json& j, const std::string& path) {
    if (j.is_object()) return true;
    error(path, fmt::format("expected an object, found {}", type_name(j)));
    return false;
}

void LoadContext::check_keys(const Json& obj, const std::string& path,
                             std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string_view best;
        std::size_t best_d = 3;
        for (std::string_view a : allowed) {
            const std::size_t d = edit_distance(key, a);
            if (d < best_d) best_d = d, best = a;
        }
        error(join(path, key), best.empty() ? "unknown property"
                                            : fmt::format("unknown property (did you mean \"{}\"?)", best));
    }
}

const Json* LoadContext::field(const Json& obj, std::string_view key) const {
    auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
}

std::optional<std::string> LoadContext::string(const Json& obj, std::string_view key, const std::string& path,
                                               bool required) {
    const Json* j = field(obj, key);
    if (!j) {
        if (required) error(join(path, key), "missing");
        return std::nullopt;
    }
    if (!j->is_string()) {
        error(join(path, key), fmt::format("expected a string, found {}", type_name(*j)));
        return std::nullopt;
    }
    return j->get<std::string>();
}

std::optional<SimTime> LoadContext::duration(const Json& obj, std::string_view key, const std::string& path,
                                             bool required) {
    const Json* j = field(obj, key);
    if (j && j->is_number()) {
        error(join(path, key), fmt::format("unit missing in {} (write e.g. \"{}ms\")", describe(*j), describe(*j)));
        return std::nullopt;
    }
    auto s = string(obj, key, path, required);
    if (!s) return std::nullopt;
    auto d = parse_duration(*s);
    if (!d) {
        error(join(path, key), d.error());
        return std::nullopt;
    }
    return *d;
}

std::optional<std::int64_t> LoadContext::rate(const Json& obj, std::string_view key, const std::string& path) {
    const Json* j = field(obj, key);
    if (j && j->is_number()) {
        error(join(path, key), fmt::format("unit missing in {} (write e.g. \"{}Mbps\")", describe(*j), describe(*j)));
        return std::nullopt;
    }
    auto s = string(obj, key, path, false);
    if (!s) return std::nullopt;
    auto r = parse_rate_bps(*s);
    if (!r) {
        error(join(path, key), r.error());
        return std::nullopt;
    }
    return *r;
}

std::optional<std::int64_t> LoadContext::integer(const Json& obj, std::string_view key, const std::string& path,
                                                 std::int64_t min, std::int64_t max, bool required) {
    const Json* j = field(obj, key);
    if (!j) {
        if (required) error(join(path, key), "missing");
        return std::nullopt;
    }
    if (!j->is_number_integer()) {
        error(join(path, key), fmt::format("expected a whole number, found {}", describe(*j)));
        return std::nullopt;
    }
    // Unsigned values above INT64_MAX are out of range for every field.
    const bool huge = j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX);
    const std::int64_t v = huge ? INT64_MAX : j->get<std::int64_t>();
    if (huge || v < min || v > max) {
        error(join(path, key), fmt::format("{} is out of range {}..{}", describe(*j), min, max));
        return std::nullopt;
    }
    return v;
}

std::optional<double> LoadContext::number(const Json& obj, std::string_view key, const std::string& path,
                                          double min, double max) {
    const Json* j = field(obj, key);
    if (!j) return std::nullopt;
    if (!j->is_number()) {
        error(join(path, key), fmt::format("expected a number, found {}", type_name(*j)));
        return std::nullopt;
    }
    const double v = j->get<double>();
    if (!(v >= min && v <= max)) {
        error(join(path, key), fmt::format("{} is out of range {}..{}", describe(*j), min, max));
        return std::nullopt;
    }
    return v;
}

// A string field parsed by T::parse, with `what` naming it in the error.
template <class T>
std::optional<T> LoadContext::parsed(const Json& obj, std::string_view key, const std::string& path, const char* what) {
    auto s = string(obj, key, path, false);
    if (!s) return std::nullopt;
    auto v = T::parse(*s);
    if (!v) {
        error(join(path, key), fmt::format("bad {} \"{}\" {}", what, *s, v.error().message()));
        return std::nullopt;
    }
    return *v;
}

std::optional<net::MacAddress> LoadContext::mac(const Json& obj, std::string_view key, const std::string& path) {
    return parsed<net::MacAddress>(obj, key, path, "MAC address");
}

std::optional<net::Ipv4Address> LoadContext::ipv4(const Json& obj, std::string_view key, const std::string& path) {
    return parsed<net::Ipv4Address>(obj, key, path, "IPv4 address");
}

std::optional<net::Ipv4Prefix> LoadContext::prefix(const Json& obj, std::string_view key, const std::string& path) {
    return parsed<net::Ipv4Prefix>(obj, key, path, "CIDR");
}

std::optional<Payload> LoadContext::payload(const Json& obj, std::string_view key,
                                                              const std::string& path, std::size_t max_size) {
    const Json* j = field(obj, key);
    if (!j) return std::nullopt;
    const std::string p = join(path, key);
    std::vector<std::uint8_t> bytes;
    if (j->is_string()) {
        const auto& s = j->get_ref<const std::string&>();
        bytes.assign(s.begin(), s.end());
    } else if (j->is_object() && j->size() == 1 && j->contains("hex")) {
        const Json& h = (*j)["hex"];
        if (!h.is_string()) {
            error(p + ".hex", "expected a string of hex digits");
            return std::nullopt;
        }
        auto parsed = net::parse_hex(h.get_ref<const std::string&>(), net::HexInput::DigitsOnly);
        if (!parsed) {
            error(p + ".hex", parsed.error() + " (two hex digits per byte, no spaces)");
            return std::nullopt;
        }
        bytes = std::move(*parsed);
    } else if (j->is_object() && j->size() == 1 && j->contains("size")) {
        auto n = integer(*j, "size", p, 0, static_cast<std::int64_t>(max_size), true);
        if (!n) return std::nullopt;
        return Payload::pattern(static_cast<std::size_t>(*n));
    } else {
        error(p, "expected text, {\"hex\": \"...\"} or {\"size\": N}");
        return std::nullopt;
    }
    if (bytes.size() > max_size) {
        error(p, fmt::format("{} bytes is more than the {} this traffic kind can carry", bytes.size(), max_size));
        return std::nullopt;
    }
    return Payload(std::move(bytes));
}

}  // namespace hopsim::sim::detail
