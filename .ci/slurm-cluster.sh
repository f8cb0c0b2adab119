#!/usr/bin/env bash
# A real single-node Slurm cluster for CI (see shared/SLURM.md): `start` installs slurm-wlm and munge
# when missing, writes the configuration, starts munged, slurmctld and slurmd and waits until the
# node is idle; `stop` stops exactly the daemons `start` started (by their pid files).
set -euo pipefail
base=/tmp/flowcert-slurm
case "${1:-}" in
  start)
    if ! command -v slurmctld > /dev/null || ! command -v munged > /dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq > /dev/null
      apt-get install -y -qq --no-install-recommends slurm-wlm munge > /dev/null
    fi
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(free -m | awk '/^Mem:/ {print int($2 * 0.9)}')
    mkdir -p "$base"/{state,spool,log} /etc/slurm
    cat > /etc/slurm/slurm.conf <<CONF
ClusterName=flowcert-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$base/state
SlurmdSpoolDir=$base/spool
SlurmctldPidFile=$base/slurmctld.pid
SlurmdPidFile=$base/slurmd.pid
SlurmctldLogFile=$base/log/slurmctld.log
SlurmdLogFile=$base/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    install -d -o munge -g munge -m 755 /run/munge
    [[ -f /etc/munge/munge.key ]] || { /usr/sbin/mungekey -c 2> /dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2> /dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
    su -s /bin/sh munge -c /usr/sbin/munged
    cp /run/munge/munged.pid "$base/munged.pid"
    slurmctld -i
    slurmd
    for ((i = 0; i < 120; i++)); do
      sinfo -h -o %t 2> /dev/null | grep -qx idle && { echo "slurm: node $host idle"; exit 0; }
      sleep 0.5
    done
    echo "slurm: the node did not become idle within 60 s" >&2
    tail -5 "$base/log/slurmctld.log" "$base/log/slurmd.log" >&2 || true
    exit 1
    ;;
  stop)
    scontrol shutdown 2> /dev/null || true
    for f in slurmctld slurmd; do
      for ((i = 0; i < 20; i++)); do
        [[ -f "$base/$f.pid" ]] && kill -0 "$(cat "$base/$f.pid")" 2> /dev/null || break
        sleep 0.5
      done
      [[ -f "$base/$f.pid" ]] && kill "$(cat "$base/$f.pid")" 2> /dev/null || true
    done
    if [[ -f "$base/munged.pid" ]]; then
      kill "$(cat "$base/munged.pid")" 2> /dev/null || true
      rm -f "$base/munged.pid"
    fi
    echo "slurm: stopped"
    ;;
  *)
    echo "usage: .ci/slurm-cluster.sh start|stop" >&2
    exit 2
    ;;
esac
