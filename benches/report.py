#!/usr/bin/env python3
"""Turns criterion's results (target/criterion) into the tables of
BENCHMARKS.md: MB/s per benchmark, and ratios to sse-core, to the memchr2
baseline and to the copy baseline measured in the same run.

Usage: python3 benches/report.py [DIR ...] > /tmp/tables.md

DIR defaults to target/criterion. Given copies of several runs of the same
build, each figure is the median over the runs, and each ratio the median
of the ratios measured within one run, so that a stretch of noise on this
shared machine in one run moves neither much.
"""
import glob, json, os, collections, statistics, sys

ROOT = os.path.join(os.path.dirname(__file__), "..", "target", "criterion")

def load(root):
    """{group: {benchmark: MB/s}} for one run."""
    groups = collections.defaultdict(dict)
    for path in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        bench = json.load(open(path))
        estimates = json.load(open(os.path.join(os.path.dirname(path), "estimates.json")))
        # The median is less sensitive than the mean to this machine's noise.
        ns = estimates["median"]["point_estimate"]
        size = (bench.get("throughput") or {}).get("Bytes")
        if size:
            groups[bench["group_id"]][bench["function_id"] or bench["value_str"]] = size / ns * 1e9 / 1e6
    return groups

RUNS = [load(root) for root in sys.argv[1:] or [ROOT]]

def speed(group, name):
    """The median MB/s over the runs that have the benchmark, or None."""
    values = [run[group][name] for run in RUNS if name in run.get(group, {})]
    return statistics.median(values) if values else None

def ratio(group, name, base_group, base):
    """The median over the runs of name ÷ base, each measured in one run."""
    values = [run[group][name] / run[base_group][base] for run in RUNS
              if name in run.get(group, {}) and base in run.get(base_group, {})]
    return statistics.median(values) if values else None

def names(group):
    found = []
    for run in RUNS:
        for name in run.get(group, {}):
            if name not in found:
                found.append(name)
    return found

def main():
    groups = sorted({g for run in RUNS for g in run})
    corpora = []
    for g in groups:
        if g.startswith("decode/") and g.split("/")[1] not in corpora:
            corpora.append(g.split("/")[1])
    for corpus in corpora:
        print(f"\n### decode `{corpus}` (MB/s; ×sse-core in brackets)\n")
        chunkings = [c for c in ["whole", "1460", "64KiB", "10"] if f"decode/{corpus}/{c}" in groups]
        rows = []
        for c in chunkings:
            rows += [n for n in names(f"decode/{corpus}/{c}") if n not in rows]
        print("| decoder | " + " | ".join(chunkings) + " |")
        print("|---|" + "---:|" * len(chunkings))
        for n in rows:
            cells = []
            for c in chunkings:
                g = f"decode/{corpus}/{c}"
                v = speed(g, n)
                if v is None:
                    cells.append("")
                    continue
                r = None if n.startswith("baseline") else ratio(g, n, g, "sse-core")
                cells.append(f"{v:,.0f}" + (f" ({r:.2f}×)" if r is not None else ""))
            print(f"| {n} | " + " | ".join(cells) + " |")
        whole, one, ten = (f"decode/{corpus}/{c}" for c in ["whole", "1460", "10"])
        core = "sse-wire core view"
        for layer in ["sse-wire core view", "sse-wire core text"]:
            if ratio(whole, layer, whole, "baseline memchr2") is not None:
                print(f"\n{layer} in one buffer: {ratio(whole, layer, whole, 'baseline memchr2'):.2f} of memchr2, "
                      f"{ratio(whole, layer, whole, 'baseline copy'):.2f} of copy.")
        layers = [n for n in names(one) if n.startswith("sse-wire") and ratio(ten, n, one, n) is not None]
        if layers:
            print("10-byte chunks relative to 1460-byte chunks: "
                  + ", ".join(f"{n.replace('sse-wire ', '')} {ratio(ten, n, one, n):.2f}" for n in layers) + ".")
        floor = ratio(ten, "baseline append", one, core)
        if floor is not None:
            print(f"Appending 10-byte chunks to a buffer, with no search, runs at {floor:.2f} of the core "
                  f"at 1460-byte chunks; the core at 10-byte chunks runs at "
                  f"{ratio(ten, core, ten, 'baseline append'):.2f} of that append.")
    for size in ["64KiB", "1MiB"]:
        g = f"linear/{size}-line"
        if g not in groups:
            continue
        print(f"\n### linear time: a {size} line (MB/s)\n")
        print("| how | MB/s | cost per byte ÷ whole-buffer decode |\n|---|---:|---:|")
        for n in names(g):
            print(f"| {n} | {speed(g, n):,.1f} | {ratio(g, 'core whole', g, n):.0f} |")
    for g in (x for x in groups if x.startswith("encode/")):
        print(f"\n### {g} (MB/s of output)\n")
        print("| encoder | MB/s | ×axum | ÷copy |\n|---|---:|---:|---:|")
        for n in names(g):
            print(f"| {n} | {speed(g, n):,.0f} | {ratio(g, n, g, 'axum'):.2f} | {ratio(g, n, g, 'baseline copy'):.2f} |")

main()
