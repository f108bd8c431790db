#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Fuzzes each libFuzzer target for FUZZ_SECONDS (default 60), from the seeds
# in tests/corpus plus what earlier runs found (tests/fuzz-work/TARGET/corpus
# in the build tree). A finding is left there as crash-*, leak-*, timeout-*
# or oom-*: add it to tests/corpus and as a unit test, then fix.
. "$top_srcdir/tests/lib.sh"
seconds=${FUZZ_SECONDS:-60}


# fuzz_framing runs on datagrams too: it starts from the decoder's seeds.
seeds_of() { case $1 in framing) echo decode ;; *) echo "$1" ;; esac; }
for target in decode device framing udp_extract; do
	fuzzer="$top_builddir/tests/fuzz_$target"
	if [ ! -x "$fuzzer" ]; then
		skip "fuzz_$target is not built: configure found no clang with libFuzzer"
		continue
	fi
	work="$top_builddir/tests/fuzz-work/$target"
	mkdir -p "$work/corpus"
	# -max_len: the decoder's paths are all reached well below a full
	# datagram, and shorter inputs fuzz faster; longer seeds are cut.
	"$fuzzer" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" \
		"$work/corpus" "$top_srcdir/tests/corpus/$(seeds_of "$target")" >"$work/run.log" 2>&1
	status=$?
	# A run that executed nothing proves nothing: libFuzzer's final
	# statistics and its "Done N runs" line must both report executions.
	runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\)$/\1/p' "$work/run.log" | tail -1)
	done_runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs in .*/\1/p' "$work/run.log" | tail -1)
	findings=$(ls "$work" | grep -cE '^(crash|leak|timeout|oom)-')
	if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
		echo "# exit status $status; findings in $work:"
		ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | sed 's/^/#   /'
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$work/run.log" | head -5 | sed 's/^/#   /'
	fi
	ok $(( status == 0 && findings == 0 ? 0 : 1 )) "fuzz_$target: $seconds s, no finding"
	if [ "${runs:-0}" -gt 0 ] && [ "${done_runs:-0}" -gt 0 ]; then
		ok 0 "fuzz_$target: $runs executions"
	else
		echo "# stat::number_of_executed_units: ${runs:-missing}; Done N runs: ${done_runs:-missing}"
		tail -5 "$work/run.log" | sed 's/^/#   /'
		ok 1 "fuzz_$target: ran executions"
	fi
done
done_testing
