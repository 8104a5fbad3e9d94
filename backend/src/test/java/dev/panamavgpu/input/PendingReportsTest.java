package dev.panamavgpu.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingReportsTest {
    private static InputReport key(int code) {
        return new InputReport(List.of(new InputEvent(Evdev.EV_KEY, code, 1), InputEvent.SYN), false);
    }

    private static InputReport move(int x, int y) {
        return new InputReport(List.of(new InputEvent(Evdev.EV_ABS, Evdev.ABS_X, x), new InputEvent(Evdev.EV_ABS, Evdev.ABS_Y, y),
                InputEvent.SYN), true);
    }

    private static List<InputEvent> drain(PendingReports p) {
        List<InputEvent> out = new ArrayList<>();
        InputEvent e;
        while ((e = p.peek()) != null) {
            out.add(e);
            p.taken();
        }
        return out;
    }

    @Test
    void boundedByCountDroppingTheOldest() {
        PendingReports p = new PendingReports(4);
        assertTrue(p.offer(key(1)));
        for (int c = 2; c <= 10; c++) assertFalse(p.offer(key(c)));
        assertEquals(4, p.size());
        assertEquals(6, p.dropped());
        List<InputEvent> got = drain(p);
        assertEquals(8, got.size());
        assertEquals(7, got.get(0).code()); // 7, 8, 9, 10 survive
        assertEquals(10, got.get(6).code());
        assertNull(p.peek());
    }

    private static InputReport keyValue(int code, int value) {
        return new InputReport(List.of(new InputEvent(Evdev.EV_KEY, code, value), InputEvent.SYN), false);
    }

    @Test
    void aFloodDropsPressesBeforeReleasesAndKeepsEachKeysLastRelease() {
        PendingReports p = new PendingReports(4);
        p.offer(keyValue(30, 1));
        p.offer(keyValue(30, 0)); // must survive: nothing later touches KEY_A
        for (int i = 0; i < 20; i++) p.offer(keyValue(48, i % 2 == 0 ? 1 : 0)); // B down/up, over and over
        List<InputEvent> got = drain(p);
        assertEquals(new InputEvent(Evdev.EV_KEY, 30, 0), got.get(0));
        assertEquals(new InputEvent(Evdev.EV_KEY, 48, 0), got.get(got.size() - 2)); // B ends released too
        assertEquals(4, got.size() / 2);
        assertEquals(18, p.dropped());
    }

    @Test
    void fewerKeysThanTheBoundSoAQueueOfReleasesAlwaysHasOneToDrop() {
        assertTrue(InputConfigSpace.keyCodeCount() < InputService.PENDING_REPORTS, "keys " + InputConfigSpace.keyCodeCount());
    }

    @Test
    void motionCoalescesIntoTheWaitingMotion() {
        PendingReports p = new PendingReports(4);
        p.offer(key(1));
        p.offer(move(1, 1));
        p.offer(move(2, 2));
        p.offer(move(3, 3));
        assertEquals(2, p.size());
        assertEquals(2, p.coalesced());
        List<InputEvent> got = drain(p);
        assertEquals(List.of(new InputEvent(Evdev.EV_KEY, 1, 1), InputEvent.SYN, new InputEvent(Evdev.EV_ABS, Evdev.ABS_X, 3),
                new InputEvent(Evdev.EV_ABS, Evdev.ABS_Y, 3), InputEvent.SYN), got);
    }

    @Test
    void aHalfDeliveredReportIsNeitherDroppedNorMerged() {
        PendingReports p = new PendingReports(2);
        p.offer(move(1, 1));
        p.taken(); // ABS_X of (1,1) is in a guest buffer
        p.offer(move(2, 2)); // must not merge into the half-delivered head
        p.offer(key(5));     // full: drops (2,2), keeps the head
        List<InputEvent> got = drain(p);
        assertEquals(List.of(new InputEvent(Evdev.EV_ABS, Evdev.ABS_Y, 1), InputEvent.SYN, new InputEvent(Evdev.EV_KEY, 5, 1),
                InputEvent.SYN), got);
    }
}
