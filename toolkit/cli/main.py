"""``python -m toolkit``: the toolkit's functions from the command line.

Text or JSON out. Bad input exits with status 2 and one line on stderr naming
the flag and what is expected, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.cli.common import (
    EXIT_BAD_INPUT,
    FIELD_FLAGS,
    Parser,
    UsageError,
    add_format,
    flag_problem,
    print_json,
    record_values,
)
from toolkit.cli.session import add_session_commands
from toolkit.domain.bands import BAND_SET_LABELS, BandSet
from toolkit.domain.invest import what_if
from toolkit.domain.parsing import parse_money
from toolkit.domain.record import FIELD_LABELS, ServiceRecordError, parse_service
from toolkit.domain.results import ServiceResult, plain, service_result
from toolkit.present import formatting as fmt
from toolkit.present.report import DEFAULT_TITLE, render_report


def _measure_text(result: ServiceResult) -> str:
    figures = result.measures
    per_100 = figures.per_100_supported
    lines = [
        f"{result.name}",
        f"  Cost per person supported: {fmt.money(figures.cost_per_person)}",
        f"  Cost per job outcome:      {fmt.money(figures.cost_per_job_outcome)}",
        f"  Job outcome rate:          {fmt.percent(figures.job_outcome_rate)}"
        f" ({figures.job_outcomes} of {figures.people_supported})",
        f"  Per 100 supported:         {per_100.new_jobs:g} new jobs, "
        f"{per_100.jobs_retained:g} retained, {per_100.self_employed:g} self-employed",
    ]
    if figures.support_level_index is not None:
        lines.append(f"  Support Level Index:       {fmt.index(figures.support_level_index)}")
    for band_set in BandSet:
        rows = [c for c in result.comparisons if c.bands == band_set]
        if rows:
            lines.append(f"Against {BAND_SET_LABELS[band_set]}:")
            lines.extend(f"  - {row.text}" for row in rows)
    if result.notes:
        lines.append("Notes:")
        lines.extend(f"  - {note}" for note in result.notes)
    return "\n".join(lines)


def cmd_measure(args: argparse.Namespace) -> int:
    if args.file is not None:
        return _measure_file(args)
    try:
        record = parse_service(record_values(args))
    except ServiceRecordError as exc:
        raise UsageError(flag_problem(exc)) from None
    result = service_result(record, args.bands)
    if args.format == "json":
        print_json(result.model_dump(mode="json"))
    else:
        print(_measure_text(result))
    return 0


def cmd_invest(args: argparse.Namespace) -> int:
    try:
        budget = parse_money(args.budget)
    except ValueError as exc:
        raise UsageError(f"--budget (budget in £): {exc}") from None
    result = what_if(budget)
    if args.format == "json":
        data: dict[str, Any] = {"budget": budget}
        for band_set, points in result.at_bands.items():
            data[band_set.value] = {point: plain(value, 1) for point, value in points.items()}
        print_json(data)
        return 0
    print(f"A budget of {fmt.money(budget)} would buy about this many job outcomes:")
    for band_set, points in result.at_bands.items():
        shown = ", ".join(
            f"{fmt.count(round(value)) if plain(value) is not None else 'not meaningful'} "
            f"at the {point} cost per job"
            for point, value in points.items()
        )
        print(f"  {BAND_SET_LABELS[band_set]}: {shown}")
    print("The 'low' cost per job buys the most job outcomes; 'high' the fewest.")
    return 0


# --- Spreadsheets in and out, and the report (toolkit.present.spreadsheets, toolkit.present.report) ---


def _read_file(args: argparse.Namespace) -> tuple[list[ServiceResult], bool]:
    """Results for the services in --file; notes and problems on stderr, one line each."""
    # openpyxl (about 25 MB) is loaded only by the commands that read or write files.
    from toolkit.present.spreadsheets import SpreadsheetRefused, read_services

    try:
        imported = read_services(args.file)
    except SpreadsheetRefused as exc:
        raise UsageError(f"--file {exc}") from None
    for note in imported.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in imported.problems:
        print(str(problem), file=sys.stderr)
    if imported.problems:
        rows = ", ".join(str(row) for row in imported.rows_with_problems) or "the header row"
        print(
            f"{len(imported.records)} service(s) read from {imported.filename}; "
            f"problems in row(s) {rows} (those rows were left out)",
            file=sys.stderr,
        )
    results = [service_result(record, args.bands) for _, record in imported.records]
    return results, bool(imported.problems)


def _measure_file(args: argparse.Namespace) -> int:
    flags = [flag for field, flag in FIELD_FLAGS.items() if getattr(args, field) is not None]
    if flags:
        raise UsageError(
            f"--file: give the figures in the file or as flags, not both (also got {', '.join(flags)})"
        )
    results, had_problems = _read_file(args)
    if args.format == "json":
        print_json([result.model_dump(mode="json") for result in results])
    elif results:
        print("\n\n".join(_measure_text(result) for result in results))
    return EXIT_BAD_INPUT if had_problems else 0


def _output_path(args: argparse.Namespace, suffixes: tuple[str, ...]) -> Path:
    out = Path(args.out)
    if out.suffix.lower() not in suffixes:
        raise UsageError(
            f"--out: the file name must end {' or '.join(suffixes)} (got '{out.name}')"
        )
    source = getattr(args, "file", None)
    if source is not None and out.resolve() == Path(source).resolve():
        raise UsageError("--out: must not be the --file being read (it would be overwritten)")
    return out


def cmd_template(args: argparse.Namespace) -> int:
    # openpyxl (about 25 MB) is loaded only by the commands that read or write files.
    from toolkit.present.spreadsheets import write_template

    out = _output_path(args, (".xlsx", ".csv"))
    if out.exists() and not args.force:
        raise UsageError(f"--out: {out} already exists; choose another name or add --force")
    try:
        write_template(out)
    except OSError as exc:
        raise UsageError(f"--out: could not write {out} ({exc.strerror})") from None
    print(f"Wrote the data request template to {out}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    # openpyxl (about 25 MB) is loaded only by the commands that read or write files.
    from toolkit.present.spreadsheets import export_results

    out = _output_path(args, (".csv", ".xlsx"))
    results, had_problems = _read_file(args)
    if not results:
        print("No services could be read, so nothing was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        export_results(results, out)
    except OSError as exc:
        raise UsageError(f"--out: could not write {out} ({exc.strerror})") from None
    print(f"Wrote {len(results)} service(s) with their results to {out}")
    return EXIT_BAD_INPUT if had_problems else 0


def cmd_report(args: argparse.Namespace) -> int:
    out = _output_path(args, (".html", ".htm"))
    budget = None
    if args.budget is not None:
        try:
            budget = parse_money(args.budget)
        except ValueError as exc:
            raise UsageError(f"--budget (budget in £): {exc}") from None
    results, had_problems = _read_file(args)
    if not results:
        print("No services could be read, so no report was written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    page = render_report(
        results,
        what_if=budget,
        title=args.title or DEFAULT_TITLE,
        charts=[] if args.no_charts else None,
    )
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--out: could not write {out} ({exc.strerror})") from None
    print(f"Wrote the report on {len(results)} service(s) to {out}")
    return EXIT_BAD_INPUT if had_problems else 0


def _add_bands(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bands",
        nargs="+",
        choices=[band_set.value for band_set in BandSet],
        default=[band_set.value for band_set in BandSet],
        help="which bands to compare with (default: both)",
    )


def _add_file_commands(commands: Any, measure: argparse.ArgumentParser) -> None:
    """``measure --file``, ``template``, ``export`` and ``report``."""
    measure.add_argument(
        "--file", metavar="FILE", help="an .xlsx or .csv of services (one row each) to measure"
    )
    template = commands.add_parser("template", help="write the data request spreadsheet")
    template.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    template.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    template.set_defaults(handler=cmd_template)

    export = commands.add_parser("export", help="services and their results to CSV or Excel")
    export.add_argument(
        "--file", required=True, metavar="FILE", help="an .xlsx or .csv of services"
    )
    export.add_argument("--out", required=True, metavar="OUT", help="OUT.csv or OUT.xlsx")
    _add_bands(export)
    export.set_defaults(handler=cmd_export)

    report = commands.add_parser("report", help="a report for a board (HTML that prints to A4)")
    report.add_argument(
        "--file", required=True, metavar="FILE", help="an .xlsx or .csv of services"
    )
    report.add_argument("--out", required=True, metavar="OUT", help="OUT.html")
    report.add_argument("--title", help="the report's title")
    report.add_argument(
        "--budget", help="a budget in £ to set against each service (default: its own cost)"
    )
    report.add_argument("--no-charts", action="store_true", help="leave the charts out (faster)")
    _add_bands(report)
    report.set_defaults(handler=cmd_report)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m toolkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    measure = commands.add_parser("measure", help="measure one service against the bands")
    for field, flag in FIELD_FLAGS.items():
        measure.add_argument(flag, dest=field, metavar="VALUE", help=FIELD_LABELS[field])
    measure.add_argument(
        "--bands",
        nargs="+",
        choices=[band_set.value for band_set in BandSet],
        default=[band_set.value for band_set in BandSet],
        help="which bands to compare with (default: both)",
    )
    add_format(measure)
    measure.set_defaults(handler=cmd_measure)
    _add_file_commands(commands, measure)

    invest = commands.add_parser("invest", help="job outcomes a budget buys at each band")
    invest.add_argument("--budget", required=True, help="budget in £")
    add_format(invest)
    invest.set_defaults(handler=cmd_invest)

    add_session_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.handler(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
