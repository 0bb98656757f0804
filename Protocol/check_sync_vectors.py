#!/usr/bin/env python3
"""Checks Protocol/vectors/sync.json against Protocol/sync.md, written from
the spec alone (no Swift): fingerprints (§4.2), the message grammar (§3,
§4.3) for every valid message and every refused one, and the session's
preamble and handshake frame lengths (§2). Standard library only.

Usage: python3 Protocol/check_sync_vectors.py   (exit 0 when all pass)
"""
import hashlib
import json
import os
import sys


class Malformed(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.data, self.at = data, 0

    def take(self, n):
        if n < 0 or self.at + n > len(self.data):
            raise Malformed("truncated")
        out = self.data[self.at:self.at + n]
        self.at += n
        return out

    def u8(self):
        return self.take(1)[0]

    def u16(self):
        return int.from_bytes(self.take(2), "big")

    def varint(self):
        value = 0
        for i in range(10):
            b = self.u8()
            if i == 0 and b == 0x80:
                raise Malformed("redundant varint group")
            if value >> 57:
                raise Malformed("varint overflow")
            value = (value << 7) | (b & 0x7F)
            if not b & 0x80:
                return value
        raise Malformed("varint too long")

    def end(self):
        if self.at != len(self.data):
            raise Malformed("trailing bytes")


def varint(v):
    groups = [v & 0x7F]
    v >>= 7
    while v:
        groups.append((v & 0x7F) | 0x80)
        v >>= 7
    return bytes(reversed(groups))


def fingerprint(ids):
    total = sum(int.from_bytes(i, "little") for i in ids) % (1 << 256)
    digest = hashlib.blake2b(total.to_bytes(32, "little") + varint(len(ids)), digest_size=32).digest()
    return digest[:16]


def bound_key(ts, prefix, width):
    return (ts, prefix + bytes(width - len(prefix)))


def ranges(r):
    """Parses a range list (sync.md 4.3); returns [(timestamp or None for infinity, prefix, mode, fields)]."""
    count = r.varint()
    if count > len(r.data) - r.at:
        raise Malformed("range count")
    last, previous, out = 0, None, []
    for index in range(count):
        head = r.varint()
        tag = r.varint()
        if tag > ((63 * 33) + 32) * 8 + 7:
            raise Malformed("range tag")
        mode, plen, z = tag % 8, (tag // 8) % 33, tag // 8 // 33
        if head == 0:
            if z or plen:
                raise Malformed("infinite bound with a prefix or scale")
            ts = None
        else:
            q = head - 1
            if not (q % 2 == 1 or (q == 0 and z == 0)):
                raise Malformed("bound not in its shortest form")
            ts = last + (q << z)
            if ts >= (1 << 64) - 1:
                raise Malformed("bound overflow")
            last = ts
        prefix = r.take(plen)
        key = (float("inf"), b"") if ts is None else (ts, prefix)
        if previous is not None:
            width = max(len(previous[1]), len(key[1]))
            a = bound_key(previous[0], previous[1], width) if previous[0] != float("inf") else (float("inf"), b"")
            b = bound_key(key[0], key[1], width) if key[0] != float("inf") else (float("inf"), b"")
            if not a < b:
                raise Malformed("bounds not increasing")
        previous = key
        fields = None
        if mode == 0:
            pass
        elif mode == 1:
            fields = r.take(16).hex()
        elif mode in (2, 3):
            n = r.varint()
            if n > 65536:
                raise Malformed("too many ids")
            fields = [r.take(16).hex() for _ in range(n)]
            if mode == 3:
                bits = r.varint()
                if bits > 65536:
                    raise Malformed("too many bits")
                raw = r.take((bits + 7) // 8)
                if bits % 8 and raw[-1] >> (bits % 8):
                    raise Malformed("bits past the end")
                fields = [fields, [bool(raw[i // 8] >> (i % 8) & 1) for i in range(bits)]]
        elif mode == 4:
            fields = r.varint()
            if not 1 <= fields <= 1 << 32:
                raise Malformed("item count")
        elif mode == 5:
            if ts is not None or index != count - 1:
                raise Malformed("deferred range not last")
        else:
            raise Malformed("unknown mode")
        out.append((ts, prefix.hex(), mode, fields))
    return out


def between(previous, nxt, after):
    """The reference's bound between neighbouring items (ts, id bytes), after a bound at `after` (sync.md 4.3)."""
    if previous[0] != nxt[0]:
        low, high = previous[0] + 1 - after, nxt[0] - after
        for z in range(63, -1, -1):
            q = -(-low // (1 << z))
            if q << z <= high:
                return (after + (q << z), b"")
    shared = 0
    while shared < 32 and previous[1][shared] == nxt[1][shared]:
        shared += 1
    return (nxt[0], nxt[1][: min(shared, 31) + 1])


def message(body):
    r = Reader(body)
    result = None
    if r.u8() != 1:
        raise Malformed("message version")
    kind = r.u8()
    if kind == 1:
        n = r.varint()
        if not 1 <= n <= 256:
            raise Malformed("scope count")
        seen = set()
        for _ in range(n):
            scope = r.take(r.u8())
            try:
                text = scope.decode("utf-8")
            except UnicodeDecodeError:
                raise Malformed("scope not UTF-8")
            if not 1 <= len(scope) <= 128 or scope in seen:
                raise Malformed("scope")
            seen.add(scope)
            del text
    elif kind == 2:
        n = r.varint()
        if not 1 <= n <= 256:
            raise Malformed("flag count")
        for _ in range(n):
            if r.u8() not in (0, 1):
                raise Malformed("flag")
    elif kind == 3:
        if r.varint() >= 256:
            raise Malformed("scope index")
        result = ranges(r)
    elif kind == 4:
        r.varint()
        n = r.varint()
        if not 1 <= n <= 4096:
            raise Malformed("change count")
        for _ in range(n):
            length = r.varint()
            if length > 1050876:
                raise Malformed("change length")
            r.take(length)
    elif kind == 5:
        r.varint()
    elif kind == 6:
        pass
    elif kind in (7, 8):
        if kind == 8:
            r.varint()
        r.u16()
        reason(r)
    elif kind == 9:
        request(r)
    elif kind == 10:
        answer(r)
    elif kind == 11:
        pass
    elif kind == 12:
        n = r.varint()
        if n > 256:
            raise Malformed("request count")
        for _ in range(n):
            r.take(8)
            request(r)
    elif kind == 14:
        pass
    elif kind == 15:
        n = r.varint()
        if n > 4096:
            raise Malformed("device count")
        previous = None
        for _ in range(n):
            key = r.take(32)
            if previous is not None and not previous < key:
                raise Malformed("devices not in ascending key order")
            previous = key
            r.take(8)
            r.varint()
            r.take(8)
    elif kind == 13:
        r.take(32)
        if answer(r) == 0:
            raise Malformed("a decision that decides nothing")
    else:
        raise Malformed("unknown type")
    r.end()
    return result


def reason(r):
    """A reason (ABORT, REFUSED, a rejection): varint length <= 512, valid UTF-8."""
    n = r.varint()
    if n > 512:
        raise Malformed("reason length")
    try:
        r.take(n).decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("reason not UTF-8")


def request(r):
    """An enrollment request as ENROLL and REQUESTS carry it (sync.md §3): u16 length 1 … 4 096."""
    n = r.u16()
    if not 1 <= n <= 4096:
        raise Malformed("request length")
    r.take(n)


def answer(r):
    """The answer of ENROLLMENT and DECIDE (sync.md §3): waiting, certified or rejected; returns its tag."""
    tag = r.u8()
    if tag == 1:
        count = r.u8()
        if not 1 <= count <= 8:
            raise Malformed("certificate count")
        for _ in range(count):
            n = r.u16()
            if n < 1:
                raise Malformed("empty certificate")
            r.take(n)
        k = r.u8()
        if k not in (0, 80):
            raise Malformed("registry key length")
        r.take(k)
    elif tag == 2:
        reason(r)
    elif tag != 0:
        raise Malformed("unknown answer")
    return tag


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "vectors", "sync.json"), encoding="utf-8") as f:
        v = json.load(f)
    passed = failed = 0

    def check(ok, what):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL", what)

    check(bytes.fromhex(v["preamble"]) == b"BXSYNC\x00\x02", "preamble")
    check(bytes.fromhex(v["prologue"]) == b"baoxue-sync/2", "prologue")
    for f in v["fingerprints"]:
        ids = [bytes.fromhex(i) for i in f["ids"]]
        check(fingerprint(ids).hex() == f["fingerprint"], "fingerprint of %d ids" % len(ids))
    for m in v["messages"]:
        try:
            decoded = message(bytes.fromhex(m["hex"]))
            check(True, m["name"])
            if "ranges" in m:
                want = [(x["timestamp"], x["prefix"], x["mode"]) for x in m["ranges"]]
                check([(t, p, mode) for t, p, mode, _ in decoded] == want, m["name"] + ": bounds and modes as listed")
        except Malformed as e:
            check(False, "%s: %s" % (m["name"], e))
    for b in v["bounds"]:
        got = between((b["previous"][0], bytes.fromhex(b["previous"][1])), (b["next"][0], bytes.fromhex(b["next"][1])), b["after"])
        check(got == (b["bound"][0], bytes.fromhex(b["bound"][1])), "bound between %s and %s" % (b["previous"], b["next"]))
    for m in v["invalid_messages"]:
        try:
            message(bytes.fromhex(m["hex"]))
            check(False, "accepted: " + m["name"])
        except Malformed:
            check(True, m["name"])
    steps = v["session"]["steps"]
    first_i = bytes.fromhex(steps[0]["out"])
    first_r = bytes.fromhex(steps[1]["out"])
    check(first_i[:8] == first_r == bytes.fromhex(v["preamble"]), "both sides open with the preamble")
    check(int.from_bytes(first_i[8:10], "big") == 32 and len(first_i) == 8 + 2 + 32, "handshake message 1 is 32 bytes")
    reply = bytes.fromhex(steps[2]["out"])
    check(int.from_bytes(reply[:2], "big") == 128, "handshake message 2 is 128 bytes")
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
