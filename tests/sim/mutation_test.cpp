// A property over many mutated scenarios: each bundled scenario is changed
// in small, hostile ways (a key dropped, a value of the wrong type, an
// extreme number or string, a list element duplicated, a value buried deep,
// the text cut short) and loaded. Every outcome must be a valid scenario
// that the simulator then runs, or problems that each name a place; never a
// crash (ASan/UBSan watch this test in CI).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hopsim/sim/loader.hpp"
#include "hopsim/sim/rng.hpp"
#include "hopsim/sim/simulation.hpp"
#include "support/process.hpp"
#include "support/scenario_run.hpp"

using namespace hopsim::sim;
using Json = nlohmann::ordered_json;

namespace {

// Every value in the document, by JSON pointer, the root excluded.
void pointers(const Json& j, const Json::json_pointer& at, std::vector<Json::json_pointer>& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            out.push_back(at / it.key());
            pointers(it.value(), at / it.key(), out);
        }
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) {
            out.push_back(at / i);
            pointers(j[i], at / i, out);
        }
    }
}

Json extreme(Rng& rng) {
    switch (rng.below(12)) {
        case 0: return nullptr;
        case 1: return -1;
        case 2: return 0;
        case 3: return 1e308;
        case 4: return std::numeric_limits<std::uint64_t>::max();
        case 5: return std::string(10000, 'x');
        case 6: return std::string(400, '9') + "ms";
        case 7: return "0." + std::string(300, '0') + "1Gbps";
        case 8: return Json::array();
        case 9: return Json::object();
        case 10: return "R1.interfaces";
        default: return std::string("A\0B", 3);
    }
}

std::string mutate(Json doc, Rng& rng) {
    std::vector<Json::json_pointer> ptrs;
    pointers(doc, Json::json_pointer(), ptrs);
    const Json::json_pointer p = ptrs[rng.below(ptrs.size())];
    switch (rng.below(7)) {
        case 0: {  // drop the key or element
            Json& parent = doc[p.parent_pointer()];
            if (parent.is_object()) parent.erase(p.back());
            else parent.erase(static_cast<std::size_t>(std::stoul(p.back())));
            break;
        }
        case 1: doc[p] = extreme(rng); break;
        case 2: {  // a string where a number was, or the other way round
            Json& v = doc[p];
            v = v.is_string() ? Json(v.get<std::string>().size()) : Json(v.dump());
            break;
        }
        case 3: {  // duplicate a list element (a second node link, flow, route...)
            Json& parent = doc[p.parent_pointer()];
            if (parent.is_array()) parent.push_back(doc[p]);
            else doc[p] = Json::array({doc[p], doc[p]});
            break;
        }
        case 4: {  // bury the value 100 lists deep
            Json v = doc[p];
            for (int i = 0; i < 100; ++i) v = Json::array({v});
            doc[p] = std::move(v);
            break;
        }
        case 5: doc[p] = doc[ptrs[rng.below(ptrs.size())]]; break;  // another value of the file
        default: {  // cut the text anywhere
            const std::string text = doc.dump();
            return text.substr(0, rng.below(text.size()));
        }
    }
    return doc.dump();
}

}  // namespace

TEST_CASE("mutated scenarios load into a scenario that runs, or into located problems", "[loader][mutation]") {
    const std::vector<std::string> names = {
        "01-hub-broadcast", "02-switch-learning", "03-hub-vs-switch", "04-arp", "05-hub-collisions",
        "06-switch-loop-storm", "07-router-two-subnets", "08-router-chain", "09-ttl-expired", "10-no-route",
        "11-traceroute", "12-tcp-handshake", "13-tcp-over-loss", "14-udp-vs-tcp-loss", "15-mtu-fragmentation",
        "16-path-mtu-discovery", "17-vlans-one-switch", "18-router-on-a-stick", "19-vlan-trunk", "20-stp-loop",
        "21-stp-failover", "22-rip-chain", "23-rip-ring-failover", "24-rip-count-to-infinity", "25-nat-masquerade", "26-dns", "27-services-together", "28-dhcp"};
    std::size_t valid = 0, refused = 0;
    for (const std::string& name : names) {
        const Json original = Json::parse(hopsim::test::read_file(hopsim::test::scenario_path(name)));
        Rng rng(1, name);
        for (int k = 0; k < 200; ++k) {
            const std::string text = mutate(original, rng);
            auto sc = load_scenario(text);
            if (!sc) {
                ++refused;
                for (const std::string& problem : sc.error()) {
                    INFO(name << " mutation " << k << ": " << problem);
                    CHECK_FALSE(problem.empty());
                    CHECK(problem.size() <= 400);
                    CHECK(problem.find(": ") != std::string::npos);  // "place: what is wrong"
                    CHECK(problem.find('\0') == std::string::npos);
                }
                continue;
            }
            ++valid;
            Simulation simulation(*sc);
            simulation.run(std::min(sc->until, SimTime::ms(2)));  // a bounded slice of the run
        }
    }
    CHECK(valid > 150);   // the mutations are small enough that some scenarios survive them
    CHECK(refused > 1000);  // and hostile enough that most do not
}
