"""The browser CSV benchmark's JSON (.ci/bench-csv-browser.sh) as rows of bench.sh's table."""
import json
import sys

d = json.loads(sys.argv[1])
s, p = d["shoal"], d["papaparse"]


def ms(x):
    return f"{x:.0f} ms"


print(f"| CSV preview, 100,000 rows: Shoal read + decode + parse + check every row (WASM, work only) | browser | {ms(s['work_ms'])} | – | – | – | – |")
print(f"| PapaParse 5: decode + parse of the same bytes (header row) | browser | {ms(p['parse_ms'])} | – | – | – | – |")
print(f"| ratio Shoal ÷ PapaParse (target ≤ 0.7×) | browser | {s['work_ms'] / p['parse_ms']:.2f}× | – | – | – | – |")
print(f"| CSV preview: first rows on screen (target < 500 ms) / every row checked, wall | browser | {ms(s['first_rows_ms'])} / {ms(s['checked_ms'])} | – | – | – | – |")
print(f"| CSV preview: longest frame while reading (the page's longest freeze) | browser | {ms(s['longest_frame_ms'])} | – | – | – | – |")
