#!/usr/bin/env bash
# Installs the PortNote configuration profile (columns, colouring rules,
# filter buttons) into your Wireshark configuration folder, or into
# $WIRESHARK_CONFIG_DIR when that is set.  Use it with `wireshark -C PortNote`
# or Edit > Configuration Profiles.
#   usage: tools/install-profile.sh [CONFIG_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
config=${1:-${WIRESHARK_CONFIG_DIR:-${XDG_CONFIG_HOME:-$HOME/.config}/wireshark}}
dest="$config/profiles/PortNote"
global_rules=/usr/share/wireshark/colorfilters

mkdir -p "$dest"
cp "$here/profile/PortNote/preferences" "$here/profile/PortNote/dfilter_buttons" "$here/profile/PortNote/recent" "$dest/"
# A profile's colorfilters replaces the default rules: put ours first and keep
# Wireshark's own after them.
{
    echo "# PortNote profile: risk rules first, then Wireshark's default rules."
    cat "$here/profile/PortNote/colorfilters.portnote"
    if [ -r "$global_rules" ]; then grep -v '^#' "$global_rules"; fi
} >"$dest/colorfilters"
echo "Installed the PortNote profile in $dest"
