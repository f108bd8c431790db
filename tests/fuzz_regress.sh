#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The seed corpus as a regression test: every file in tests/corpus runs once
# through its libFuzzer target (ASan, UBSan and the targets' own checks).
. "$top_srcdir/tests/lib.sh"

# fuzz_framing runs on datagrams too: it starts from the decoder's seeds.
seeds_of() { case $1 in framing) echo decode ;; *) echo "$1" ;; esac; }
for target in decode device framing udp_extract; do
	fuzzer="$top_builddir/tests/fuzz_$target"
	seeds="$top_srcdir/tests/corpus/$(seeds_of "$target")"
	if [ ! -x "$fuzzer" ]; then
		skip "fuzz_$target is not built: configure found no clang with libFuzzer"
		continue
	fi
	work="$top_builddir/tests/fuzz-work/$target"
	mkdir -p "$work"
	count=$(ls "$seeds" | wc -l)
	"$fuzzer" -artifact_prefix="$work/" "$seeds"/* >"$work/regress.log" 2>&1
	status=$?
	ran=$(grep -c '^Executed ' "$work/regress.log")
	if [ "$status" -ne 0 ] || [ "$ran" -ne "$count" ]; then
		echo "# exit status $status, $ran of $count seeds run; the end of $work/regress.log:"
		tail -40 "$work/regress.log" | sed 's/^/#   /'
	fi
	ok $(( status == 0 && ran == count ? 0 : 1 )) "fuzz_$target: each of the $count seeds runs clean"
done
done_testing
