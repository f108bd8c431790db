#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Generates configure and Makefile.in; the TAP driver comes from the local automake.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf -fi
cp "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
