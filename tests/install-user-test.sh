#!/usr/bin/env bash
# install-user-test.sh: `cmake --build BUILD --target install-user` and
# `uninstall-user` run by another user than the one who built (as root:
# nobody, with its own HOME): the plugin lands in that user's
# ~/.local/lib/wireshark/plugins/MAJOR.MINOR/epan and is removed again, and the
# build folder is not written (another user may not).  Run as another user,
# the build would otherwise be re-checked and fail on permissions.
#
#   tests/install-user-test.sh BUILD_DIR
# Exit 77 (skipped) when not root (no other user to become) or when nobody
# cannot read the build folder.
set -euo pipefail
SKIP=77
BUILD=$(realpath -- "$1")
fail() { echo "FAIL: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root to run the target as another user"; exit $SKIP; }
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${AS_NOBODY[@]}" test -r "$BUILD/Makefile" -o -r "$BUILD/build.ninja" \
    || { echo "SKIP: nobody cannot read $BUILD"; exit $SKIP; }
plugin=("$BUILD"/plugins/*/epan/portnote.so)
[ -f "${plugin[0]}" ] || fail "no built plugin in $BUILD: build first"
version=$(basename "$(dirname "$(dirname "${plugin[0]}")")")

HOME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/portnote-home.XXXXXX")
trap 'rm -rf "$HOME_DIR"' EXIT
chown 65534:65534 "$HOME_DIR"
before=$(find "$BUILD" -newer "${plugin[0]}" -printf '%p %T@\n' | sort)
"${AS_NOBODY[@]}" env -i PATH="$PATH" HOME="$HOME_DIR" cmake --build "$BUILD" --target install-user \
    >"$HOME_DIR.log" 2>&1 || { cat "$HOME_DIR.log" >&2; rm -f "$HOME_DIR.log"; fail "install-user as nobody failed"; }
installed="$HOME_DIR/.local/lib/wireshark/plugins/$version/epan/portnote.so"
cmp -s "${plugin[0]}" "$installed" || fail "not installed as $installed"
[ "$(stat -c %u "$installed")" = 65534 ] || fail "the copy does not belong to the user who installed it"
echo "# ok: install-user as nobody: $installed"
"${AS_NOBODY[@]}" env -i PATH="$PATH" HOME="$HOME_DIR" cmake --build "$BUILD" --target uninstall-user \
    >"$HOME_DIR.log" 2>&1 || { cat "$HOME_DIR.log" >&2; rm -f "$HOME_DIR.log"; fail "uninstall-user as nobody failed"; }
rm -f "$HOME_DIR.log"
[ ! -e "$installed" ] || fail "uninstall-user left $installed"
echo "# ok: uninstall-user as nobody"
after=$(find "$BUILD" -newer "${plugin[0]}" -printf '%p %T@\n' | sort)
[ "$before" = "$after" ] || fail "the targets wrote into the build folder: $(diff <(echo "$before") <(echo "$after"))"
echo PASS
