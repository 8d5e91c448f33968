#!/usr/bin/env python3
"""validate.py [--each] SCHEMA.json FILE...: validates each FILE (JSON, or YAML when it
ends in .yaml) against SCHEMA with python3-jsonschema (Draft 2020-12), after checking
SCHEMA itself. Prints one line per error ("FILE: path: message") and exits 1 when there
is one. With --each: one line per file instead, "FILE: valid" or "FILE: invalid: path:
message" (its first error), exit 0 (one Python start for many cases).

validate.py --jobs JOBS: the validations a suite gathered, in one Python start (one with
jsonschema costs 0.2 s of CPU here): JOBS has one job a line, "NAME<TAB>SCHEMA<TAB>FILE..."
(tabs between the files too), and for each one line is printed, "NAME<TAB>valid" or
"NAME<TAB>invalid: FILE: path: message" (the first error) or "NAME<TAB>broken: why" (the
schema is not one, a file does not parse), exit 0.
YAML is read as YAML 1.2 reads it (and careerpdf): 2026-06-15 stays a string."""
import json
import sys

import jsonschema
import yaml


class Yaml12(yaml.CSafeLoader):   # libyaml's parser, PyYAML's resolvers (changed below)
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


def errors_of(schema_path, paths, validators={}):
    """(path, error) for each error of each file, the schema checked first (once)."""
    if schema_path not in validators:
        schema = load(schema_path)
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[schema_path] = jsonschema.Draft202012Validator(schema)
    for path in paths:
        for e in validators[schema_path].iter_errors(load(path)):
            yield path, e


def message(path, e):
    where = ".".join(str(p) for p in e.absolute_path) or "(root)"
    return f"{path}: {where}: {e.message[:200]}"


def jobs(jobs_path):
    for line in open(jobs_path, encoding="utf-8"):
        name, schema_path, *paths = line.rstrip("\n").split("\t")
        try:
            first = next(errors_of(schema_path, paths), None)
            verdict = "valid" if first is None else "invalid: " + message(*first)
        except Exception as e:   # a schema that is not one, a file that does not parse
            verdict = f"broken: {type(e).__name__}: {str(e)[:200]}"
        print(f"{name}\t{verdict}")
    return 0


def main():
    args = sys.argv[1:]
    if args[0] == "--jobs":
        return jobs(args[1])
    each = args[0] == "--each"
    if each:
        args = args[1:]
    schema = load(args[0])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in args[1:]:
        errors = list(validator.iter_errors(load(path)))
        for e in errors[:1] if each else errors:
            where = ".".join(str(p) for p in e.absolute_path) or "(root)"
            print(f"{path}: {'invalid: ' if each else ''}{where}: {e.message[:200]}")
        if each and not errors:
            print(f"{path}: valid")
        bad += len(errors)
    return 1 if bad and not each else 0


if __name__ == "__main__":
    sys.exit(main())
