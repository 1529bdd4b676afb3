#!/usr/bin/env python3
"""Turns criterion's results (target/criterion) into the tables of
BENCHMARKS.md: MB/s per benchmark, and ratios to sse-core, to the memchr2
baseline and to the copy baseline measured in the same run.

Usage: python3 benches/report.py [DIR ...] > /tmp/tables.md

DIR defaults to target/criterion. Given the copies of several runs, each
benchmark shows its best run: other work on a shared machine only ever
slows a benchmark down.
"""
import glob, json, os, collections, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "target", "criterion")

def load(root, groups):
    for path in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        bench = json.load(open(path))
        estimates = json.load(open(os.path.join(os.path.dirname(path), "estimates.json")))
        # The median is less sensitive than the mean to this machine's noise.
        ns = estimates["median"]["point_estimate"]
        size = (bench.get("throughput") or {}).get("Bytes")
        if size:
            row = groups[bench["group_id"]]
            name = bench["function_id"] or bench["value_str"]
            row[name] = max(row.get(name, 0), size / ns * 1e9 / 1e6)

def main():
    groups = collections.defaultdict(dict)
    for root in sys.argv[1:] or [ROOT]:
        load(root, groups)
    decode = sorted(g for g in groups if g.startswith("decode/"))
    corpora = []
    for g in decode:
        corpus = g.split("/")[1]
        if corpus not in corpora:
            corpora.append(corpus)
    for corpus in corpora:
        print(f"\n### decode `{corpus}` (MB/s; ×sse-core in brackets)\n")
        chunkings = [c for c in ["whole", "1460", "64KiB", "10"] if f"decode/{corpus}/{c}" in groups]
        names = []
        for c in chunkings:
            for n in groups[f"decode/{corpus}/{c}"]:
                if n not in names:
                    names.append(n)
        print("| decoder | " + " | ".join(chunkings) + " |")
        print("|---|" + "---:|" * len(chunkings))
        for n in names:
            cells = []
            for c in chunkings:
                g = groups[f"decode/{corpus}/{c}"]
                if n not in g:
                    cells.append("")
                    continue
                base = g.get("sse-core")
                ratio = f" ({g[n] / base:.2f}×)" if base and not n.startswith("baseline") else ""
                cells.append(f"{g[n]:,.0f}{ratio}")
            print(f"| {n} | " + " | ".join(cells) + " |")
        whole = groups.get(f"decode/{corpus}/whole", {})
        if "baseline memchr2" in whole and "sse-wire core" in whole:
            print(f"\nsse-wire core in one buffer: {whole['sse-wire core'] / whole['baseline memchr2']:.2f} of memchr2, "
                  f"{whole['sse-wire core'] / whole['baseline copy']:.2f} of copy.")
        one, ten = groups.get(f"decode/{corpus}/1460", {}), groups.get(f"decode/{corpus}/10", {})
        if one and ten:
            ratios = ", ".join(f"{n.replace('sse-wire ', '')} {ten[n] / one[n]:.2f}" for n in one if n.startswith("sse-wire") and n in ten)
            print(f"10-byte chunks relative to 1460-byte chunks: {ratios}.")
            floor = ten.get("baseline append+memchr2")
            if floor and "sse-wire core" in one:
                print(f"The floor at 10-byte chunks (appending and searching each chunk) is "
                      f"{floor / one['sse-wire core']:.2f} of the core at 1460-byte chunks; "
                      f"the core at 10-byte chunks runs at {ten['sse-wire core'] / floor:.2f} of that floor.")
    for size in ["64KiB", "1MiB"]:
        g = groups.get(f"linear/{size}-line")
        if not g:
            continue
        print(f"\n### linear time: a {size} line (MB/s)\n")
        print("| how | MB/s | cost per byte ÷ whole-buffer decode |\n|---|---:|---:|")
        for n, v in g.items():
            print(f"| {n} | {v:,.1f} | {g['core whole'] / v:.0f} |")
    for g in sorted(x for x in groups if x.startswith("encode/")):
        print(f"\n### {g} (MB/s of output)\n")
        print("| encoder | MB/s | ×axum | ÷copy |\n|---|---:|---:|---:|")
        row = groups[g]
        for n, v in row.items():
            print(f"| {n} | {v:,.0f} | {v / row['axum']:.2f} | {v / row['baseline copy']:.2f} |")

main()
