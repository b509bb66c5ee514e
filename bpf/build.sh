#!/usr/bin/env bash
# Compiles every bpf/*.bpf.c into OUT_DIR/*.bpf.o (called by the collector's Maven build).
set -euo pipefail
out_dir=${1:?usage: build.sh OUT_DIR}
src_dir=$(cd "$(dirname "$0")" && pwd)
command -v clang >/dev/null || { echo "clang is missing: run ./headerlog setup (or apt-get install clang libbpf-dev)" >&2; exit 1; }
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "libbpf headers are missing: apt-get install libbpf-dev" >&2; exit 1; }
mkdir -p "$out_dir"
arch=$(uname -m)
arch_include=/usr/include/$arch-linux-gnu
# <linux/icmp.h> pulls in glibc's <sys/socket.h>. Under -target bpf glibc sees no
# CPU macro, assumes a 32-bit word (and wants gnu/stubs-32.h); BPF is LP64 like the
# host, so tell glibc which 64-bit host it is and libbpf which pt_regs layout to use.
case $arch in
  x86_64) arch_defs=(-D__x86_64__ -D__TARGET_ARCH_x86) ;;
  aarch64) arch_defs=(-D__aarch64__ -D__TARGET_ARCH_arm64) ;;
  *) echo "bpf/build.sh: unsupported architecture $arch (x86_64 and aarch64 are supported)" >&2; exit 1 ;;
esac
for src in "$src_dir"/*.bpf.c; do
  obj="$out_dir/$(basename "${src%.c}").o"
  clang -O2 -g -Wall -Werror -target bpf "${arch_defs[@]}" \
    -I"$src_dir" -I"$arch_include" -c "$src" -o "$obj"
done
