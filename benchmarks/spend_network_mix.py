"""How long sharing a spend map and showing a network's pooled mix take.

In a throwaway SQLite file, ``--maps`` fictional areas (price years spread over three years,
so the pool is uprated) share their map's totals into one session; then, over ``--repeat``
runs, times one more share (which replaces the earlier one) and the facilitator's pooled mix
(store read, uprating, rounding, disclosure control). Prints the median and the slowest run of
each, in milliseconds.

    .venv/bin/python benchmarks/spend_network_mix.py [--maps 30] [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from toolkit.network.spend_sharing import share_spend, spend_mix
from toolkit.network.store import Store
from toolkit.worksheets.spend_map.model import ProvisionLine, SpendMap
from toolkit.worksheets.spend_map.network import shared_payload
from toolkit.worksheets.spend_map.vocab import ClientGroup, SupportType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.timing import timed

YEARS = ("2022-23", "2023-24", "2024-25")


def area(index: int) -> dict:
    lines = [
        ProvisionLine(provider=f"Provider {index}-{n} (fictional)", funding_stream="social care",
                      support_type=list(SupportType)[(index + n) % len(SupportType)],
                      client_group=list(ClientGroup)[(index * 3 + n) % len(ClientGroup)],
                      annual_spend=25_000 * (1 + (index + n) % 9))
        for n in range(8)
    ]
    spend_map = SpendMap(year=YEARS[index % 3], lines=lines,
                         organisations={"NHS trust": 0.4, "voluntary and community sector": 0.5})
    return shared_payload(spend_map)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maps", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        made = store.create_session("Benchmark network (fictional)")
        for index in range(args.maps):
            share_spend(store, made.code, area(index), True, store.new_token())
        token = store.new_token()
        payload = area(args.maps)
        share = timed(lambda: share_spend(store, made.code, payload, True, token), args.repeat)
        mix = timed(lambda: spend_mix(store, made.code, made.facilitator_key), args.repeat)
        shown = spend_mix(store, made.code, made.facilitator_key)
        store.close()
    print(f"maps shared: {shown['maps']}; price base: {shown['price_base']['label']}")
    print(f"share (replace) : median {share[0]:7.1f} ms, slowest {share[1]:7.1f} ms")
    print(f"facilitator mix : median {mix[0]:7.1f} ms, slowest {mix[1]:7.1f} ms")


if __name__ == "__main__":
    main()
