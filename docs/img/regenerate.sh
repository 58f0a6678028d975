#!/usr/bin/env bash
# Regenerates the images the README shows, from the shipped scenarios.
#   docs/img/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/escalate run guinea-2009 --plots "$tmp/run" > /dev/null
go run ./cmd/escalate compare guinea-2009 --plots "$tmp/compare" > /dev/null
go run ./cmd/escalate sweep guinea-2009 --vary intervention.unowa.startup_delay_months=0:12:1 --plots "$tmp/sweep" > /dev/null
cp "$tmp/run/dashboard.png" docs/img/guinea-2009-dashboard.png
cp "$tmp/compare/compare-pwar.png" docs/img/guinea-2009-compare.png
cp "$tmp/sweep/sweep.png" docs/img/guinea-2009-sweep-delay.png
go run ./cmd/escalate calibrate --from 1971 --holdout 2010 --out "$tmp/calibrate" > /dev/null
cp "$tmp/calibrate/calibration-shares.png" docs/img/calibration-shares.png
cp "$tmp/calibrate/calibration-war-durations.png" docs/img/calibration-war-durations.png
