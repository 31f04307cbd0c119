"""The benchmark of the Exoneration Misconduct Explorer: `python -m bench` (`make bench`).

Modules, in the order a run uses them: `cli` (options and the order of the work), `data` (the
databases and the import timing), `reruns` (warm reruns in AppTest), `servers` (app processes and
their memory), `browser` (Chromium: page loads and filter changes), `table` (the markdown table and
docs/performance.md). `bench/load.py` is the load tool; it speaks Streamlit's websocket protocol.
"""
