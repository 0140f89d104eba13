#!/usr/bin/env bash
# The reliability diagram of docs/ROUTING.md: the "reliability" tables of two `alo153 eval`
# outputs (before and after calibration) drawn with gnuplot (Debian gnuplot-nox) as SVG.
#   bash tests/routing/reliability.sh BEFORE.log AFTER.log OUT.svg [TITLE]
set -euo pipefail
before=$1 after=$2 out=$3 title=${4:-reliability}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
table() { # the rows "  0.9-1.0    794      0.993      0.982" of one eval log
  awk '/^reliability/{on=1; next} on && /^  bin/{next} on && NF==4 {print $3, $4, $2; next} on {exit}' "$1"
}
table "$before" >"$tmp/before.dat"
table "$after" >"$tmp/after.dat"
gnuplot <<GP
set terminal svg size 560,480 font "sans,12"
set output "$out"
set title "$title"
set xlabel "top probability (mean per bin)"
set ylabel "share right (category)"
set xrange [0:1]
set yrange [0:1]
set key left top
set grid
plot x title "perfect calibration" with lines dashtype 2 lc rgb "#888888", \
     "$tmp/before.dat" using 1:2 title "before (normalised sigmoids)" with linespoints pt 7 lc rgb "#c0392b", \
     "$tmp/after.dat" using 1:2 title "after (temperature, dev split)" with linespoints pt 5 lc rgb "#2471a3"
GP
echo "wrote $out"
