#!/usr/bin/env python3
"""An independent reading of Protocol/changes.md: rebuilds every valid vector
from its fields with Python's hashlib and the `cryptography` package (no Swift
code involved) and checks the invalid vectors' structural errors.
Usage: python3 Protocol/check_vectors.py"""
import hashlib, json, struct, sys, unicodedata, pathlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives import serialization

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

def body(author, seq, ms, counter, scope, deps, payload):
    s = scope.encode("utf-8")
    out = b"BX" + bytes([1, 1]) + author + struct.pack(">QQH", seq, ms, counter)
    out += bytes([len(s)]) + s + bytes([len(deps)]) + b"".join(deps)
    return out + struct.pack(">I", len(payload)) + payload

def fingerprint(pk):
    v = int.from_bytes(hashlib.blake2b(pk, digest_size=32).digest()[:10], "big")
    chars = "".join(ALPHABET[(v >> s) & 31] for s in range(75, -1, -5))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))

def structural_error(b):
    """The first structural rule of §7 that b breaks, or None (signature not checked)."""
    if len(b) > 60 + 128 + 64 * 32 + (1 << 20) + 64: return "length_out_of_range"
    need = lambda n: len(b) >= n
    if not need(2) or b[:2] != b"BX": return "truncated" if not need(2) else "bad_magic"
    if not need(3): return "truncated"
    if b[2] != 1: return "bad_magic"
    if not need(4): return "truncated"
    if b[3] != 1: return "unknown_version"
    if not need(44): return "truncated"
    seq = int.from_bytes(b[36:44], "big")
    if seq == 0: return "sequence_zero"
    if seq > 2**63 - 1: return "value_out_of_range"
    if not need(54): return "truncated"
    if int.from_bytes(b[44:52], "big") > 2**47 - 1: return "value_out_of_range"
    if not need(55): return "truncated"
    n = b[54]
    if not 1 <= n <= 128: return "length_out_of_range"
    if not need(55 + n): return "truncated"
    try:
        text = b[55:55 + n].decode("utf-8")
    except UnicodeDecodeError:
        return "invalid_text"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text) or unicodedata.normalize("NFC", text) != text:
        return "invalid_text"
    p = 55 + n
    if not need(p + 1): return "truncated"
    k = b[p]; p += 1
    if k > 64: return "length_out_of_range"
    if not need(p + 32 * k): return "truncated"
    deps = [b[p + 32 * i:p + 32 * i + 32] for i in range(k)]
    if any(x >= y for x, y in zip(deps, deps[1:])): return "deps_not_canonical"
    p += 32 * k
    if not need(p + 4): return "truncated"
    m = int.from_bytes(b[p:p + 4], "big"); p += 4
    if m > 1 << 20: return "length_out_of_range"
    if not need(p + m + 64): return "truncated"
    if len(b) > p + m + 64: return "trailing_bytes"
    return None

def main():
    root = pathlib.Path(__file__).resolve().parent
    data = json.loads((root / "vectors" / "changes.json").read_text())
    failures = 0
    for v in data["valid"]:
        sk = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(v["seed"]))
        pk = sk.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        b = body(pk, int(v["seq"]), int(v["hlc_ms"]), v["hlc_counter"], v["scope"],
                 sorted(bytes.fromhex(d) for d in v["deps"]), bytes.fromhex(v["payload"]))
        sig = sk.sign(b)
        checks = [pk.hex() == v["author"], b.hex() == v["signed_bytes"], sig.hex() == v["signature"],
                  (b + sig).hex() == v["encoded"], hashlib.blake2b(b, digest_size=32).hexdigest() == v["id"],
                  fingerprint(pk) == v["fingerprint"], structural_error(b + sig) is None]
        if not all(checks):
            failures += 1; print("FAIL valid:", v["name"], checks)
    for v in data["invalid"]:
        b = bytes.fromhex(v["encoded"])
        got = structural_error(b)
        if got is None:
            pk = b[4:36]
            try:
                Ed25519PublicKey.from_public_bytes(pk).verify(b[-64:], b[:-64]); got = "accepted"
            except Exception:
                got = "bad_signature"
        if got != v["error"]:
            failures += 1; print("FAIL invalid:", v["name"], "got", got, "want", v["error"])
    print(f"{len(data['valid']) + len(data['invalid']) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)

main()
