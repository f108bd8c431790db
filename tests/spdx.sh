#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Every source, script and build file the project wrote names its licence
# in an SPDX line within its first 3 lines. The files come from git when
# the source tree is a clone, else (a release tarball, as make distcheck
# unpacks it) from the tree itself.
. "$top_srcdir/tests/lib.sh"

# Files that are ours but cannot hold a comment, or are data: the licence
# itself, prose, test inputs, and the Debian files whose formats have no
# comments (debian/copyright names the licence in its own fields).
exempt() {
	case $1 in
	LICENSE | README | */README | tests/corpus/* | tests/docker-cache/* | \
	debian/changelog | debian/copyright | debian/source/format | debian/compat) return 0 ;;
	esac
	return 1
}

# Source, script and build files: by name, or a #! line.
is_source() {
	case $1 in
	*.c | *.h | *.sh | *.py | *.in | *.am | *.ac | *.m4 | *.1 | *.7 | \
	*/Dockerfile* | Dockerfile* | .dockerignore | .gitignore | debian/*) return 0 ;;
	esac
	head -c 2 "$top_srcdir/$1" 2>/dev/null | grep -q '^#!'
}

list=$WORK/files
if git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1 &&
	git -C "$top_srcdir" ls-files >"$list" 2>/dev/null && [ -s "$list" ]; then
	from="git ls-files"
elif [ -f "$top_srcdir/configure.ac" ] && [ -f "$top_srcdir/Makefile.am" ]; then
	# A tarball: what it holds is what was distributed, minus what
	# autotools generated in it (configure, Makefile.in, build-aux/, m4/
	# macros from aclocal and libtool) and the build and install trees
	# make distcheck makes inside it (_build/, _inst/).
	(cd "$top_srcdir" && find . -type f \
		! -path './build-aux/*' ! -path './autom4te.cache/*' ! -path './m4/*' \
		! -name configure ! -name Makefile.in ! -name aclocal.m4 ! -name config.h.in \
		! -path './build/*' ! -path './build-asan/*' ! -path '*/.git/*' \
		! -path './_build/*' ! -path './_inst/*' |
		sed 's|^\./||' | sort) >"$list"
	from="the source tree"
else
	skip "neither git nor a source tree to list files from"
	done_testing
	exit 0
fi

checked=0
missing=
while IFS= read -r f; do
	exempt "$f" && continue
	is_source "$f" || continue
	[ -f "$top_srcdir/$f" ] || continue
	checked=$((checked + 1))
	head -n 3 "$top_srcdir/$f" | grep -q 'SPDX-License-Identifier: ' || missing="$missing $f"
done <"$list"

ok $((checked > 0 ? 0 : 1)) "files to check found ($checked, from $from)"
if [ -z "$missing" ]; then
	ok 0 "every source, script and build file has an SPDX line in its first 3 lines"
else
	n=$(echo $missing | wc -w)
	echo "# $n files without SPDX-License-Identifier in their first 3 lines:"
	for f in $missing; do echo "#   $f"; done
	ok 1 "every source, script and build file has an SPDX line in its first 3 lines ($n missing)"
fi
for f in LICENSE; do
	grep -q 'BSD 3-Clause License' "$top_srcdir/$f" 2>/dev/null
	ok $? "$f holds the BSD 3-Clause licence"
done
done_testing
