#!/bin/sh
# fetch-runner.sh URL DEST SHA256: downloads the runner jar to DEST unless DEST already has that checksum;
# a download whose checksum differs is deleted and the step fails. Needs curl or wget, and sha256sum or shasum.
# A private repository: DATOMIC_GITOPS_REPOSITORY_USER and DATOMIC_GITOPS_REPOSITORY_PASSWORD (bound by Jenkins)
# are handed to curl on its standard input, never on a command line (which other users of the agent could read).
set -eu
url=$1
dest=$2
want=$3

sum() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d' ' -f1
    else
        shasum -a 256 "$1" | cut -d' ' -f1
    fi
}

if [ -f "$dest" ] && [ "$(sum "$dest")" = "$want" ]; then
    echo "datomic-gitops: using cached $dest"
    exit 0
fi

mkdir -p "$(dirname "$dest")"
part="$dest.part.$$"
trap 'rm -f "$part"' EXIT
# a value for curl's config file: in double quotes, with backslash and double quote escaped
config_value() {
    printf '%s' "$1" | sed 's/[\\"]/\\&/g'
}

echo "datomic-gitops: downloading $url"
if [ -n "${DATOMIC_GITOPS_REPOSITORY_USER:-}" ]; then
    if ! command -v curl >/dev/null 2>&1; then
        echo "error: a repository with credentials needs curl on the agent (wget would take the password on its command line)" >&2
        exit 1
    fi
    printf 'user = "%s:%s"\n' "$(config_value "$DATOMIC_GITOPS_REPOSITORY_USER")" \
        "$(config_value "${DATOMIC_GITOPS_REPOSITORY_PASSWORD:-}")" | curl -fsSL --retry 3 -K - -o "$part" "$url"
elif command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 3 -o "$part" "$url"
else
    wget -q -O "$part" "$url"
fi
got=$(sum "$part")
if [ "$got" != "$want" ]; then
    echo "error: $url: SHA-256 is $got, expected $want (the pinned checksum): refusing the jar" >&2
    exit 1
fi
mv -f "$part" "$dest"
echo "datomic-gitops: verified $dest (SHA-256 $want)"
