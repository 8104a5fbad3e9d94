#!/bin/sh
# /usr/bin/panama-vgpu: starts the backend on the runtime that ships with the package.
# It answers --print-capabilities itself: libvirt runs that probe before every domain start,
# and starting a JVM for it would take ten times longer. The answer follows the Java code's
# (Main.capabilities, checked equal by scripts/test-package): "virgl" where libvirglrenderer.so.1
# and libEGL.so.1 are installed (both Recommends), "render-node" where a DRM render node exists too.
if [ $# -eq 1 ] && { [ "$1" = --print-capabilities ] || [ "$1" = -c ]; }; then
  f=
  for d in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
    if [ -e "$d/libvirglrenderer.so.1" ] && [ -e "$d/libEGL.so.1" ]; then
      f='"virgl"'
      for n in /dev/dri/renderD*; do [ -e "$n" ] && f='"render-node", "virgl"' && break; done
      break
    fi
  done
  printf '{"type": "gpu", "features": [%s]}\n' "$f"
  exit 0
fi
dir=@LIBDIR@
exec "$dir/runtime/bin/java" @JAVA_OPTIONS@ -jar "$dir/lib/panama-vgpu.jar" "$@"
