#!/usr/bin/env bash
# Stop the single-node cluster of start_cluster.sh (its packages and config stay).
pkill -x slurmd || true
pkill -x slurmctld || true
pkill -x munged || true
