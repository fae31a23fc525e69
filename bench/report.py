#!/usr/bin/env python3
"""Reads hyperfine's JSON exports and writes docs/performance.md: medians, the target ratios, the machine."""
import datetime
import json
import os
import platform
import subprocess
import sys

work, out, runs = sys.argv[1], sys.argv[2], sys.argv[3]


def medians(name):
    with open(os.path.join(work, name + ".json")) as f:
        return {r["command"]: r["median"] for r in json.load(f)["results"]}


def command(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except IndexError:
        return "?"


w1, w2, w3, w4, w6 = (medians(n) for n in ("w1", "w2", "w3", "w4", "w6"))
rss_kib = int(open(os.path.join(work, "w2-rss.txt")).read().split()[-1])
w5 = open(os.path.join(work, "w5-4gib.txt")).read().split()
rows = [
    ("W2 gzip cold vs validate + tar \\| pigz -p 2 (both streams hashed)", w2["scratch-gzip"] / (w2["validate"] + w2["pigz"]), "<= 1.15"),
    ("W2 gzip cold: Jib cold / scratch", w2["jib-cold"] / w2["scratch-gzip"], ">= 1.6"),
    ("W2 zstd cold vs validate + tar \\| zstd -3 -T2", w2["scratch-zstd"] / (w2["validate"] + w2["zstd"]), "<= 1.2"),
    ("W3 gzip cold vs validate + tar \\| pigz -p 2", w3["scratch-gzip"] / (w3["validate"] + w3["pigz"]), "<= 1.3"),
    ("W4 no change vs validate", w4["scratch-nochange"] / w4["validate"], "<= 1.2"),
    ("W4 no change: Jib warm / scratch", w4["jib-warm"] / w4["scratch-nochange"], "> 1.0"),
]


def holds(value, target):
    op, limit = target.split()
    return {"<=": value <= float(limit), ">=": value >= float(limit), ">": value > float(limit)}[op]


cpu = command("grep -m1 'model name' /proc/cpuinfo").split(":")[-1].strip()
memory = command("free -g | grep Mem").split()[1] + " GiB" if command("free -g | grep Mem") != "?" else "?"
java = command("java -version 2>&1")
maven = command("mvn -v 2>/dev/null | sed 's/\x1b\\[[0-9;]*m//g'")
lines = [
    "# Performance",
    "",
    f"Measured by `bench/run` on {datetime.date.today()}: {os.cpu_count()} cores ({cpu}), {memory} of memory,",
    f"{platform.platform()}, {java}, {maven}.",
    f"Each command ran {runs} times, interleaved by hyperfine in one call per workload; the figures are medians in seconds.",
    "Ratios compare medians of the same run, never absolute times across machines.",
    "",
    "## Targets",
    "",
    "| ratio | value | target | holds |",
    "| --- | --- | --- | --- |",
]
lines += [f"| {name} | {value:.2f} | {target} | {'yes' if holds(value, target) else '**no**'} |" for name, value, target in rows]
lines += [
    f"| W2 peak resident memory of the Maven process | {rss_kib / 1024:.0f} MiB | <= 300 MiB | {'yes' if rss_kib <= 300 * 1024 else '**no**'} |",
    f"| 4 GiB tree with MAVEN_OPTS=-Xmx128m | built in {float(w5[0]):.1f} s, {int(w5[1]) / 1024:.0f} MiB RSS | builds | yes |",
    "",
    "W6 puts the W2 tree in a layer of its own below a 1 MiB application file that changes before every build.",
    "Only the application layer is written again; the JDK layer is reused without being read or compressed:",
    "",
    "| ratio | value |",
    "| --- | --- |",
    f"| W6 app changed / W6 cold | {w6['scratch-app-changed'] / w6['scratch-cold']:.2f} |",
    f"| W6 app changed vs validate | {w6['scratch-app-changed'] / w6['validate']:.2f} |",
    "",
    "## Medians (s)",
    "",
    "| workload | command | median |",
    "| --- | --- | --- |",
]
for name, table in (("W1 busybox + 400 links", w1), ("W2 JDK tree, cold", w2), ("W3 20,000 small files", w3), ("W4 W2 again, nothing changed", w4),
                    ("W6 W2 tree + app layer", w6)):
    for cmd, median in table.items():
        lines.append(f"| {name} | {cmd} | {median:.2f} |")
lines += [
    "",
    "## Where the time goes",
    "",
    "- **Cold builds** stream every layer once: the tar framing, the SHA-256 of the tar (diff_id), the compression",
    "  and the SHA-256 of the blob happen in one pass over fixed buffers, so memory does not grow with the tree.",
    "  gzip is cut into 128 KiB blocks deflated on every core, each primed with the previous 32 KiB, pigz-style,",
    "  so the bytes depend on the level only; zstd runs zstd-jni's own workers.",
    "- **Per file** the planner makes one `lstat` beyond the tree walk's (size, mtime, ctime, inode and mode at",
    "  once, reused by the up-to-date fingerprint), one `access` check, and, for executables and `.so` files, one",
    "  read of the ELF header (the whole dynamic section only where libraries are resolved). The writer then opens",
    "  and reads each file once.",
    "- **Nothing changed** (W4): the plan is made again and fingerprinted, and the layout is checked against the",
    "  recorded state by hashing `index.json` and listing the blobs: no file content is read, no JSON is parsed.",
    "  What is left above `mvn validate` is mostly Maven building the plugin's class realm and the JVM's first",
    "  run of our code, which is why the plugin keeps a single runtime dependency, zstd-jni.",
    "- **Something changed** (W6): every layer whose inputs did not change is taken from the previous layout as",
    "  it is; only the others are written.",
]
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
