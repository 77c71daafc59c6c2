"""The benchmark report: what a reader needs to judge a run's figures, written from the run's own numbers."""

from bench import report
from bench.run import cpu_jiffies, cpu_probe_ms, steal_percent


def _result(steal_run: float | None, steal_scenario: float | None, probes: tuple[float, float] | None = None) -> dict:
    def scenario(name: str, kind: str, rps: float, probe: float | None) -> dict:
        summary = {"rps": rps, "p50": 5, "p95": 9, "p99": 12, "requests": 100, "failures": 0}
        if steal_scenario is not None:
            summary["cpu_steal_percent"] = steal_scenario
        if probe is not None:
            summary["cpu_probe_ms"] = probe
        return {"name": name, "kind": kind, "summary": summary, "endpoints": []}

    baseline_probe, home_probe = probes or (None, None)

    return {
        "scale": "small",
        "started_at": "20261128T000000Z",
        "server": {"gunicorn_workers": 4, "settings": "config.settings.bench", "warmup_seconds": 10},
        "load": {"tool": "locust", "users": 8},
        "machine": {"cpus": 2, "load_average_at_start": [0.1, 0.1, 0.1], "cpu_steal_percent": steal_run},
        "dataset": {"rows": {"dossiers": 10}, "generation_seconds": 1.0},
        "scenarios": [
            scenario("baseline", "baseline", 400.0, baseline_probe),
            scenario("home", "page", 100.0, home_probe),
        ],
    }


def test_the_cpu_time_stolen_by_the_host_is_reported_for_the_run_and_each_scenario():
    text = report.markdown(_result(steal_run=31.0, steal_scenario=44.0))
    assert "CPU steal during the run: 31 %" in text
    assert "| home | page | 100 | 0.25 | 5 | 9 | 12 | 100 | 0 | 44 % | — |" in text


def test_a_run_without_steal_figures_still_reports():
    text = report.markdown(_result(steal_run=None, steal_scenario=None))
    assert "CPU steal during the run" not in text
    assert "| home | page | 100 | 0.25 | 5 | 9 | 12 | 100 | 0 | — | — |" in text


def test_steal_is_the_stolen_share_of_the_cpu_time_between_two_readings():
    assert steal_percent((10, 1000), (40, 1200)) == 15.0
    assert steal_percent((10, 1000), (10, 1000)) is None  # no time passed: no share to give
    stolen, total = cpu_jiffies()
    assert 0 <= stolen <= total


def test_each_scenario_shows_the_cpu_probe_and_a_run_on_a_steady_host_gives_no_warning():
    text = report.markdown(_result(steal_run=0.0, steal_scenario=0.0, probes=(50.0, 55.0)))
    assert "| home | page | 100 | 0.25 | 5 | 9 | 12 | 100 | 0 | 0 % | 55 ms |" in text
    assert "median 55 ms, 50–55 ms" in text
    assert "speed moved" not in text


def test_a_host_whose_speed_moved_during_the_run_is_called_out():
    text = report.markdown(_result(steal_run=0.0, steal_scenario=0.0, probes=(50.0, 110.0)))
    assert "The host's speed moved 2.2× during this run" in text


def test_the_probe_times_a_real_loop():
    short, long = cpu_probe_ms(iterations=10_000, repeats=1), cpu_probe_ms(iterations=1_000_000, repeats=1)
    assert 0 < short < long
