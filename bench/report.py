"""Benchmark reports: JSON (everything measured), Markdown (tables, targets) and an SVG bar chart drawn here."""

import json
import re
from html import escape
from pathlib import Path

# Issue 5 §3, checked against every run (the national dataset is the one they are stated for).
TARGETS = {
    "mixed_rps": 600.0,
    "mixed_p99_ms": 250.0,
    "api_ratio": 0.5,
    "page_ratio": 0.25,
    "slot_search_p95_ms": 25.0,
    "queue_p95_ms": 50.0,
}
MARK_START = "<!-- bench:latest:start -->"
MARK_END = "<!-- bench:latest:end -->"


def baseline_rps(result: dict) -> float:
    values = [s["summary"]["rps"] for s in result["scenarios"] if s["kind"] == "baseline" and s["summary"]["rps"]]
    return sum(values) / len(values) if values else 0.0


def _endpoint(scenario: dict, fragment: str) -> dict | None:
    return next((row for row in scenario["endpoints"] if fragment in row["name"]), None)


def _worst_queue_p95(result: dict) -> float | None:
    rows = [row for s in result["scenarios"] for row in s["endpoints"] if "(queue page" in row["name"]]
    return max((row["p95"] for row in rows), default=None)


def targets(result: dict) -> list[dict]:
    base = baseline_rps(result)
    by_name = {s["name"]: s for s in result["scenarios"]}
    checks = []
    mixed = by_name.get("mixed load")
    if mixed:
        checks.append(_check("mixed load ≥ 600 req/s", mixed["summary"]["rps"], ">=", TARGETS["mixed_rps"], "req/s"))
        checks.append(_check("mixed load p99 < 250 ms", mixed["summary"]["p99"], "<", TARGETS["mixed_p99_ms"], "ms"))
        checks.append(_check("mixed load without errors", mixed["summary"]["failures"], "<=", 0, "errors"))
    for scenario in result["scenarios"]:
        if scenario["kind"] in {"api", "page"} and base:
            limit = TARGETS["api_ratio"] if scenario["kind"] == "api" else TARGETS["page_ratio"]
            label = "JSON API" if scenario["kind"] == "api" else "page"
            checks.append(
                _check(
                    f"{scenario['name']} ({label}) ≥ {limit:.0%} of baseline",
                    round(scenario["summary"]["rps"] / base, 3),
                    ">=",
                    limit,
                    "× baseline",
                )
            )
    # Latency targets from the one-user runs when present (no queueing), else from the saturated ones.
    search = by_name.get("slot search (1 user)") or by_name.get("slot search")
    row = _endpoint(search, "(slot search)") if search else None
    if row:
        checks.append(
            _check(f"slot search p95 < 25 ms ({search['name']})", row["p95"], "<", TARGETS["slot_search_p95_ms"], "ms")
        )
    queue = by_name.get("instruction queue (1 user)")
    queue_p95 = _worst_queue_p95({"scenarios": [queue]} if queue else result)
    if queue_p95 is not None:
        label = "one user" if queue else "saturated"
        checks.append(
            _check(f"queue pages p95 < 50 ms (worst depth, {label})", queue_p95, "<", TARGETS["queue_p95_ms"], "ms")
        )
    return checks


def _check(label: str, value: float, operator: str, limit: float, unit: str) -> dict:
    passed = {">=": value >= limit, "<": value < limit, "<=": value <= limit}[operator]
    return {"target": label, "measured": value, "limit": limit, "unit": unit, "met": passed}


def _sharing(load_average: list[float]) -> str:
    # The load average over the last minute counts the runner's own processes only once they have run a while:
    # at the start, anything above one core busy is other work.
    if load_average and load_average[0] >= 1.0:
        return (
            "shared with other work: absolute figures are lower bounds; ratios to the baseline of the same run are "
            "the comparable ones"
        )
    return "quiet machine"


def _steal(machine: dict) -> str:
    steal = machine.get("cpu_steal_percent")
    if steal is None:
        return ""
    return (
        f" CPU steal during the run: {steal:.0f} % of the cores' time went to other guests of the host (each "
        "scenario's share is in the table: a scenario run under more steal than the baseline gets a lower ratio)."
    )


SPEED_DRIFT = 1.25  # probes further apart than this within a run: the host's speed moved


def _probe(result: dict) -> str:
    probes = sorted(p for s in result["scenarios"] if (p := s["summary"].get("cpu_probe_ms")) is not None)
    if not probes:
        return ""
    fastest, slowest, median = probes[0], probes[-1], probes[len(probes) // 2]
    sentence = (
        f" CPU speed probe (a fixed pure-Python loop timed on an idle server before each scenario; lower is faster):"
        f" median {median:.0f} ms, {fastest:.0f}–{slowest:.0f} ms; absolute figures of two runs compare only when"
        " their probes are close."
    )
    if slowest >= SPEED_DRIFT * fastest:
        sentence += (
            f" **The host's speed moved {slowest / fastest:.1f}× during this run**: a scenario whose probe is higher"
            " than the baseline's ran on a slower CPU and gets a lower ratio."
        )
    return sentence


def _postgresql_line(settings: dict | None) -> list[str]:
    if not settings:
        return []
    listed = ", ".join(f"{name} {value}" for name, value in settings.items())
    return [f"PostgreSQL on the same machine: {listed}; the application's connections run with jit off.", ""]


def markdown(result: dict) -> str:
    base = baseline_rps(result)
    rows = result["dataset"]["rows"]
    lines = [
        f"# Benchmark {result['scale']} — {result['started_at']}",
        "",
        f"Server: gunicorn, {result['server']['gunicorn_workers']} sync workers, `{result['server']['settings']}` "
        f"(production settings, DEBUG off), PostgreSQL. Load: {result['load']['tool']}, "
        f"{result['load']['users']} concurrent users without think time, after "
        f"{result['server'].get('warmup_seconds', 0)} s of unmeasured mixed load. Machine: "
        f"{result['machine']['cpus']} CPUs, load average at start {result['machine']['load_average_at_start']} "
        f"({_sharing(result['machine']['load_average_at_start'])}).{_steal(result['machine'])}{_probe(result)}",
        "",
        *([f"Note: {result['machine']['note']}", ""] if result["machine"].get("note") else []),
        *_postgresql_line(result["server"].get("postgresql")),
        f"**Baseline** (minimal view, one indexed query): **{base:,.0f} req/s** (mean of the runs before and after).",
        "",
        "## Dataset",
        "",
        "| table | rows |",
        "|---|---:|",
        *[
            f"| {label} | {value:,} |" if label != "database bytes" else f"| database size | {value / 1e9:.2f} GB |"
            for label, value in rows.items()
        ],
        f"| generation time | {result['dataset'].get('generation_seconds')} s |",
        "",
        "## Scenarios",
        "",
        "| scenario | kind | req/s | × baseline | p50 ms | p95 ms | p99 ms | requests | errors | CPU steal "
        "| CPU probe |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in result["scenarios"]:
        summary = scenario["summary"]
        ratio = summary["rps"] / base if base else 0
        steal = summary.get("cpu_steal_percent")
        probe = summary.get("cpu_probe_ms")
        lines.append(
            f"| {scenario['name']} | {scenario['kind']} | {summary['rps']:,.0f} | {ratio:.2f} | {summary['p50']:.0f} | "
            f"{summary['p95']:.0f} | {summary['p99']:.0f} | {summary['requests']:,} | {summary['failures']:,} | "
            f"{'—' if steal is None else f'{steal:.0f} %'} | {'—' if probe is None else f'{probe:.0f} ms'} |"
        )
    lines += ["", "## Targets (issue 5 §3)", "", "| target | measured | met |", "|---|---:|:---:|"]
    for check in targets(result):
        lines.append(
            f"| {check['target']} | {check['measured']:,} {check['unit']} | {'yes' if check['met'] else '**no**'} |"
        )
    lines += [
        "",
        "## Per endpoint",
        "",
        "| scenario | request | req/s | p50 | p95 | p99 | requests | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in result["scenarios"]:
        for row in scenario["endpoints"]:
            if row["name"] == "Aggregated":
                continue
            lines.append(
                f"| {scenario['name']} | `{row['name']}` | {row['rps']:,.1f} | {row['p50']:.0f} | {row['p95']:.0f} | "
                f"{row['p99']:.0f} | {row['requests']:,} | {row['failures']:,} |"
            )
    lines.append("")
    return "\n".join(lines)


def svg(result: dict) -> str:
    """Two horizontal bar charts: req/s (with the baseline as a line) and p95 latency, per scenario."""
    base = baseline_rps(result)
    scenarios = [s for s in result["scenarios"] if s["kind"] != "baseline"]
    scenarios.insert(0, {"name": "baseline", "summary": {"rps": base, "p95": _baseline_p95(result)}})
    label_width, bar_width, row_height, top = 230, 330, 22, 50
    height = top + row_height * len(scenarios) + 40
    width = label_width + 2 * bar_width + 80
    max_rps = max([s["summary"]["rps"] for s in scenarios] + [1.0])
    max_p95 = max([s["summary"]["p95"] for s in scenarios] + [1.0])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        f'font-size="12" role="img" aria-label="Débit et latence p95 par scénario, comparés à la référence">',
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">Benchmark {escape(result["scale"])} — '
        f"{escape(result['started_at'])}</text>",
        f'<text x="{label_width}" y="{top - 10}" font-weight="bold">req/s (line: baseline {base:,.0f})</text>',
        f'<text x="{label_width + bar_width + 40}" y="{top - 10}" font-weight="bold">p95 (ms)</text>',
    ]
    for index, scenario in enumerate(scenarios):
        y = top + index * row_height
        rps, p95 = scenario["summary"]["rps"], scenario["summary"]["p95"]
        rps_width = bar_width * rps / max_rps
        p95_width = bar_width * p95 / max_p95
        colour = "#6a6af4" if scenario["name"] == "baseline" else "#000091"
        parts += [
            f'<text x="{label_width - 8}" y="{y + 14}" text-anchor="end">{escape(scenario["name"])}</text>',
            f'<rect x="{label_width}" y="{y + 3}" width="{rps_width:.1f}" height="{row_height - 6}" fill="{colour}"/>',
            f'<text x="{label_width + rps_width + 4:.1f}" y="{y + 14}">{rps:,.0f}</text>',
            f'<rect x="{label_width + bar_width + 40}" y="{y + 3}" width="{p95_width:.1f}" height="{row_height - 6}" '
            f'fill="#e1000f"/>',
            f'<text x="{label_width + bar_width + 44 + p95_width:.1f}" y="{y + 14}">{p95:,.0f}</text>',
        ]
    line_x = label_width + bar_width * base / max_rps
    parts.append(
        f'<line x1="{line_x:.1f}" y1="{top}" x2="{line_x:.1f}" y2="{top + row_height * len(scenarios)}" '
        f'stroke="#666" stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _baseline_p95(result: dict) -> float:
    values = [s["summary"]["p95"] for s in result["scenarios"] if s["kind"] == "baseline"]
    return sum(values) / len(values) if values else 0.0


def write(result: dict, folder: Path, performance_doc: Path | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    result["baseline_rps"] = round(baseline_rps(result), 1)
    result["targets"] = targets(result)
    stem = folder / f"{result['started_at']}-{result['scale']}"
    json_path, md_path, svg_path = stem.with_suffix(".json"), stem.with_suffix(".md"), stem.with_suffix(".svg")
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = markdown(result)
    md_path.write_text(text + f"\n![chart]({svg_path.name})\n", encoding="utf-8")
    svg_path.write_text(svg(result), encoding="utf-8")
    if performance_doc is not None and performance_doc.exists():
        _refresh_doc(performance_doc, result, md_path, text)
    return [json_path, md_path, svg_path]


def refresh_doc_from(json_path: Path, doc: Path) -> None:
    """Writes a recorded run's figures into docs/performance.md again (e.g. after editing the doc)."""
    result = json.loads(json_path.read_text(encoding="utf-8"))
    md_path = json_path.with_suffix(".md")
    _refresh_doc(doc, result, md_path, markdown(result))


def _refresh_doc(doc: Path, result: dict, md_path: Path, text: str) -> None:
    """Replaces the figures between the markers of docs/performance.md with this run's (same scale only once
    a larger scale was recorded there: a small run does not overwrite national figures)."""
    content = doc.read_text(encoding="utf-8")
    if MARK_START not in content or MARK_END not in content:
        return
    current = re.search(r"<!-- bench:scale=(\w+) -->", content)
    order = ["small", "medium", "large", "national"]
    if current and order.index(current.group(1)) > order.index(result["scale"]):
        return
    body = text.split("\n", 1)[1].replace("\n## ", "\n### ")  # without the report's title, one level down
    relative = md_path.relative_to(doc.parent.parent)
    block = (
        f"{MARK_START}\n<!-- bench:scale={result['scale']} -->\nLatest run: `{relative}` "
        f"(scale {result['scale']}).\n{body}\n![chart](../{relative.with_suffix('.svg')})\n{MARK_END}"
    )
    start, end = content.index(MARK_START), content.index(MARK_END) + len(MARK_END)
    doc.write_text(content[:start] + block + content[end:], encoding="utf-8")
