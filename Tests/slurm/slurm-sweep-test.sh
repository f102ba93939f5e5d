#!/usr/bin/env bash
# The sweep's cluster path, for real: bring up a one-node Slurm cluster from
# Debian's slurm-wlm (shared/recipes/slurm-single-node.md), submit a sweep as
# a 4-task job array with a dependent merge job, wait, and check that the
# merged result exports exactly the same CSV as an unsharded run. Stops the
# daemons it started and restores the configuration it replaced.
#
# Usage: Tests/slurm/slurm-sweep-test.sh PATH/TO/dxmap
set -euo pipefail
dxmap=$(readlink -f "${1:?usage: $0 PATH/TO/dxmap}")
here=$(cd "$(dirname "$0")" && pwd)
started_at=$(date +%s)
work=$(mktemp -d /tmp/dxmap-slurm.XXXXXX)
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
we_started=0
munge_started=0
conf=/etc/slurm/slurm.conf

cleanup() {
    if [ "$we_started" = 1 ]; then
        # No Slurm answered before we started ours, so every slurmctld/slurmd here is ours.
        $sudo pkill -x slurmd 2>/dev/null || true
        $sudo pkill -x slurmctld 2>/dev/null || true
        for _ in $(seq 20); do { pgrep -x slurmd || pgrep -x slurmctld; } >/dev/null || break; sleep 0.25; done
        $sudo pkill -9 -x slurmd 2>/dev/null || true
        $sudo pkill -9 -x slurmctld 2>/dev/null || true
        if [ -f "$work/slurm.conf.orig" ]; then $sudo cp "$work/slurm.conf.orig" "$conf"; else $sudo rm -f "$conf"; fi
    fi
    if [ "$munge_started" = 1 ]; then $sudo pkill -x munged 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if ! command -v sbatch >/dev/null 2>&1; then
    echo "slurm test: installing slurm-wlm" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq slurm-wlm >/dev/null
fi

if ! sinfo -h >/dev/null 2>&1; then
    host=$(hostname)
    mkdir -p "$work/state/save" "$work/state/spool" "$work/state/log"
    [ -f "$conf" ] && cp "$conf" "$work/slurm.conf.orig"
    $sudo mkdir -p /etc/slurm
    cat > "$work/slurm.conf" <<CONF
ClusterName=local
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state/save
SlurmdSpoolDir=$work/state/spool
SlurmctldPidFile=$work/state/slurmctld.pid
SlurmdPidFile=$work/state/slurmd.pid
SlurmctldLogFile=$work/state/log/ctld.log
SlurmdLogFile=$work/state/log/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
NodeName=$host CPUs=$(nproc) RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    $sudo cp "$work/slurm.conf" "$conf"
    if ! munge -n >/dev/null 2>&1; then
        $sudo mkdir -p /run/munge && $sudo chown munge:munge /run/munge
        $sudo runuser -u munge -- /usr/sbin/munged
        munge_started=1
        for _ in $(seq 40); do munge -n >/dev/null 2>&1 && break; sleep 0.25; done
    fi
    we_started=1
    $sudo /usr/sbin/slurmctld
    $sudo /usr/sbin/slurmd
    for _ in $(seq 60); do
        sinfo -h -o %t 2>/dev/null | grep -q idle && break
        sleep 0.5
    done
    sinfo -h -o %t | grep -q idle || { echo "slurm test: the node did not become idle" >&2; cat "$work/state/log/"*.log >&2; exit 1; }
fi

# A small sweep over a two-task scenario.
cp "$here/../../Scenarios/county-councils.yaml" "$work/base.yaml"
cat > "$work/sweep.yaml" <<SWEEP
dxmap-sweep: 1
scenario: base.yaml
draws: 500
seed: 3
design: { sobol: { points: 16 } }
parameters:
  - { name: ai-speed, path: roles[*].automation.beta.mean, scale: { min: 0.8, max: 1.2 } }
  - { name: pay, path: roles[*].cost_per_fte, scale: { min: 0.95, max: 1.1 } }
outputs: [total.npv, organisation[*].displaced_fte]
SWEEP

"$dxmap" sweep "$work/sweep.yaml" --db "$work/all.sqlite" 2>/dev/null
# Submitted as a user would: dxmap found on PATH, from the sweep's own directory, with relative paths.
# The scripts must name the real binary (not "dxmap" or ./dxmap), or every array task fails.
(cd "$work" && PATH="$(dirname "$dxmap"):$PATH" timeout 600 dxmap sweep sweep.yaml --slurm 4 --db cluster --submit --wait)
grep -q "^exec $dxmap " "$work/cluster/sweep-array.sbatch" || { echo "slurm test: the array script does not exec $dxmap" >&2; exit 1; }
"$dxmap" export "$work/all.sqlite" --csv "$work/all-csv" >/dev/null
"$dxmap" export "$work/cluster/results.sqlite" --csv "$work/cluster-csv" >/dev/null
# same_files DIR_A DIR_B WHAT FILE...: each FILE must be byte-identical in both directories.
same_files() {
    local a=$1 b=$2 what=$3; shift 3
    for f in "$@"; do
        if ! cmp -s "$a/$f" "$b/$f"; then
            echo "slurm test: $f differs between the Slurm $what and the unsharded one" >&2
            diff "$a/$f" "$b/$f" | head >&2
            exit 1
        fi
    done
}
same_files "$work/all-csv" "$work/cluster-csv" "array run" design.csv results.csv
shards=$(ls "$work/cluster"/shard-*.sqlite | wc -l)

# A directory whose name bash and sbatch would both misread if it were pasted raw: sbatch must read the quoted
# #SBATCH --output (each task's own log, % kept), bash must run nothing in it, and the merge must land there.
odd="$work/odd dir \$(touch PWNED) \`touch PWNED\` \"dq\" 'sq' 50%"
(cd "$work" && timeout 600 "$dxmap" sweep sweep.yaml --slurm 2 --db "$odd" --submit --wait >/dev/null)
for f in logs/shard-0.out logs/shard-1.out logs/merge.out results.sqlite; do
    [ -e "$odd/$f" ] || { echo "slurm test: $f is missing from the oddly named directory" >&2; ls -la "$odd" "$odd/logs" >&2; exit 1; }
done
if find "$work" / -maxdepth 1 -name PWNED 2>/dev/null | grep -q .; then echo "slurm test: a path ran as a command" >&2; exit 1; fi
"$dxmap" export "$odd/results.sqlite" --csv "$work/odd-csv" >/dev/null
same_files "$work/all-csv" "$work/odd-csv" "array run into an oddly named directory" design.csv results.csv

# A sensitivity study on the same sweep: a 3-task array, then merge and analysis in the dependent job.
"$dxmap" sensitivity "$work/sweep.yaml" --method sobol --base 8 --resamples 100 --db "$work/sens.sqlite" --out "$work/sens" >/dev/null 2>&1
timeout 600 "$dxmap" sensitivity "$work/sweep.yaml" --method sobol --base 8 --resamples 100 --slurm 3 \
    --db "$work/sens-cluster" --out "$work/sens-cluster-out" --submit --wait >/dev/null 2>&1
same_files "$work/sens" "$work/sens-cluster-out" "sensitivity run" sensitivity.csv points.csv
echo "slurm test: OK: a ${shards}-task job array and its dependent merge reproduce the unsharded sweep exactly (also into a directory named with \$(…), backticks, quotes and %), and a 3-task sensitivity array its sensitivity.csv ($(( $(date +%s) - started_at )) s)"
