#!/bin/sh
# Repeats this stress run: same scenarios, seeds (so the same operations
# per thread), threads, duration, watchdog and device.
exec hmmbench stress --scenario close-evict --duration 60s --seed 1 --threads 4 --watchdog 60s --backend test_hmm --device /dev/hmm_dmirror0 "$@"
