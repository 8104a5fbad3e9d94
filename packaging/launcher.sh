#!/bin/sh
# /usr/bin/panama-vgpu: starts the backend on the runtime that ships with the package.
# It answers --print-capabilities itself: libvirt runs that probe before every domain start,
# and starting a JVM for it would take ten times longer. scripts/package wrote the answer
# below from the Java code's own (Main.CAPABILITIES), so the two cannot diverge.
if [ $# -eq 1 ] && { [ "$1" = --print-capabilities ] || [ "$1" = -c ]; }; then
  printf '%s\n' '@CAPABILITIES@'
  exit 0
fi
dir=@LIBDIR@
exec "$dir/runtime/bin/java" @JAVA_OPTIONS@ -jar "$dir/lib/panama-vgpu.jar" "$@"
