"""Benchmark loading at national scale against DuckDB's raw ingest of the same file; prints figures, asserts nothing.

In: nothing (it writes its own files). Out, each figure from more than one run:
- the floor: DuckDB's raw `read_csv` of the same file into a table of a new database file;
- `check` and `load` into an empty database of the national long CSV (every county-level unit of China
  × the 57 reported indicators × 16 years = 2.6 M values, ~99 MB), each as a ratio to the floor of the
  same round, with where the time goes (the child's read and checks, the hand-back, the copy of the
  database, the insert, the rebuild of current values, the flush and rename);
- peak memory of every process involved (this step's worker, the checking server, the checking child),
  all at once, sampled from /proc, and each process's own peak;
- one county's yearly file (57 values) into the national database: the work besides the copy of the
  database file, and the copy itself;
- a full rebuild of current values after a catalog change, at national scale;
- the scaling curve: `load` at 0.25, 0.5, 1, 2.6 and 5 M values (time, ratio and peak memory per
  million values should stay flat: no worse than linear).

Each step runs in a fresh worker process (this script with --worker), so its memory is its own; the
time is measured inside it, after its imports and once the checking server is up (as the CLI starts
it while loading the catalog). The national and 5 M files are larger than the default limits for an
upload, so the rows and file-size limits are raised through the environment (ROLGOV_MAX_ROWS,
ROLGOV_MAX_FILE_MB), as an administrator loading such a file does; the memory, CPU and time limits
of the checking child stay at their defaults.

Usage: python scripts/bench_load.py [--repeat 2] [--sizes 0.25,0.5,1,2.6,5] [--skip-curve] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The national and 5 M files are over the default row and size limits, as an administrator's would be;
# the checking child runs at the floor's priority (by default it runs at nice 10, so that on a machine
# others share it would get a fraction of a core and the ratio would measure the others, not the work).
LIMITS_ENV = {"ROLGOV_MAX_ROWS": "6000000", "ROLGOV_MAX_FILE_MB": "400", "ROLGOV_CHECK_NICE": "0"}


# ── the files ────────────────────────────────────────────────────────────────────────────────
def unit_years(first: int, last: int, own_levels: bool) -> list[tuple[str, int]]:
    """(canonical code, year) of every county-level unit (and 本级 unit) valid in each year, newest year first."""
    from rolgov import regions as R

    reference = R.reference()
    levels = ["county", "own_level"] if own_levels else ["county"]
    out = []
    for year in range(last, first - 1, -1):
        valid = R.valid_in(reference, year)
        out += [(code, year) for code in sorted(valid.loc[valid["level"].isin(levels), "canonical_code"].unique())]
    return out


def write_long_csv(path: Path, units: list[tuple[str, int]], limit: int | None = None, salt: str = "") -> int:
    """Every reported indicator for each unit-year, values as people type them; returns the number of values.

    Counts: 0–4,999, a third written with thousands separators (quoted "1,234"); a count bounded by
    another (adopted ≤ received) is a share of that one; percentages with their sign, yes/no as 是/否,
    the population in 万人. 本级 units get the indicators reported at that level. Seeded by hashing.
    """
    import duckdb
    import pandas as pd

    from rolgov import catalog as catalog_mod

    catalog = catalog_mod.load()
    indicators = pd.DataFrame(
        [(n, i.id, i.kind, i.at_most[0] if i.at_most else None, i.own_level) for n, i in enumerate(catalog.base)],
        columns=["ord", "id", "kind", "big", "own_level"],
    )
    frame = pd.DataFrame(units, columns=["region", "year"]).reset_index(names="n")
    con = duckdb.connect()
    con.register("units", frame)
    con.register("indicators", indicators)
    h = f"hash(u.region, u.year, i.id, '{salt}')"
    count = f"""CASE WHEN i.big IS NULL THEN {h} % 5000
                     ELSE (hash(u.region, u.year, i.big, '{salt}') % 5000) * ({h} % 101) // 100 END"""
    con.execute(
        f"""
        COPY (
            SELECT u.region AS 地区, u.year AS 年份, i.id AS 指标,
                   CASE i.kind
                       WHEN 'percent' THEN printf('%.1f%%', 60 + ({h} % 400) / 10)
                       WHEN 'boolean' THEN CASE WHEN {h} % 2 = 0 THEN '是' ELSE '否' END
                       WHEN 'amount' THEN printf('%.1f', 5 + ({h} % 2000) / 10)
                       ELSE CASE WHEN hash({h}) % 3 = 0 THEN format('{{:,}}', ({count})::BIGINT)
                                 ELSE ({count})::VARCHAR END
                   END AS 数值
            FROM units u JOIN indicators i ON NOT u.region LIKE '%BJ' OR i.own_level
            ORDER BY u.n, i.ord
            {f"LIMIT {int(limit)}" if limit else ""}
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )
    return con.execute(f"SELECT count(*) FROM read_csv('{path}', all_varchar = true)").fetchall()[0][0]


# ── memory of a process tree, from /proc ─────────────────────────────────────────────────────
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            parent = int(stat[stat.rindex(b")") + 2 :].split()[1])
            tree.setdefault(parent, []).append(int(entry))
    return tree


def _pss_mb(pid: int) -> float:
    """Proportional set size: resident memory with each page shared between processes (the checking
    child shares its imports with the server it was forked from) divided among them, so sums are true."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TreeMemory(threading.Thread):
    """Samples the memory (PSS) of a process and all its descendants: every 10 ms the known processes,
    every 50 ms a search for new ones. `peak_mb` is the largest sum seen at one moment."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self.stop = pid, 0.0, threading.Event()
        self.known: set[int] = {pid}

    def run(self) -> None:
        tick = 0
        while not self.stop.is_set():
            if tick % 5 == 0:
                tree, found, todo = _children(), set(), [self.pid]
                while todo:
                    pid = todo.pop()
                    found.add(pid)
                    todo += tree.get(pid, [])
                self.known = found
            self.peak_mb = max(self.peak_mb, sum(_pss_mb(pid) for pid in self.known))
            tick += 1
            time.sleep(0.01)


def run_worker(step: str, **options) -> dict:
    """One step in a fresh process; its JSON answer plus `tree_peak_mb` (all its processes at once)."""
    argv = [sys.executable, __file__, "--worker", step]
    for key, value in options.items():
        argv += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, **LIMITS_ENV})
    sampler = TreeMemory(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    sampler.stop.set()
    sampler.join()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"worker {step} failed ({proc.returncode}):\n{out}")
    answer = json.loads(lines[-1])
    answer["tree_peak_mb"] = sampler.peak_mb
    return answer


# ── the steps, each in its own worker ────────────────────────────────────────────────────────
def _own_peak_mb() -> float:
    with open("/proc/self/status") as handle:
        return next(int(line.split()[1]) / 1024 for line in handle if line.startswith("VmHWM"))


def _warm(folder: Path, catalog) -> None:
    """Start the checking server and let it answer once, as the CLI has by the time it reads a file."""
    from etl import sandbox
    from etl.load import check

    sandbox.warm_up()
    tiny = folder / "warm.csv"
    tiny.write_text("地区,年份,指标,数值\n610902,2017,hearings_held,1\n", encoding="utf-8")
    check(tiny, catalog)
    tiny.unlink()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(args) -> dict:
    """One step, timed (wall clock) and counted (CPU seconds of this process and its checking child)."""
    from rolgov import catalog as catalog_mod

    if args.step == "floor":
        import duckdb

        target = Path(args.db)
        target.unlink(missing_ok=True)
        started, cpu = time.perf_counter(), _cpu_s()
        con = duckdb.connect(str(target))
        con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{args.csv}', all_varchar = true)")
        con.close()
        seconds, cpu = time.perf_counter() - started, _cpu_s() - cpu
        target.unlink()
        return {"seconds": seconds, "cpu_s": cpu}

    catalog = catalog_mod.load(Path(args.catalog)) if args.catalog else catalog_mod.load()
    _warm(Path(args.db).parent, catalog)
    started, cpu = time.perf_counter(), _cpu_s()
    if args.step == "check":
        from etl.load import check

        checked = check(Path(args.csv), catalog, Path(args.db) if args.db_exists else None)
        return {
            "seconds": time.perf_counter() - started,
            "cpu_s": _cpu_s() - cpu + checked.cpu_s,
            "values": checked.values,
            "problems": checked.total_problems,
            "phases": checked.phases,
            "child_peak_mb": checked.peak_mb,
        }
    if args.step in ("load", "county"):
        from etl.load import load_file

        result = load_file(Path(args.csv), Path(args.db), catalog, user="bench")
        return {
            "seconds": time.perf_counter() - started,
            "cpu_s": _cpu_s() - cpu + result.child_cpu_s,
            "status": result.status,
            "values": result.rows_new + result.rows_changed + result.rows_unchanged,
            "problems": int(len(result.problems)),
            "phases": result.phases,
            "child_peak_mb": result.child_peak_mb,
        }
    if args.step == "rebuild":
        from rolgov import db

        phases: dict[str, float] = {}
        with db.write(Path(args.db), catalog, phases=phases):
            pass  # a catalog that changed: reference tables rewritten, every current value recomputed
        return {"seconds": time.perf_counter() - started, "cpu_s": _cpu_s() - cpu, "phases": phases}
    raise SystemExit(f"unknown step {args.step}")


# ── the report ───────────────────────────────────────────────────────────────────────────────
def _phases(phases: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in phases.items()) if phases else ""


def _spread(values: list[float], unit: str = "") -> str:
    digits = 0 if unit.strip() == "MB" else (1 if unit == "×" else 2)
    low, high = min(values), max(values)
    return (
        f"{low:.{digits}f}{unit}"
        if round(low, digits) == round(high, digits)
        else f"{low:.{digits}f}–{high:.{digits}f}{unit}"
    )


def national(folder: Path, repeat: int) -> Path:
    csv = folder / "national.csv"
    started = time.perf_counter()
    values = write_long_csv(csv, unit_years(2010, 2025, own_levels=False))
    size = csv.stat().st_size / 1e6
    print(f"national file: {values:,} values, {size:.0f} MB (written in {time.perf_counter() - started:.1f} s)\n")
    ratios: dict[str, list[float]] = {"check": [], "load": [], "check CPU": [], "load CPU": []}
    peaks: dict[str, list[float]] = {"floor": [], "check": [], "load": []}
    database = folder / "national.duckdb"
    for round_ in range(1, repeat + 1):
        floor = run_worker("floor", csv=csv, db=folder / "floor.duckdb")
        peaks["floor"].append(floor["tree_peak_mb"])
        print(
            f"round {round_}: floor (DuckDB read_csv into a table) {floor['seconds']:.2f} s, "
            f"{floor['cpu_s']:.2f} CPU s, peak {floor['tree_peak_mb']:.0f} MB"
        )
        checked = run_worker("check", csv=csv, db=database)
        load_db = database if round_ == repeat else folder / "scratch.duckdb"
        load_db.unlink(missing_ok=True)
        loaded = run_worker("load", csv=csv, db=load_db)
        for name, step in (("check", checked), ("load", loaded)):
            ratio, cpu_ratio = step["seconds"] / floor["seconds"], step["cpu_s"] / floor["cpu_s"]
            ratios[name].append(ratio)
            ratios[f"{name} CPU"].append(cpu_ratio)
            peaks[name].append(step["tree_peak_mb"])
            print(
                f"  {name}: {step['seconds']:.2f} s = {ratio:.1f}× floor; {step['cpu_s']:.2f} CPU s = {cpu_ratio:.1f}× "
                f"floor's; {step['values']:,} values, {step['problems']} problems; peak {step['tree_peak_mb']:.0f} MB "
                f"all processes (checking child {step['child_peak_mb']:.0f} MB)"
            )
            print(f"    phases (s): {_phases(step['phases'])}")
    print(
        f"\nnational, {repeat} rounds: check {_spread(ratios['check'], '×')} the floor "
        f"({_spread(ratios['check CPU'], '×')} its CPU), load {_spread(ratios['load'], '×')} "
        f"({_spread(ratios['load CPU'], '×')} its CPU); peak memory of all processes: floor "
        f"{_spread(peaks['floor'], ' MB')}, check {_spread(peaks['check'], ' MB')}, "
        f"load {_spread(peaks['load'], ' MB')}\n"
    )
    return database


def one_county(folder: Path, database: Path, repeat: int) -> None:
    size = database.stat().st_size / 1e6
    print(f"one county's yearly file (57 values) into the national database ({size:.0f} MB):")
    others, cpus = [], []
    for round_ in range(1, repeat + 2):
        csv = folder / f"county_{round_}.csv"
        write_long_csv(csv, [("610922", 2025)], salt=f"county {round_}")
        step = run_worker("county", csv=csv, db=database)
        copy = step["phases"].get("copy", 0.0)
        others.append(step["seconds"] - copy)
        cpus.append(step["cpu_s"])
        print(
            f"  run {round_}: {step['seconds']:.2f} s in all, {step['seconds'] - copy:.2f} s besides the copy "
            f"({copy:.2f} s), {step['cpu_s']:.2f} CPU s, {step['status']}; phases (s): {_phases(step['phases'])}"
        )
    print(
        f"  besides the copy: {_spread(others, ' s')}; "
        f"CPU (this process and the checking child): {_spread(cpus, ' s')}\n"
    )


def rebuild(folder: Path, database: Path, repeat: int) -> None:
    print("full rebuild of current values after a catalog change (national database):")
    for round_ in range(1, repeat + 1):
        changed = folder / "metrics.yml"
        source = ROOT / "metrics.yml"
        changed.write_text(source.read_text(encoding="utf-8") + f"\n# bench edit {round_}\n", encoding="utf-8")
        step = run_worker("rebuild", db=database, catalog=changed)
        print(
            f"  run {round_}: {step['seconds']:.2f} s, {step['cpu_s']:.2f} CPU s; phases (s): {_phases(step['phases'])}"
        )
    print()


def curve(folder: Path, sizes: list[float], repeat: int) -> None:
    print("scaling curve (load into an empty database; the 5 M file adds 本级 units and goes back to 2000):")
    units = unit_years(2000, 2026, own_levels=True)
    print(
        f"  {'values':>10} {'MB':>5} {'floor s':>8} {'load s':>8} {'ratio':>6} {'s/M':>6} {'CPU s':>6} "
        f"{'CPU ratio':>9} {'peak MB':>8} {'MB/M':>6}"
    )
    for size in sizes:
        csv = folder / f"curve_{size}.csv"
        values = write_long_csv(csv, units, limit=int(size * 1e6))
        for _ in range(repeat):
            floor = run_worker("floor", csv=csv, db=folder / "floor.duckdb")
            target = folder / "curve.duckdb"
            target.unlink(missing_ok=True)
            step = run_worker("load", csv=csv, db=target)
            millions = values / 1e6
            print(
                f"  {values:>10,} {csv.stat().st_size / 1e6:>5.0f} {floor['seconds']:>8.2f} {step['seconds']:>8.2f} "
                f"{step['seconds'] / floor['seconds']:>6.1f} {step['seconds'] / millions:>6.2f} {step['cpu_s']:>6.2f} "
                f"{step['cpu_s'] / floor['cpu_s']:>9.1f} {step['tree_peak_mb']:>8.0f} "
                f"{step['tree_peak_mb'] / millions:>6.0f}"
                + ("" if step["status"] == "loaded" else f"  {step['status']}")
            )
        csv.unlink()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sizes", default="0.25,0.5,1,2.6,5")
    parser.add_argument("--skip-curve", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the files and databases in this folder")
    parser.add_argument("--worker", dest="step", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--catalog", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        args.db_exists = bool(args.db) and Path(args.db).exists()
        answer = worker(args)
        answer["own_peak_mb"] = _own_peak_mb()
        print(json.dumps(answer))
        return 0
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; limits raised: {LIMITS_ENV}\n")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        database = national(folder, args.repeat)
        one_county(folder, database, args.repeat)
        rebuild(folder, database, args.repeat)
        if not args.skip_curve:
            curve(folder, [float(s) for s in args.sizes.split(",")], args.repeat)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
