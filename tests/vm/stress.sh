#!/usr/bin/env bash
# Replaced by the real test in the next commit.
echo "1..0 # SKIP the stress VM test is not written yet"
