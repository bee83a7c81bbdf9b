#!/usr/bin/env bash
# A throw-away single-node SLURM on this machine, for testing the workflow's
# SLURM profile against the real scheduler.
#
#   bash tests/slurm/local_slurm.sh DIR COMMAND [ARG...]
#
# Installs Debian's slurm-wlm and munge if they are missing, writes slurm.conf
# and SLURM's state, spool, logs and PID files under DIR (munged keeps its own
# under /run/munge and /var/log/munge), starts munged (unless one runs),
# slurmctld and slurmd, waits until the node is idle, runs COMMAND with
# SLURM_CONF pointing at DIR/slurm.conf, then stops the daemons it started by
# their PID files. Exits with COMMAND's status and prints the daemons' logs when
# anything failed. Needs root and the default SLURM ports (6817, 6818); works
# without systemd or cgroups. Every wait is bounded; LOCAL_SLURM_TIMEOUT
# (seconds, default 1200) bounds COMMAND.
set -euo pipefail

if (($# < 2)); then
  echo "usage: $0 DIR COMMAND [ARG...]" >&2
  exit 2
fi
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
shift
COMMAND_TIMEOUT=${LOCAL_SLURM_TIMEOUT:-1200}
export SLURM_CONF="$DIR/slurm.conf"
MUNGE_PID_FILE=/run/munge/munged.pid
MUNGE_LOG=/var/log/munge/munged.log
STARTED_PID_FILES=()
COMMAND_PID=

log() { echo "local_slurm: $*" >&2; }

print_logs() {
  local file
  for file in "$DIR"/log/*.log "$MUNGE_LOG"; do
    [[ -f $file ]] || continue
    echo "----- $file (last 80 lines) -----" >&2
    tail -n 80 "$file" >&2
  done
}

# A process that has exited but that nobody reaps (PID 1 here may not) stays a
# zombie: it holds no resources, so it counts as stopped.
running() {
  local state
  state=$(ps -o stat= -p "$1" 2> /dev/null) || return 1
  [[ $state != Z* ]]
}

stop_daemon() {
  local pid_file=$1 pid
  [[ -s $pid_file ]] || return 0
  pid=$(< "$pid_file")
  running "$pid" || return 0
  kill -TERM "$pid" 2> /dev/null || true
  if ! timeout 30 bash -c "$(declare -f running); while running $pid; do sleep 0.5; done"; then
    log "$(basename "$pid_file" .pid) ignored SIGTERM for 30 s, killing it"
    kill -KILL "$pid" 2> /dev/null || true
  fi
}

stop_all() {
  local status=$?
  trap - EXIT
  if [[ -n $COMMAND_PID ]] && kill -TERM "$COMMAND_PID" 2> /dev/null; then
    # Stopped from outside: Snakemake cancels its SLURM jobs on SIGTERM.
    timeout 90 tail --pid="$COMMAND_PID" -f /dev/null || true
  fi
  # Jobs left by a command that timed out would keep running under slurmd.
  [[ -f $SLURM_CONF ]] && timeout 10 scancel --user "$(id -un)" 2> /dev/null || true
  local index
  # Reverse order of starting: slurmd, slurmctld, then munged.
  for ((index = ${#STARTED_PID_FILES[@]} - 1; index >= 0; index--)); do
    stop_daemon "${STARTED_PID_FILES[index]}"
  done
  # slurmd's link to its config cache, which is about to go with DIR.
  if [[ $(readlink /run/slurm/conf) == "$DIR"/* ]]; then
    rm -f /run/slurm/conf
  fi
  if ((status == 124)); then
    log "COMMAND did not finish within $COMMAND_TIMEOUT s (LOCAL_SLURM_TIMEOUT)"
  fi
  if ((status != 0)); then
    log "failed with status $status"
    print_logs
  fi
  exit "$status"
}
trap stop_all EXIT
# A signal ends the script through stop_all too.
trap 'exit 143' TERM INT

install_packages() {
  local missing=()
  command -v slurmctld > /dev/null || missing+=(slurmctld)
  command -v slurmd > /dev/null || missing+=(slurmd)
  command -v sbatch > /dev/null || missing+=(slurm-client)
  command -v munged > /dev/null || missing+=(munge)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]}"
  timeout 300 apt-get update -qq
  # Debian's policy here refuses to start services, so packages only install.
  DEBIAN_FRONTEND=noninteractive timeout 600 \
    apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null
}

start_munge() {
  if timeout 10 bash -c 'munge -n | unmunge' > /dev/null 2>&1; then
    log "munged is already running; using it"
    return
  fi
  local key=/etc/munge/munge.key
  if [[ ! -s $key ]]; then
    install -d -o munge -g munge -m 0700 /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of="$key" status=none
  fi
  chown munge:munge "$key"
  chmod 0400 "$key"
  # Munge's own folders: DIR may be closed to the munge user.
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  rm -f "$MUNGE_PID_FILE"
  runuser -u munge -- /usr/sbin/munged --pid-file="$MUNGE_PID_FILE" --log-file="$MUNGE_LOG"
  STARTED_PID_FILES+=("$MUNGE_PID_FILE")
  timeout 20 bash -c 'until munge -n | unmunge > /dev/null 2>&1; do sleep 0.5; done'
}

write_slurm_conf() {
  local host node
  host=$(hostname -s)
  # The node's real CPUs, sockets and memory, as slurmd measures them.
  node=$(slurmd -C | head -n 1)
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/run"
  cat > "$SLURM_CONF" << CONF
ClusterName=local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
# No systemd, no cgroups: track job processes through /proc, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
# No accounting daemon: finished jobs are known only to slurmctld, for
# MinJobAge seconds, which must stay above the status checks' delay.
MinJobAge=600
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
# slurmd fetches this file from slurmctld and caches it where commands inside
# jobs find it (/run/slurm/conf): the SLURM executor drops SLURM_CONF from
# the environment of the srun it runs inside each job.
SlurmctldParameters=enable_configless
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

start_slurm() {
  rm -f "$DIR/run/slurmctld.pid" "$DIR/run/slurmd.pid"
  # -c: start from a clean state, without the jobs of an earlier run.
  slurmctld -c
  STARTED_PID_FILES+=("$DIR/run/slurmctld.pid")
  env -u SLURM_CONF slurmd --conf-server 127.0.0.1
  STARTED_PID_FILES+=("$DIR/run/slurmd.pid")
  log "waiting for the node to become idle"
  timeout 60 bash -c 'until [[ $(sinfo --noheader --format=%t 2> /dev/null) == idle ]]; do sleep 1; done'
  sinfo >&2
}

install_packages
start_munge
write_slurm_conf
start_slurm
# In the background, so that a signal interrupts the wait at once.
timeout --kill-after=60 "$COMMAND_TIMEOUT" "$@" &
COMMAND_PID=$!
wait "$COMMAND_PID"
