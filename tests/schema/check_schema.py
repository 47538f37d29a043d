#!/usr/bin/env python3
"""The published JSON Schema is itself valid, describes every property,
accepts every bundled scenario, and agrees with the loader on the
bad-scenario catalogue (rows marked 'yes' must fail the schema, rows marked
'no' are problems only the loader can see and must pass it)."""
import json
import pathlib
import sys

import jsonschema

root = pathlib.Path(sys.argv[1])
schema = json.loads((root / "scenarios/scenario.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = []

# Every property anywhere in the schema carries a description.
def walk(node, path):
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if isinstance(sub, dict) and "description" not in sub and "$ref" not in sub and path.count("allOf") == 0:
                failures.append(f"{path}.properties.{name}: no description")
        for key, sub in node.items():
            walk(sub, f"{path}.{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            walk(sub, f"{path}[{i}]")
walk(schema, "schema")

scenarios = sorted(p for p in (root / "scenarios").glob("*.json") if p.name != "scenario.schema.json")
for p in scenarios:
    errors = [e.message for e in validator.iter_errors(json.loads(p.read_text()))]
    if errors:
        failures.append(f"{p.name}: rejected by the schema: {errors[0]}")

rows = {}
for line in (root / "tests/bad-scenarios/catalogue.tsv").read_text().splitlines():
    if line and not line.startswith("#"):
        name, schema_sees, _ = line.split("\t", 2)
        rows[name] = schema_sees
for name, schema_sees in sorted(rows.items()):
    text = (root / "tests/bad-scenarios" / name).read_text()
    try:
        valid = validator.is_valid(json.loads(text))
    except json.JSONDecodeError:
        valid = False
    if schema_sees == "yes" and valid:
        failures.append(f"{name}: the loader refuses it but the schema accepts it")
    if schema_sees == "no" and not valid:
        err = next(validator.iter_errors(json.loads(text))).message
        failures.append(f"{name}: marked loader-only, but the schema rejects it: {err}")

# Units: the schema's patterns and the loader accept exactly the same texts.
if len(sys.argv) > 2:
    import subprocess, tempfile
    for text in ["2us", "2 us", "2  us", "1.5ms", "1.ms", ".5ms", "5", "5 parsecs", "-1s", "0.25s", "10 Mbps", "1e3us", "1h", "10 min", "1.5h", "2 hours"]:
        doc = {"nodes": {}, "run": {"until": text}}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(doc, f)
        loader_ok = subprocess.run([sys.argv[2], "validate", f.name], capture_output=True).returncode == 0
        pathlib.Path(f.name).unlink()
        if loader_ok != validator.is_valid(doc):
            failures.append(f"duration {text!r}: the loader {'accepts' if loader_ok else 'refuses'} it, the schema does not")

for f in failures:
    print("FAIL", f)
print(f"{len(scenarios)} scenarios and {len(rows)} bad scenarios checked against the schema; {len(failures)} failures")
sys.exit(1 if failures else 0)
