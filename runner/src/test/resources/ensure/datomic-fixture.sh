#!/usr/bin/env bash
# Stands in for Datomic's bin/datomic in tests (there is no Datomic distribution here). It behaves as Datomic's
# ensure commands are documented to: read IN, fill in the generated keys that are blank or absent (a blank key in
# place, an absent one appended), keep everything else, write OUT.
# DATOMIC_FIXTURE_MODE: good (default) | drop-key (also removes memory-index-max: must be refused) |
#                       fail (writes its names, then exits 1)
# DATOMIC_FIXTURE_LOG: a file to record each invocation in.
cmd=$1 in=$2 out=$3
mode=${DATOMIC_FIXTURE_MODE:-good}
[ -n "${DATOMIC_FIXTURE_LOG:-}" ] && echo "$cmd $in $out" >>"$DATOMIC_FIXTURE_LOG"
work=$(mktemp)
cp "$in" "$work"

declared() { grep -qE "^$1=" "$work"; }
value() { grep -E "^$1=" "$work" | tail -n 1 | cut -d= -f2-; }
fill() {
  local key=$1 val=$2
  if declared "$key"; then
    if [ -z "$(value "$key")" ]; then
      sed -i "s|^$key=.*|$key=$val|" "$work"
    else
      echo "$key=$(value "$key") (kept)"
      return
    fi
  else
    echo "$key=$val" >>"$work"
  fi
  echo "$key=$val (generated)"
}

case "$cmd" in
  ensure-transactor)
    echo "Ensuring transactor for $(value aws-dynamodb-table)"
    declared aws-dynamodb-table || fill aws-dynamodb-table datomic
    fill aws-transactor-role datomic-aws-transactor
    fill aws-peer-role datomic-aws-peer
    declared aws-s3-log-bucket-id && fill aws-s3-log-bucket-id "datomic-logs-$(cat /proc/sys/kernel/random/uuid)"
    ;;
  ensure-cf)
    echo "Ensuring security group $(value aws-security-group)"
    fill java-xmx 2625m
    declared java-opts || { echo "java-opts=" >>"$work"; echo "java-opts= (generated)"; }
    fill datomic-version 1.0.9999
    ;;
  *)
    echo "unknown command $cmd" >&2
    exit 2
    ;;
esac

[ "$mode" = drop-key ] && sed -i '/^memory-index-max=/d' "$work"
cp "$work" "$out"
rm -f "$work"
if [ "$mode" = fail ]; then
  echo "com.amazonaws.AmazonServiceException: Rate exceeded" >&2
  exit 1
fi
