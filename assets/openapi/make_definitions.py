#!/usr/bin/env python3
"""Rebuild definitions-1.29.json.gz (see SOURCE.md) from the kubernetes-validate wheel's
kubernetes-json-schema/v1.29.0-local/_definitions.json: turn its JSON Schema back into the
Swagger 2.0 `definitions` of the Kubernetes v1.29.0 OpenAPI document, for stable API versions.

usage: make_definitions.py _definitions.json definitions-1.29.json.gz
"""
import gzip
import json
import re
import sys

# The two types the converter rewrote into oneOf, as upstream's swagger.json has them.
INT_OR_STRING = {
    "description": "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML "
    "marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for "
    "example, a JSON field that can accept a name or number.",
    "format": "int-or-string",
    "type": "string",
}
QUANTITY = {
    "description": "Quantity is a fixed-point representation of a number. It provides convenient "
    "marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.",
    "type": "string",
}
UNSTABLE = re.compile(r"\.v\d+(alpha|beta)\d+\.")


def swagger(node):
    if isinstance(node, list):
        return [swagger(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = value.replace("#/$defs/", "#/definitions/")
        elif key == "type" and isinstance(value, list):
            kinds = [v for v in value if v != "null"]
            out[key] = kinds[0] if len(kinds) == 1 else kinds
        elif key in ("properties", "patternProperties"):
            out[key] = {name: swagger(v) for name, v in value.items()}
        else:
            out[key] = swagger(value)
    return out


def main(src, dst):
    defs = json.load(open(src))["$defs"]
    out = {}
    for name, schema in sorted(defs.items()):
        if UNSTABLE.search(name):
            continue
        schema = swagger(schema)
        if "x-kubernetes-group-version-kind" in schema:
            # The converter pinned apiVersion and kind with a one-value enum; upstream has none.
            for field in ("apiVersion", "kind"):
                prop = schema.get("properties", {}).get(field)
                if prop and len(prop.get("enum", [])) == 1:
                    del prop["enum"]
        out[name] = schema
    out["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = INT_OR_STRING
    out["io.k8s.apimachinery.pkg.api.resource.Quantity"] = QUANTITY
    text = json.dumps(out, sort_keys=True, separators=(",", ":")).encode()
    with gzip.GzipFile(dst, "wb", compresslevel=9, mtime=0) as f:
        f.write(text)
    print(f"{len(out)} definitions, {len(text)} bytes of JSON")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
