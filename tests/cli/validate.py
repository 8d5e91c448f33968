#!/usr/bin/env python3
"""validate.py SCHEMA.json FILE...: validates each FILE (JSON, or YAML when it ends in
.yaml) against SCHEMA with python3-jsonschema (Draft 2020-12), after checking SCHEMA
itself. Prints one line per error ("FILE: path: message") and exits 1 when there is one.
YAML is read as YAML 1.2 reads it (and careerpdf): 2026-06-15 stays a string."""
import json
import sys

import jsonschema
import yaml


class Yaml12(yaml.SafeLoader):
    pass


Yaml12.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".yaml"):
            return yaml.load(f, Loader=Yaml12)
        return json.load(f)


def main():
    schema = load(sys.argv[1])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        for e in validator.iter_errors(load(path)):
            where = ".".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {where}: {e.message[:200]}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
