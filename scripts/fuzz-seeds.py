#!/usr/bin/env python3
"""Writes the fuzz tests' seed corpora from the shared HTTP cases (testdata/http-cases/*/cases.jsonl):
every raw request as a seed of RequestParserFuzzTest, and every chunked body (the bytes after a head
that says Transfer-Encoding: chunked) as a seed of ChunkedDecoderFuzzTest. Seeds are named by the
case id. Run again when the shared cases change:  python3 scripts/fuzz-seeds.py [cases.jsonl ...]"""
import base64, glob, json, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
resources = os.path.join(root, "http/src/test/resources/io/katana/http/fuzz")
targets = {
    "requests": os.path.join(resources, "RequestParserFuzzTestInputs/requestStreams"),
    "bodies": os.path.join(resources, "ChunkedDecoderFuzzTestInputs/chunkedBodies"),
}
files = sys.argv[1:] or sorted(glob.glob(os.path.join(root, "testdata/http-cases/*/cases.jsonl")))
if not files:
    sys.exit("fuzz-seeds: no cases.jsonl found; pass their paths")
for folder in targets.values():
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(os.path.join(folder, "seed-*")):
        os.remove(old)
counts = {"requests": 0, "bodies": 0}
for path in files:
    for line in open(path, encoding="utf-8"):
        case = json.loads(line)
        raw = base64.b64decode(case["raw_b64"])
        name = "seed-" + re.sub(r"[^A-Za-z0-9]+", "-", case["id"]).strip("-")
        with open(os.path.join(targets["requests"], name), "wb") as out:
            out.write(raw)
        counts["requests"] += 1
        head, sep, body = raw.partition(b"\r\n\r\n")
        if sep and re.search(rb"(?im)^transfer-encoding:[^\r\n]*chunked", head) and body:
            with open(os.path.join(targets["bodies"], name), "wb") as out:
                out.write(body)
            counts["bodies"] += 1
print(f"fuzz-seeds: {counts['requests']} request seeds, {counts['bodies']} chunked-body seeds from {len(files)} files")
