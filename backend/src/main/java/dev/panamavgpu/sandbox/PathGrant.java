package dev.panamavgpu.sandbox;

import java.nio.file.Path;

/**
 * One Landlock rule: {@code access} (Landlock.FS_* bits) beneath {@code path}, or on it if it is a file.
 *
 * @param why the reason, for the documentation and the debug log
 */
record PathGrant(Path path, long access, String why) {}
