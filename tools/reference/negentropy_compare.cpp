// Runs hoytech/negentropy (C++, v1) on the sets `baoxue-bench sync --dump-sets DIR` wrote, so
// Baoxue's reconciliation can be measured side by side on the same items. Not part of the build:
// `tools/reference/negentropy-compare.sh NEGENTROPY_CHECKOUT DIR` compiles it against a checkout.
//
// A set file: "BXSETS01", u64 nA, u64 nB (little-endian), then nA + nB items of
// u64 timestamp (LE) and a 32-byte id. With -DNE_ID16 the reference is built with 16-byte ids and
// each id is cut to its first 16 bytes.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>
#include <ctime>

#include "negentropy.h"
#include "negentropy/storage/BTreeMem.h"

using Storage = negentropy::storage::BTreeMem;

static uint64_t readU64(std::ifstream &f) {
    unsigned char b[8];
    f.read(reinterpret_cast<char *>(b), 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | b[i];
    return v;
}

static double cpuMs() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        std::cerr << "usage: negentropy_compare SETFILE FRAME_LIMIT\n";
        return 2;
    }
    std::ifstream f(argv[1], std::ios::binary);
    char magic[8];
    f.read(magic, 8);
    if (!f || std::string(magic, 8) != "BXSETS01") {
        std::cerr << "not a set file\n";
        return 2;
    }
    uint64_t frameLimit = std::stoull(argv[2]);
    uint64_t nA = readU64(f), nB = readU64(f);
    Storage a, b;
    for (uint64_t i = 0; i < nA + nB; i++) {
        uint64_t ts = readU64(f);
        char id[32];
        f.read(id, 32);
        if (!f) {
            std::cerr << "truncated set file\n";
            return 2;
        }
        std::string_view sv(id, negentropy::ID_SIZE);
        (i < nA ? a : b).insert(ts, sv);
    }
    a.seal();
    b.seal();

    Negentropy<Storage> ia(a, frameLimit), rb(b, frameLimit);
    std::vector<std::string> have, need;
    uint64_t bytes = 0, messages = 0, roundTrips = 0, largest = 0, fullish = 0, capped = 0;
    double start = cpuMs();
    std::string q = ia.initiate();
    bytes += q.size();
    messages++;
    while (true) {
        std::string r = rb.reconcile(q);
        bytes += r.size();
        messages++;
        roundTrips++;
        largest = std::max<uint64_t>(largest, r.size());
        if (frameLimit && r.size() > frameLimit - 1000) capped++, fullish += r.size();
        auto next = ia.reconcile(r, have, need);
        if (!next) break;
        bytes += next->size();
        messages++;
        largest = std::max<uint64_t>(largest, next->size());
        if (frameLimit && next->size() > frameLimit - 1000) capped++, fullish += next->size();
        q = *next;
    }
    double cpu = cpuMs() - start;
    printf("id_bytes=%zu bytes=%llu messages=%llu rt=%llu cpu_ms=%.1f have=%zu need=%zu largest=%llu capped=%llu\n",
           negentropy::ID_SIZE, (unsigned long long)bytes, (unsigned long long)messages, (unsigned long long)roundTrips, cpu,
           have.size(), need.size(), (unsigned long long)largest, (unsigned long long)capped);
    return 0;
}
