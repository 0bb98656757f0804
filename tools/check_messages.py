#!/usr/bin/env python3
"""The message catalog (Sources/BaoxueApp/Messages) against its callers: every `say(Catalog.key, …)` passes as many
arguments as the message has placeholders, and every message is said somewhere. Swift's type checker sees neither."""
import re, pathlib, sys

root = pathlib.Path(__file__).resolve().parent.parent
catalog = {}
for f in (root / "Sources/BaoxueApp/Messages").glob("*.swift"):
    s = f.read_text()
    m = re.search(r"public enum (\w+): String, Message", s)
    if not m:
        continue
    name = m.group(1)
    body = s[s.index("switch self"):]
    cases = list(re.finditer(r"case \.(\w+):", body))
    for i, c in enumerate(cases):
        text = body[c.end():cases[i + 1].start() if i + 1 < len(cases) else len(body)]
        catalog[f"{name}.{c.group(1)}"] = max([int(n) for n in re.findall(r"\{(\d+)\}", text)] or [0])

groups = sorted({k.split(".")[0] for k in catalog})
ref = re.compile(r"\b(" + "|".join(groups) + r")\.(\w+)\b")


def split_args(s, i):
    """Top-level arguments of the call whose '(' is at s[i-1]; skips strings and nested brackets."""
    depth, j, start, args = 0, i, i, []
    while j < len(s):
        c = s[j]
        if c == '"':
            j += 1
            while s[j] != '"':
                j += 2 if s[j] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(s[start:j])
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append(s[start:j])
            start = j + 1
        j += 1
    return args


bad, used, members = 0, set(), set()
for f in sorted((root / "Sources").rglob("*.swift")):
    src = f.read_text()
    if "Messages" in f.parts:
        continue
    for m in ref.finditer(src):
        used.add(f"{m.group(1)}.{m.group(2)}")
    members |= set(re.findall(r"(?<![\w)\]])\.(\w+)\b", src))
    for m in re.finditer(r"\bsay\(", src):
        args = split_args(src, m.end())
        keys = ref.findall(args[0]) if args else []
        if not keys or not re.fullmatch(r"[\w.?:!=\s]+", args[0].strip()):
            continue  # a message passed through a variable: its caller is checked where it names the key
        for g, k in keys:
            key = f"{g}.{k}"
            if key not in catalog:
                continue  # a member such as `ErrorMessages.placeholders`
            if catalog[key] != len(args) - 1:
                bad += 1
                line = src.count("\n", 0, m.start()) + 1
                print(f"{f.relative_to(root)}:{line}: {key} has {catalog[key]} placeholder(s), given {len(args) - 1} argument(s)")
# Said through an implicit member (`section(.casesSection, …)`), or named after an `Operation` (`OperationNames`).
unused = sorted(k for k in set(catalog) - used if k.split(".")[1] not in members and not k.startswith("OperationNames."))
for key in unused:
    print("never said:", key)
print(f"messages: {len(catalog)}; calls with the wrong number of arguments: {bad}; never said: {len(unused)}")
sys.exit(1 if bad or unused else 0)
