package dev.panamavgpu.qxl;

/**
 * Figures of one QXL device, taken on its loop thread. {@code heldCommands}/{@code heldBytes}: guest
 * command memory the host still holds (undrawn drawables); {@code unpublishedReleases}: released
 * commands waiting for the release ring to have room.
 */
public record QxlStats(long heldCommands, long heldBytes, int unpublishedReleases, long released, long releaseListsPushed,
                       int liveSurfaces, long surfaceBytes, boolean primary, long commandsProcessed, long skipped,
                       long dropped, long surfaceRefusals, long oomCount, int memslots, String bug,
                       boolean cursorVisible, int cursorX, int cursorY, int cursorWidth, int cursorHeight) {}
