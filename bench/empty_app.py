# An empty page: AppTest's own cost of a run, the floor of every warm-rerun figure (bench/reruns.py).
