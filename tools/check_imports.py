#!/usr/bin/env python3
"""Every target declares the modules it imports (Package.swift); a transitive import fails the run."""
import re, pathlib, sys
root = pathlib.Path(__file__).resolve().parent.parent
pkg = (root / "Package.swift").read_text()
products = {"GRDB": "GRDB", "GRDBSQLite": "GRDBSQLite", "NIOCore": "NIOCore", "NIOPosix": "NIOPosix", "NIOHTTP1": "NIOHTTP1", "NIOConcurrencyHelpers": "NIOConcurrencyHelpers", "NIOEmbedded": "NIOEmbedded", "ServiceLifecycle": "ServiceLifecycle",
            "Logging": "Logging", "Prometheus": "Prometheus", "ArgumentParser": "ArgumentParser"}
targets = {}
for m in re.finditer(r'\.(?:target|executableTarget|testTarget)\(\s*name: "([^"]+)",\s*dependencies: \[(.*?)\](?:,\s*path: "([^"]+)")?', pkg, re.S):
    name, deps, path = m.group(1), m.group(2), m.group(3)
    d = set(re.findall(r'"([A-Za-z][\w-]*)"', deps))
    d |= set(re.findall(r'\.product\(name: "(\w+)"', deps))
    if not path:
        path = ("Tests/" if name.endswith("Tests") else "Sources/") + name
    targets[name] = (d, path)
local = set(targets) | {"CSodium"}
bad = 0
for name, (deps, path) in sorted(targets.items()):
    imports = set()
    for f in (root / path).rglob("*.swift"):
        imports |= set(re.findall(r'^(?:@\w+(?:\([^)]*\))?\s+)*import (\w+)', f.read_text(), re.M))
    missing = {i for i in imports if (i in local or i in products) and i not in deps and i != name.replace("-", "_")}
    if missing:
        bad += 1; print(name, "imports undeclared:", sorted(missing))
print("targets with undeclared imports:", bad)
sys.exit(1 if bad else 0)
