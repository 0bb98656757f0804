#!/usr/bin/env python3
"""An independent reading of Protocol/changes.md and Protocol/records.md §1: rebuilds every
valid change vector from its fields with Python's hashlib and the `cryptography` package
(no Swift code involved) and checks the invalid vectors' structural errors; re-encodes every
record payload vector from its description and reads every payload with a strict reader
written from the spec.
Usage: python3 Protocol/check_vectors.py"""
import hashlib, json, struct, sys, unicodedata, pathlib
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives import serialization

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

def body(author, seq, ms, counter, scope, deps, payload):
    s = scope.encode("utf-8")
    out = b"BX" + bytes([1, 2]) + author + struct.pack(">QQH", seq, ms, counter)
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
    if b[3] != 2: return "unknown_version"
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

# ---- Protocol/records.md §1: record payload format 2 --------------------------------------

KINDS = ["child", "household", "caseFile", "survey"]
FIELDS = {
    "child": ["name", "gender", "birthDate", "idNumber", "studentNumber", "hukouPlace", "residence", "guardianName",
              "guardianPhone", "school", "grade", "className", "village", "status", "voided", "provisional", "mergedInto"],
    "household": ["address", "head", "phone", "village"],
    "caseFile": ["child", "reason", "reasonText", "placement", "outcome", "school"],
    "survey": ["village", "date", "team"],
}
SETS = {"child": ["focus", "evidence"], "household": ["members"], "caseFile": ["responsible", "evidence"], "survey": ["team"]}
OPS = ["set", "add", "remove", "event", "void", "closeOut", "registryDefault"]
VALUE_TYPES = ["text", "number", "date", "status"]
STATUSES = ["enrolled", "suspectedDropout", "dropout", "neverEnrolled", "returned", "transferredIn", "transferredOut",
            "suspended", "deferred", "homeTeaching", "verifiedElsewhere", "deceased", "emigrated", "overAge", "graduated",
            "notOfSchoolAge"]
LEDGERS = ["suspectedDropout", "dropout"]
EVENTS = ["visit", "absence", "leave", "persuasion", "homeTeaching", "householdCheck", "verificationLetter", "followUp"]
OUTCOMES = ["returned", "agreedToReturn", "refused", "noContact"]
FINDINGS = ["allAttending", "noHukou", "noStudentRegistration", "notAttending", "householdAbsent"]

def field_type(kind, field):
    if (kind, field) in [("child", "birthDate"), ("survey", "date")]: return "date"
    if (kind, field) == ("child", "grade"): return "number"
    if (kind, field) == ("child", "status"): return "status"
    return "text"

class Fault(Exception):
    pass

def enc_varint(v):
    out = [v & 0x7F]; v >>= 7
    while v: out.append((v & 0x7F) | 0x80); v >>= 7
    return bytes(reversed(out))

def enc_text(t):
    b = unicodedata.normalize("NFC", t).encode("utf-8")
    return enc_varint(len(b)) + b

def enc_date(d):
    y, m, dd = (int(x) for x in d.split("-"))
    return struct.pack(">HBB", y, m, dd)

def enc_opid(t):
    h, i = t.split(":")
    return bytes.fromhex(h) + struct.pack(">H", int(i))

def enc_opids(ids):
    ids = sorted(set(enc_opid(x) for x in ids))
    return enc_varint(len(ids)) + b"".join(ids)

def enc_hashes(hs):
    hs = sorted(set(bytes.fromhex(h) for h in hs))
    return enc_varint(len(hs)) + b"".join(hs)

def enc_opt(v, f):
    return b"\x00" if v is None else b"\x01" + f(v)

def enc_ref(op, table):
    return bytes([KINDS.index(op["kind"])]) + bytes.fromhex(op["record"]) + bytes([table[op["kind"]].index(op.get("field", op.get("set")))])

def enc_value(v):
    if "text" in v: return b"\x00" + enc_text(v["text"])
    if "number" in v: return b"\x01" + enc_varint(v["number"])
    if "status" in v: return b"\x03" + bytes([STATUSES.index(v["status"])]) + enc_date(v["date"]) + enc_text(v["reason"])
    return b"\x02" + enc_date(v["date"])

def enc_body(kind, b):
    flag = lambda x: b"\x01" if x else b"\x00"
    if kind == "visit":
        return (enc_varint(len(b["participants"])) + b"".join(enc_text(p) for p in b["participants"]) + enc_opt(b["location"], enc_text)
                + flag(b["householdFound"]) + flag(b["childSeen"]) + enc_text(b["spokeTo"]) + enc_opt(b["reasonOut"], enc_text)
                + enc_text(b["agreed"]) + enc_opt(b["nextContact"], enc_date) + enc_hashes(b["evidence"]))
    if kind == "absence": return enc_date(b["from"]) + enc_date(b["to"]) + enc_varint(b["schoolDays"]) + flag(b["excused"])
    if kind == "leave": return enc_date(b["from"]) + enc_date(b["to"]) + enc_text(b["reason"]) + enc_text(b["approvedBy"])
    if kind == "persuasion": return enc_text(b["method"]) + bytes([OUTCOMES.index(b["outcome"])]) + enc_text(b["note"])
    if kind == "homeTeaching": return enc_varint(b["classHours"]) + enc_text(b["teacher"]) + enc_text(b["content"])
    if kind == "householdCheck": return enc_text(b["address"]) + enc_varint(b["childrenFound"]) + bytes([FINDINGS.index(b["finding"])])
    if kind == "verificationLetter": return enc_text(b["sentTo"]) + enc_text(b["reason"])
    return enc_varint(b["months"]) + flag(b["attending"]) + enc_text(b["note"])

def enc_op(op):
    code = bytes([OPS.index(op["op"])])
    if op["op"] in ("set", "registryDefault"): return code + enc_ref(op, FIELDS) + enc_value(op["value"]) + enc_opids(op["pred"])
    if op["op"] == "add": return code + enc_ref(op, SETS) + enc_text(op["element"])
    if op["op"] == "remove": return code + enc_ref(op, SETS) + enc_text(op["element"]) + enc_opids(op["tags"])
    if op["op"] == "void": return code + enc_opid(op["target"]) + enc_text(op["reason"])
    if op["op"] == "closeOut":
        return (code + bytes.fromhex(op["child"]) + bytes([LEDGERS.index(op["ledger"])]) + enc_opids(op["closes"])
                + enc_hashes(op["evidence"]) + enc_text(op["note"]))
    amend = b"\x00" if op["amends"] is None else b"\x01" + enc_opid(op["amends"]) + enc_text(op["amendReason"])
    return (code + enc_opt(op["child"], bytes.fromhex) + enc_opt(op["subject"], bytes.fromhex) + enc_date(op["date"]) + amend
            + bytes([EVENTS.index(op["kind"])]) + enc_body(op["kind"], op["body"]))

def enc_payload(ops):
    return b"\x00\x52\x02" + enc_varint(len(ops)) + b"".join(enc_op(o) for o in ops)

class PayloadReader:
    """The strict reader of records.md §1; raises Fault(code) at the first rule broken."""
    def __init__(self, b): self.b, self.i = b, 0
    def take(self, n):
        if len(self.b) - self.i < n: raise Fault("truncated")
        self.i += n; return self.b[self.i - n:self.i]
    def u8(self): return self.take(1)[0]
    def varint(self):
        v = 0
        for n in range(10):
            c = self.u8()
            if n == 0 and c == 0x80: raise Fault("non_canonical_integer")
            if v >> 57: raise Fault("non_canonical_integer")
            v = v << 7 | (c & 0x7F)
            if not c & 0x80: return v
        raise Fault("non_canonical_integer")
    def count(self, lo, hi):
        n = self.varint()
        if not lo <= n <= hi: raise Fault("length_out_of_range")
        return n
    def number(self):
        n = self.varint()
        if n > 2**31 - 1: raise Fault("value_out_of_range")
        return n
    def flag(self):
        c = self.u8()
        if c > 1: raise Fault("bad_flag")
        return c == 1
    def code(self, table):
        c = self.u8()
        if c >= len(table): raise Fault("unknown_code")
        return table[c]
    def date(self):
        y, m, d = struct.unpack(">HBB", self.take(4))
        import datetime
        try:
            datetime.date(y, m, d)
        except ValueError:
            raise Fault("invalid_date")
        if not 1900 <= y <= 2199: raise Fault("invalid_date")
        return f"{y:04d}-{m:02d}-{d:02d}"
    def text(self):
        raw = self.take(self.count(0, 512))
        try:
            t = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Fault("invalid_utf8")
        if any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F for c in t): raise Fault("control_character")
        if unicodedata.normalize("NFC", t) != t: raise Fault("not_nfc")
        return t
    def opid(self):
        raw = self.take(34)
        return raw[:32].hex() + ":" + str(int.from_bytes(raw[32:], "big")), raw
    def opids(self, lo):
        out, prev = [], None
        for _ in range(self.count(lo, 64)):
            t, raw = self.opid()
            if prev is not None and not prev < raw: raise Fault("not_ascending")
            prev = raw; out.append(t)
        return out
    def hashes(self, lo):
        out, prev = [], None
        for _ in range(self.count(lo, 64)):
            raw = self.take(32)
            if prev is not None and not prev < raw: raise Fault("not_ascending")
            prev = raw; out.append(raw.hex())
        return out
    def opt(self, f):
        return f() if self.flag() else None
    def ref(self, table, key):
        kind = self.code(KINDS)
        record = self.take(16).hex()
        return {"kind": kind, "record": record, key: self.code(table[kind])}
    def value(self, want):
        t = self.code(VALUE_TYPES)
        if t == "text": v = {"text": self.text()}
        elif t == "number": v = {"number": self.number()}
        elif t == "date": v = {"date": self.date()}
        else: v = {"status": self.code(STATUSES), "date": self.date(), "reason": self.text()}
        if t != want: raise Fault("wrong_type")
        return v
    def body(self, kind):
        if kind == "visit":
            return {"participants": [self.text() for _ in range(self.count(0, 64))], "location": self.opt(self.text),
                    "householdFound": self.flag(), "childSeen": self.flag(), "spokeTo": self.text(), "reasonOut": self.opt(self.text),
                    "agreed": self.text(), "nextContact": self.opt(self.date), "evidence": self.hashes(0)}
        if kind == "absence": return {"from": self.date(), "to": self.date(), "schoolDays": self.number(), "excused": self.flag()}
        if kind == "leave": return {"from": self.date(), "to": self.date(), "reason": self.text(), "approvedBy": self.text()}
        if kind == "persuasion": return {"method": self.text(), "outcome": self.code(OUTCOMES), "note": self.text()}
        if kind == "homeTeaching": return {"classHours": self.number(), "teacher": self.text(), "content": self.text()}
        if kind == "householdCheck": return {"address": self.text(), "childrenFound": self.number(), "finding": self.code(FINDINGS)}
        if kind == "verificationLetter": return {"sentTo": self.text(), "reason": self.text()}
        return {"months": self.number(), "attending": self.flag(), "note": self.text()}
    def op(self):
        kind = self.code(OPS)
        if kind in ("set", "registryDefault"):
            o = {"op": kind, **self.ref(FIELDS, "field")}
            o["value"] = self.value(field_type(o["kind"], o["field"])); o["pred"] = self.opids(0); return o
        if kind in ("add", "remove"):
            o = {"op": kind, **self.ref(SETS, "set"), "element": self.text()}
            if kind == "remove": o["tags"] = self.opids(1)
            return o
        if kind == "void": return {"op": "void", "target": self.opid()[0], "reason": self.text()}
        if kind == "closeOut":
            return {"op": "closeOut", "child": self.take(16).hex(), "ledger": self.code(LEDGERS), "closes": self.opids(1),
                    "evidence": self.hashes(1), "note": self.text()}
        o = {"op": "event", "child": self.opt(lambda: self.take(16).hex()), "subject": self.opt(lambda: self.take(16).hex()),
             "date": self.date(), "amends": None, "amendReason": None}
        if self.flag(): o["amends"] = self.opid()[0]; o["amendReason"] = self.text()
        o["kind"] = self.code(EVENTS)
        if o["kind"] != "householdCheck" and o["child"] is None: raise Fault("missing_field")
        if o["kind"] in ("persuasion", "followUp", "householdCheck") and o["subject"] is None: raise Fault("missing_field")
        o["body"] = self.body(o["kind"])
        return o
    def payload(self):
        if self.b[:1] == b"{": raise Fault("format_1_refused")
        if len(self.b) < 2: raise Fault("truncated")
        if self.b[:2] != b"\x00\x52": raise Fault("bad_magic")
        self.i = 2
        if self.u8() != 2: raise Fault("unknown_version")
        ops = [self.op() for _ in range(self.count(1, 256))]
        if self.i != len(self.b): raise Fault("trailing_bytes")
        return ops

def check_records(root):
    data = json.loads((root / "vectors" / "records.json").read_text())
    failures = 0
    for v in data["valid"]:
        b = bytes.fromhex(v["hex"])
        try:
            back = PayloadReader(b).payload()
        except Fault as f:
            back = "fault " + str(f)
        if enc_payload(v["ops"]) != b or back != v["ops"]:
            failures += 1; print("FAIL valid record payload:", v["name"])
    for v in data["invalid"]:
        try:
            PayloadReader(bytes.fromhex(v["hex"])).payload(); got = "accepted"
        except Fault as f:
            got = str(f)
        if got != v["error"]:
            failures += 1; print("FAIL invalid record payload:", v["name"], "got", got, "want", v["error"])
    for v in data["registry_ids"]:
        label, number = (b"baoxue/child-id/v2", v["id_number"].upper()) if "id_number" in v else (b"baoxue/student-number/v2", v["student_number"])
        got = hashlib.blake2b(label + b"\x00" + number.encode("ascii"), digest_size=16, key=bytes.fromhex(v["key"])).hexdigest()
        if got != v["id"]:
            failures += 1; print("FAIL registry id:", v)
    n = len(data["valid"]) + len(data["invalid"]) + len(data["registry_ids"])
    print(f"record payloads and ids: {n - failures} passed, {failures} failed")
    return failures

POLICY_FIELDS = [("absenceDays", 1, 30), ("leaveDays", 1, 183), ("contactDays", 1, 92), ("sessionsPerMonth", 1, 31),
                 ("hoursPerSession", 1, 12), ("hoursPerSemester", 1, 600), ("classHourMinutes", 10, 120),
                 ("caseAttemptDays", 1, 92), ("firstAge", 3, 20), ("lastAge", 3, 20), ("referenceMonth", 1, 12),
                 ("referenceDay", 1, 31)]

def record_scope(raw, what):
    """A record scope (changes.md §4), not _admin: UTF-8, NFC, no control characters; raises ValueError."""
    text = raw.decode("utf-8")
    if text == "_admin" or unicodedata.normalize("NFC", text) != text or any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in text):
        raise ValueError(what)
    return text

def enc_policy(p):
    d = p["district"].encode()
    y, m, day = (int(x) for x in p["effective"].split("-"))
    return bytes([1, len(d)]) + d + struct.pack(">HBB", y, m, day) + b"".join(struct.pack(">H", p[n]) for n, _, _ in POLICY_FIELDS)

def dec_policy(b):
    """trust.md §9, strictly; raises ValueError."""
    import datetime
    if len(b) < 2 or b[0] != 1: raise ValueError("version")
    n = b[1]
    if len(b) != 2 + n + 4 + 2 * len(POLICY_FIELDS): raise ValueError("length")
    district = record_scope(b[2:2 + n], "district")
    y, m, day = struct.unpack(">HBB", b[2 + n:6 + n])
    datetime.date(y, m, day)
    if not 2000 <= y <= 2200: raise ValueError("year")
    out = {"district": district, "effective": f"{y:04d}-{m:02d}-{day:02d}"}
    for i, (name, lo, hi) in enumerate(POLICY_FIELDS):
        v = struct.unpack(">H", b[6 + n + 2 * i:8 + n + 2 * i])[0]
        if not lo <= v <= hi: raise ValueError(name)
        out[name] = v
    if out["firstAge"] > out["lastAge"]: raise ValueError("ages")
    datetime.date(2001, out["referenceMonth"], out["referenceDay"])
    return out

def check_encoded(root, name, key, enc, dec, label):
    """vectors/<name>.json: each valid entry's fields encode to its bytes and its bytes decode to them;
    each invalid entry is refused by the strict decoder."""
    data = json.loads((root / "vectors" / name).read_text())
    failures = 0
    for v in data["valid"]:
        b = bytes.fromhex(v["hex"])
        try:
            back = dec(b)
        except (ValueError, UnicodeDecodeError) as e:
            back = "refused " + str(e)
        if enc(v[key]) != b or back != v[key]:
            failures += 1; print(f"FAIL valid {label}:", v["description"], back)
    for v in data["invalid"]:
        try:
            dec(bytes.fromhex(v["hex"])); failures += 1; print(f"FAIL invalid {label} accepted:", v["description"])
        except (ValueError, UnicodeDecodeError):
            pass
    print(f"{label}: {len(data['valid']) + len(data['invalid']) - failures} passed, {failures} failed")
    return failures

def check_policies(root):
    return check_encoded(root, "policy.json", "policy", enc_policy, dec_policy, "district policies")

FIGURE_FIELDS = ["children", "enrolled", "suspectedOpen", "dropoutOpen", "ledgerOpened", "closedOut", "returned", "visits",
                 "persuasionAttempts", "homeTeachingSessions", "homeTeachingHours", "conflicts", "returned1MonthAgo", "stayed1Month",
                 "returned3MonthsAgo", "stayed3Months", "returned6MonthsAgo", "stayed6Months", "homeTeachingChildren",
                 "homeTeachingHoursExpected", "householdsChecked", "householdsWithFindings"]

def enc_figures(f):
    s = f["school"].encode()
    y, m = (int(x) for x in f["period"].split("-"))
    return bytes([1, len(s)]) + s + struct.pack(">HB", y, m) + b"".join(struct.pack(">I", f[n]) for n in FIGURE_FIELDS)

def dec_figures(b):
    """trust.md §10, strictly; raises ValueError."""
    if len(b) < 2 or b[0] != 1: raise ValueError("version")
    n = b[1]
    if n < 1 or len(b) != 2 + n + 3 + 4 * len(FIGURE_FIELDS): raise ValueError("length")
    school = record_scope(b[2:2 + n], "school")
    y, m = struct.unpack(">HB", b[2 + n:5 + n])
    if not 2000 <= y <= 2200 or not 1 <= m <= 12: raise ValueError("period")
    out = {"school": school, "period": f"{y:04d}-{m:02d}"}
    for i, name in enumerate(FIGURE_FIELDS):
        v = struct.unpack(">I", b[5 + n + 4 * i:9 + n + 4 * i])[0]
        if v > 10_000_000: raise ValueError(name)
        out[name] = v
    return out

def check_figures(root):
    return check_encoded(root, "figures.json", "figures", enc_figures, dec_figures, "published figures")

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
    print(f"changes: {len(data['valid']) + len(data['invalid']) - failures} passed, {failures} failed")
    failures += check_records(root)
    failures += check_policies(root)
    failures += check_figures(root)
    sys.exit(1 if failures else 0)

main()
