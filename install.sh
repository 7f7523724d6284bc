#!/usr/bin/env bash
# Build and install wsaevents for C and C++: the headers, the static and shared libraries,
# wsaevents.pc (pkg-config) and the CMake package (find_package(wsaevents)).
#
#   ./install.sh                                  # build, then install into /usr/local
#   PREFIX=$HOME/.local ./install.sh              # anywhere else
#   DESTDIR=/tmp/stage PREFIX=/usr ./install.sh   # staged, for packagers
#   ./install.sh build && sudo ./install.sh install   # build as yourself, install as root
#                                                 # (the install step needs no cargo)
#   ./install.sh uninstall                        # remove what install put there (same PREFIX)
#
# Variables (all optional): PREFIX (default /usr/local), LIBDIR (default $PREFIX/lib),
# INCLUDEDIR (default $PREFIX/include), DESTDIR (default empty), PROFILE (cargo profile,
# default release), CARGO (default cargo); CARGO_TARGET_DIR is honoured.
#
# It lays out what cargo-c's `cargo cinstall` lays out from [package.metadata.capi] in
# Cargo.toml (users who have cargo-c can run `cargo cinstall --release --prefix=...`
# instead; only the CMake package's folder differs, see below), without needing cargo-c,
# which has to be compiled from crates.io together with cargo itself:
#
#   $INCLUDEDIR/wsaevents/*.h, *.H          every header of include/ (Cflags: -I$INCLUDEDIR/wsaevents,
#                                           so they never shadow a Windows toolchain's own)
#   $LIBDIR/libwsaevents.a                  static library
#   $LIBDIR/libwsaevents.so.X.Y.Z           shared library, soname libwsaevents.so.<sover>
#   $LIBDIR/libwsaevents.so.<sover>, .so    symlinks           (macOS: libwsaevents.X.Y.Z.dylib,
#                                           install name $LIBDIR/libwsaevents.<sover>.dylib)
#   $LIBDIR/pkgconfig/wsaevents.pc          Libs.private from rustc's --print native-static-libs
#   $LIBDIR/cmake/wsaevents/*.cmake         (cargo cinstall: $PREFIX/share/cmake/wsaevents/)
#
# <sover> is cargo-c's: 0.Y for a 0.Y.Z version, X from 1.0 on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

CARGO=${CARGO:-cargo}
PREFIX=${PREFIX:-/usr/local}
LIBDIR=${LIBDIR:-$PREFIX/lib}
INCLUDEDIR=${INCLUDEDIR:-$PREFIX/include}
DESTDIR=${DESTDIR:-}
PROFILE=${PROFILE:-release}
name=wsaevents

case ${1:-all} in
all) do_build=1 do_install=1 do_uninstall= ;;
build) do_build=1 do_install= do_uninstall= ;;
install) do_build= do_install=1 do_uninstall= ;;
uninstall) do_build= do_install= do_uninstall=1 ;;
*) echo "usage: [PREFIX=...] [DESTDIR=...] $0 [build|install|uninstall]" >&2; exit 2 ;;
esac

for dir in "$PREFIX" "$LIBDIR" "$INCLUDEDIR"; do
    case $dir in
    /*) ;;
    *) echo "install.sh: PREFIX, LIBDIR and INCLUDEDIR must be absolute paths (got '$dir')" >&2; exit 2 ;;
    esac
done

# The version and description, from Cargo.toml's [package] (its first lines).
version=$(sed -n 's/^version *= *"\(.*\)"$/\1/p' Cargo.toml | head -n 1)
description=$(sed -n 's/^description *= *"\(.*\)"$/\1/p' Cargo.toml | head -n 1)
release=${version%%[-+]*}
IFS=. read -r major minor patch <<<"$release"
if [ "$major" = 0 ]; then sover="0.$minor"; else sover="$major"; fi

case $(uname -s) in
Darwin)
    shared_built="lib$name.dylib"
    shared_full="lib$name.$major.$minor.$patch.dylib"
    shared_main="lib$name.$sover.dylib"
    shared_link="lib$name.dylib"
    link_args=(-C "link-arg=-Wl,-install_name,$LIBDIR/$shared_main,-current_version,$major.$minor.$patch,-compatibility_version,$sover"
        -C "link-arg=-Wl,-headerpad_max_install_names")
    ;;
*)
    shared_built="lib$name.so"
    shared_full="lib$name.so.$major.$minor.$patch"
    shared_main="lib$name.so.$sover"
    shared_link="lib$name.so"
    link_args=(-C "link-arg=-Wl,-soname,$shared_main")
    ;;
esac

inc="$DESTDIR$INCLUDEDIR/$name"
lib="$DESTDIR$LIBDIR"

if [ -n "$do_uninstall" ]; then
    # Everything install put there: the headers' folder and the CMake package's are ours.
    rm -f "$lib/lib$name.a" "$lib/$shared_full" "$lib/$shared_main" "$lib/$shared_link" \
        "$lib/pkgconfig/$name.pc"
    rm -rf "$inc" "$lib/cmake/$name"
    echo "removed $name from $DESTDIR$PREFIX"
    exit 0
fi

target_dir=${CARGO_TARGET_DIR:-target}
case $PROFILE in
dev | debug) out="$target_dir/debug" ;;
*) out="$target_dir/$PROFILE" ;;
esac
# What the build step leaves for the install step, apart from cargo's own outputs (which a
# later plain cargo build would overwrite): the two libraries, and in built.txt the link
# arguments (on macOS they hold the install name, so LIBDIR) and the system libraries the
# static library needs.
stage="$out/$name-install"
built="$stage/built.txt"

if [ -n "$do_build" ]; then
    # Both library kinds in one rustc invocation (only the final crate gets the link
    # arguments), printing the system libraries the static library needs.
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    { "$CARGO" rustc --lib --profile "$PROFILE" --crate-type staticlib,cdylib -- \
        --print native-static-libs "${link_args[@]}" 2>&1 1>&3 | tee "$log" >&2; } 3>&1
    native_libs=$(sed -n 's/.*native-static-libs: *//p' "$log" | tail -n 1)
    if [ -z "$native_libs" ]; then
        echo "install.sh: rustc printed no native-static-libs line" >&2
        exit 1
    fi
    mkdir -p "$stage"
    cp "$out/lib$name.a" "$out/$shared_built" "$stage/"
    printf 'version=%s\nlink_args=%s\nnative_libs=%s\n' "$version" "${link_args[*]}" "$native_libs" >"$built"
fi
[ -n "$do_install" ] || exit 0

if [ ! -f "$built" ]; then
    echo "install.sh: nothing built in $out: run ./install.sh build first (same CARGO_TARGET_DIR, PROFILE)" >&2
    exit 1
fi
field() { sed -n "s/^$1=//p" "$built"; }
if [ "$(field version)" != "$version" ] || [ "$(field link_args)" != "${link_args[*]}" ]; then
    echo "install.sh: $out holds version $(field version) linked with '$(field link_args)':" \
        "run ./install.sh build again with this PREFIX/LIBDIR" >&2
    exit 1
fi
native_libs=$(field native_libs)

# Paths in wsaevents.pc relative to the prefix where they are under it (as cargo-c writes them).
pc_libdir=$LIBDIR
case $LIBDIR in "$PREFIX"/*) pc_libdir="\${exec_prefix}${LIBDIR#"$PREFIX"}" ;; esac
pc_includedir=$INCLUDEDIR
case $INCLUDEDIR in "$PREFIX"/*) pc_includedir="\${prefix}${INCLUDEDIR#"$PREFIX"}" ;; esac

install -d "$inc" "$lib/pkgconfig" "$lib/cmake/$name"

# Every header and every spelling of it (WINSOCK2.H too: scripts/header-spellings.txt).
shopt -s nullglob
headers=(include/*.h include/*.H)
shopt -u nullglob
install -m 644 "${headers[@]}" "$inc/"
install -m 644 "$stage/lib$name.a" "$lib/"
install -m 755 "$stage/$shared_built" "$lib/$shared_full"
ln -sf "$shared_full" "$lib/$shared_main"
ln -sf "$shared_full" "$lib/$shared_link"

cat >"$lib/pkgconfig/$name.pc" <<EOF
prefix=$PREFIX
exec_prefix=\${prefix}
libdir=$pc_libdir
includedir=$pc_includedir

Name: $name
Description: $description
Version: $version
Libs: -L\${libdir} -l$name
Cflags: -I\${includedir}/$name
Libs.private: $native_libs
EOF
chmod 644 "$lib/pkgconfig/$name.pc"

install -m 644 cmake/*.cmake "$lib/cmake/$name/"

# A shared library installed into the loader's default path is found only after ldconfig.
if [ -z "$DESTDIR" ] && [ "$(uname -s)" = Linux ] && [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then
    ldconfig || true
fi

echo "installed $name $version into $DESTDIR$PREFIX:"
echo "  ${#headers[@]} headers in $inc"
echo "  $lib/lib$name.a"
echo "  $lib/$shared_full ($shared_main, $shared_link)"
echo "  $lib/pkgconfig/$name.pc (Libs.private: $native_libs)"
echo "  $lib/cmake/$name/"
