#!/bin/sh
# Fuzzes each libFuzzer target for FUZZ_SECONDS (default 60), from the seeds
# in tests/corpus plus what earlier runs found (tests/fuzz-work/TARGET/corpus
# in the build tree). A finding is left there as crash-*, leak-*, timeout-*
# or oom-*: add it to tests/corpus and as a unit test, then fix.
. "$top_srcdir/tests/lib.sh"
seconds=${FUZZ_SECONDS:-60}

for target in decode device; do
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
		"$work/corpus" "$top_srcdir/tests/corpus/$target" >"$work/run.log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/run.log")
	findings=$(ls "$work" | grep -cE '^(crash|leak|timeout|oom)-')
	if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
		echo "# exit status $status; findings in $work:"
		ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | sed 's/^/#   /'
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$work/run.log" | head -5 | sed 's/^/#   /'
	fi
	ok $(( status == 0 && findings == 0 ? 0 : 1 )) \
		"fuzz_$target: $seconds s, ${runs:-no} executions, no finding"
done
done_testing
