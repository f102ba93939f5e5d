#!/usr/bin/env bash
# Every chart and report of the bundled scenarios, checked in a real browser: Debian's chromium driven through
# chromium-driver by Selenium (Tests/browser/check_charts.py). Runs the map (every level, all three views), redeploy,
# adopt, a sensitivity study (Morris, tornado and Sobol), a scenario discovery and the value of information, then checks
# each SVG and report.html:
# no two text labels overlap, every entity has a visible label inside the picture, no NaN or infinity in any
# attribute, no request leaves the page, the report's tables sort and the report prints to PDF.
# Screenshots and PDFs go to .build-browser/screenshots (or $SCREENSHOTS).
#
# Usage: Tests/browser/browser-test.sh PATH/TO/dxmap
set -euo pipefail
dxmap=$(readlink -f "${1:?usage: $0 PATH/TO/dxmap}")
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/install-deps" --browser
work=$(mktemp -d /tmp/dxmap-browser.XXXXXX)
trap 'rm -rf "$work"' EXIT
shots=${SCREENSHOTS:-$root/.build-browser/screenshots}
rm -rf "$shots"; mkdir -p "$shots"
started=$(date +%s)
S=$root/Scenarios
# The layout is what is checked, not the estimates: few draws (the debug build's redeployment is slow).
run() { "$dxmap" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }; }
for scenario in italian-pa county-councils; do
    for level in service role organisation; do run map "$S/$scenario.yaml" --draws 1000 --level "$level" --out "$work/map-$scenario-$level"; done
    run map "$S/$scenario.yaml" --draws 1000 --view risk-return --out "$work/risk-return-$scenario"
    run map "$S/$scenario.yaml" --draws 1000 --view risk-return --risk cvar --level organisation --out "$work/cvar-$scenario"
    run map "$S/$scenario.yaml" --draws 1000 --view output --out "$work/output-$scenario"   # the value of outputs
done
run map "$S/county-councils.yaml" --draws 1000 --view risk-return --risk cvar --out "$work/cvar-ties"   # every risk 0: the note, one tick
run map "$S/italian-pa.yaml" --draws 1000 --view risk-return --risk loss --out "$work/loss-crowded"
run map "$S/county-councils-workforce.yaml" --draws 1000 --out "$work/map-workforce"
run redeploy "$S/county-councils-workforce.yaml" --draws 300 --out "$work/redeploy-workforce"
run redeploy "$S/italian-pa.yaml" --draws 100 --out "$work/redeploy-italian-pa"
run adopt "$S/catalyst.yaml" --draws 1000 --out "$work/adopt-catalyst"
run map "$S/catalyst.yaml" --draws 1000 --programme all-five --out "$work/map-catalyst"
# A small sensitivity study and a discovery: the bundled sweep files with fewer draws and points (the charts'
# layout is what is checked here, not the estimates).
small() { sed -e "s|^scenario: \.\./|scenario: $S/|" -e 's/^draws: [0-9]*/draws: 100/' -e 's/points: 200/points: 80/' "$1" > "$2"; }
small "$S/sweeps/sensitivity-italian-pa.yaml" "$work/sensitivity.yaml"
small "$S/sweeps/discover-redeployment.yaml" "$work/discover.yaml"
run sensitivity "$work/sensitivity.yaml" --method morris --base 6 --db "$work/morris.sqlite" --out "$work/sensitivity-morris"
run sensitivity "$work/sensitivity.yaml" --method tornado --db "$work/tornado.sqlite" --out "$work/sensitivity-tornado"
run sensitivity "$work/sensitivity.yaml" --method sobol --base 16 --db "$work/sobol.sqlite" --out "$work/sensitivity-sobol"
run sweep "$work/discover.yaml" --db "$work/discover.sqlite"
run discover "$work/discover.sqlite" --output redeploy.shared-pool.redundant --above 200 --out "$work/discover"
run discover "$work/discover.sqlite" --output redeploy.shared-pool.redundant --above 200 --boxes 2 --out "$work/discover-two"
sed -e "s|^scenario: \.\./|scenario: $S/|" -e 's/^draws: [0-9]*/draws: 60/' -e 's/points: 60/points: 20/' \
    "$S/sweeps/robust-redeployment.yaml" > "$work/robust.yaml"
run sweep "$work/robust.yaml" --db "$work/robust.sqlite" --out "$work/sweep-robust" --satisfy 'redeploy.*.redundant<=150'
run report "$work/discover.sqlite" --out "$work/sweep-discover"   # no levers, one policy: no robustness section
# Value of information: the pilot example (evidence in its report, a pilot panel), the Italian PA's long input names,
# and the programme choice; and the map of the pilot example, whose report shows the evidence.
run voi "$S/italian-registry-pilot.yaml" --draws 1000 --out "$work/voi-pilot"
run voi "$S/italian-pa.yaml" --draws 1000 --out "$work/voi-italian-pa"
run voi "$S/catalyst.yaml" --decision programme --draws 500 --out "$work/voi-catalyst"
run map "$S/italian-registry-pilot.yaml" --draws 1000 --out "$work/map-registry-pilot"
run map "$S/italian-registry-pilot.yaml" --draws 1000 --versus-no-evidence --out "$work/map-versus-evidence"
echo "browser test: outputs made in $(( $(date +%s) - started )) s" >&2
"$root/.build-browser/venv/bin/python" "$root/Tests/browser/check_charts.py" "$work" "$shots"
echo "browser test: passed in $(( $(date +%s) - started )) s; screenshots in $shots" >&2
