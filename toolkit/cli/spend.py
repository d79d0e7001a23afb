"""``python -m toolkit spend``: the map of local spend and provision from the command line.

``spend template --out FILE`` writes the questionnaire template (.xlsx) or the
plain CSV of provision lines; ``spend --file FILE`` reads a filled one and
prints what the map shows as text or JSON. Bad input exits with status 2 and
one line per problem on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from toolkit.cli.common import EXIT_BAD_INPUT, UsageError
from toolkit.present import formatting as fmt


def _usage(message: str) -> UsageError:
    return UsageError(message)


def cmd_spend(args: argparse.Namespace) -> int:
    """Read a map from --file and show it."""
    from toolkit.present.spend_sheets import SpreadsheetRefused, export_xlsx, read_spend
    from toolkit.worksheets.spend_map.model import parse_year
    from toolkit.worksheets.spend_map.result import map_result

    if args.file is None:
        raise _usage("--file: give the filled-in spend map (.xlsx or .csv), or use "
                     "'spend template --out FILE' for a blank one")
    for flag, value in (("--year", args.year), ("--price-year", args.price_year)):
        if value is not None:
            try:
                parse_year(value)
            except ValueError as exc:
                raise _usage(f"{flag}: {exc}") from None
    outputs = [(flag, value, suffix) for flag, value, suffix in (
        ("--export", args.export, ".xlsx"), ("--summary", args.summary, ".html"))
        if value is not None]
    for flag, value, suffix in outputs:
        if Path(value).suffix.lower() != suffix:
            raise _usage(f"{flag}: the file name must end {suffix} (got '{Path(value).name}')")
        if Path(value).resolve() == Path(args.file).resolve():
            raise _usage(f"{flag}: must not be the --file being read")
    try:
        imported = read_spend(args.file, year=args.year, price_year=args.price_year)
    except SpreadsheetRefused as exc:
        raise _usage(f"--file {exc}") from None
    for note in imported.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in imported.problems:
        print(str(problem), file=sys.stderr)
    if imported.problems:
        print(f"{len(imported.problems)} problem(s) in {imported.filename}; those rows or "
              "answers were left out", file=sys.stderr)
    result = map_result(imported.spend_map)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        print(spend_text(result))
    if args.export:
        Path(args.export).write_bytes(export_xlsx(imported.spend_map, result))
        print(f"Wrote the map to {args.export}", file=sys.stderr)
    if args.summary:
        from toolkit.charts.spend import mix_charts
        from toolkit.present.spend_summary import render_summary

        charts = []
        if result["shares_by_support_type"]:
            charts = mix_charts(result["shares_by_support_type"], result["area"] or "Your area",
                                result["price_base"]["label"])
        page = render_summary(result, charts=charts, lines=imported.spend_map.lines)
        Path(args.summary).write_text(page, encoding="utf-8")
        print(f"Wrote the printable summary to {args.summary}", file=sys.stderr)
    return EXIT_BAD_INPUT if imported.problems else 0


def cmd_spend_template(args: argparse.Namespace) -> int:
    """Write the blank template."""
    from toolkit.present.spend_sheets import write_template

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise _usage(f"--out: the file name must end .xlsx or .csv (got '{out.name}')")
    if out.exists() and not args.force:
        raise _usage(f"--out: {out} already exists; choose another name or add --force")
    try:
        write_template(out)
    except OSError as exc:
        raise _usage(f"--out: could not write {out} ({exc.strerror})") from None
    kind = "plain CSV of provision lines" if out.suffix.lower() == ".csv" else "spend map template"
    print(f"Wrote the {kind} to {out}")
    return 0


def spend_text(result: dict[str, Any]) -> str:
    """The map as lines of text."""
    from toolkit.worksheets.spend_map.result import group_label, type_label

    lines = [f"Spend map{' for ' + result['area'] if result['area'] else ''}"
             f"{', ' + result['year'] if result['year'] else ''}"
             f"{' (EXAMPLE: fictional figures)' if result['example'] else ''}",
             f"  Total: {fmt.money(result['total'])} ({result['price_base']['label']})"]
    shares = result["shares_by_support_type"] or {}
    lines.append("By type of support:")
    for key, amount in result["by_support_type"].items():
        share = f" ({fmt.percent(shares[key])})" if key in shares else ""
        lines.append(f"  {type_label(key)}: {fmt.money(amount)}{share}")
    lines.append("By client group:")
    lines.extend(f"  {group_label(k)}: {fmt.money(v)}" for k, v in result["by_client_group"].items())
    lines.append("By funding stream:")
    lines.extend(f"  {k}: {fmt.money(v)}" for k, v in result["by_funding_stream"].items())
    lines.append("What the map shows:")
    lines.extend(f"  - {sentence}" for sentence in result["findings"])
    if result["gaps"]:
        lines.append("Gaps (no spend recorded):")
        lines.extend(f"  - {type_label(g['support_type'])}: {group_label(g['client_group'])}"
                     for g in result["gaps"])
    return "\n".join(lines)


def add_spend_commands(commands: Any) -> None:
    """Register ``spend`` and ``spend template``."""
    spend = commands.add_parser("spend", help="map local spend and provision (read a filled map)")
    spend.add_argument("--file", metavar="FILE", help="a filled spend map (.xlsx) or CSV of lines")
    spend.add_argument("--format", choices=("text", "json"), default="text")
    spend.add_argument("--year", help="the year the figures cover, e.g. 2025-26 (for a CSV)")
    spend.add_argument("--price-year", dest="price_year",
                       help="the year whose prices the money figures are in, e.g. 2024-25 "
                       "(default: the year they cover)")
    spend.add_argument("--export", metavar="OUT.xlsx", help="also write the map to Excel")
    spend.add_argument("--summary", metavar="OUT.html", help="also write a printable A4 summary")
    spend.set_defaults(handler=cmd_spend)
    sub = spend.add_subparsers(dest="spend_command", parser_class=commands._parser_class)
    template = sub.add_parser("template", help="write the blank spend map template")
    template.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    template.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    template.set_defaults(handler=cmd_spend_template)
