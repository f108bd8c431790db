# SPDX-License-Identifier: BSD-3-Clause
# Shared podman setup for the container tests (tests/docker.sh,
# tests/debian_package.sh), sourced after tests/lib.sh: skips the whole
# test unless root, podman and runc are there; makes a private podman store
# under $WORK, removed at exit; imports a debian:bookworm-slim made locally
# with debootstrap (no registry is needed), whose tarball is kept in
# $SFLOW_DOCKER_CACHE (default $top_builddir/tests/docker-cache) so reruns
# skip debootstrap. Defines pod (podman with that store and a time limit),
# show_log and skip_all.
#
# Needs root, podman, runc and (until the base image is cached) debootstrap:
#     apt-get install -y podman runc debootstrap

CACHE=${SFLOW_DOCKER_CACHE:-$top_builddir/tests/docker-cache}
BASE_TAR=$CACHE/debian-bookworm-slim.tar.gz

skip_all() {
	skip "$1"
	done_testing
	exit 0
}
command -v podman >/dev/null 2>&1 ||
	skip_all "podman is not installed (Debian: apt-get install -y podman runc debootstrap)"
command -v runc >/dev/null 2>&1 ||
	skip_all "runc is not installed (Debian: apt-get install -y runc)"
[ "$(id -u)" -eq 0 ] || skip_all "needs root: the test uses rootful podman"
if [ ! -s "$BASE_TAR" ] && ! command -v debootstrap >/dev/null 2>&1; then
	skip_all "debootstrap is not installed and no base image is cached in $CACHE"
fi

# Host quirks (see container-notes): no CAP_SYS_RESOURCE for podman's default
# rlimits, a hybrid cgroup layout crun refuses. Everything podman keeps
# (images, containers, logs, events, network configs) lives in $WORK.
PODMAN_DIR=$WORK/podman
mkdir -p "$PODMAN_DIR/tmp" "$PODMAN_DIR/networks"
cat >"$PODMAN_DIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[network]
network_config_dir = "$PODMAN_DIR/networks"
EOF
CONTAINERS_CONF=$PODMAN_DIR/containers.conf
export CONTAINERS_CONF
pod() { # pod SECONDS ARGS...: podman with the private store, killed after SECONDS
	limit=$1
	shift
	timeout "$limit" podman --root "$PODMAN_DIR/storage" --runroot "$PODMAN_DIR/run" \
		--tmpdir "$PODMAN_DIR/tmp" "$@"
}
cleanup_podman() {
	pod 60 rm -af -t 0 >/dev/null 2>&1
	pod 120 system reset -f >/dev/null 2>&1
	# Whatever reset left mounted under $WORK must not stop rm -rf.
	grep -o " $WORK/[^ ]*" /proc/mounts 2>/dev/null | sort -r |
		while read -r mnt; do umount -l "$mnt" 2>/dev/null; done
}
trap 'cleanup_podman; cleanup_work' EXIT
trap 'exit 1' INT TERM HUP

show_log() { tail -n "${2:-30}" "$1" | sed 's/^/#   /'; }

# The base image: debootstrap of bookworm from the host's own mirror,
# slimmed like bookworm-slim; cached as a tarball.
if [ ! -s "$BASE_TAR" ]; then
	mirror=$(awk '$1 == "URIs:" { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++)
		if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	rootfs=$WORK/rootfs
	timeout 600 debootstrap --variant=minbase bookworm "$rootfs" "$mirror" \
		>"$WORK/debootstrap.log" 2>&1
	status=$?
	ok "$status" "debootstrap bookworm from $mirror"
	if [ "$status" -ne 0 ]; then
		show_log "$WORK/debootstrap.log"
		done_testing
		exit 1
	fi
	# As bookworm-slim: no apt lists or caches, docs (but copyrights),
	# man pages or locales, now or in later installs.
	cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
	# Like its apt.conf.d/docker-clean: no package caches after installs.
	cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
	rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
		"$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/usr/share/man/* \
		"$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log
	find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
	mkdir -p "$CACHE"
	tar --numeric-owner -C "$rootfs" -czf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
	ok $? "base image tarball cached in $CACHE"
	rm -rf "$rootfs"
fi
pod 120 import --change 'CMD ["bash"]' "$BASE_TAR" \
	docker.io/library/debian:bookworm-slim >"$WORK/import.log" 2>&1
status=$?
ok "$status" "base image imported as debian:bookworm-slim"
[ "$status" -eq 0 ] || { show_log "$WORK/import.log"; done_testing; exit 1; }
