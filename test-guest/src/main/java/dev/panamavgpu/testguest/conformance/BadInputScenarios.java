package dev.panamavgpu.testguest.conformance;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;
import static dev.panamavgpu.testguest.check.Expect.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.Commands.MemEntry;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The guest-input groups of docs section 4.3 that apply to a 2D device: every bad request gets the right
 * RESP_ERR_* (a clean 24-byte response), changes nothing, and the device goes on serving.
 */
public final class BadInputScenarios {
    static final String GROUP = "bad-input";
    static final dev.panamavgpu.testguest.qemu.QemuDisplayPeer.Config DISPLAY_1024 = dev.panamavgpu.testguest.qemu.QemuDisplayPeer.Config
            .defaults().withDisplays(List.of(new dev.panamavgpu.testguest.qemu.QemuDisplayPeer.Mode(1024, 768, true)));

    private BadInputScenarios() {}

    /** Every scenario of this group, one per parameter set. */
    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(Scenario.of(GROUP, "createWithResourceIdZeroIsRefused", BadInputScenarios::createWithResourceIdZeroIsRefused));
        s.add(Scenario.of(GROUP, "createWithADuplicateIdIsRefusedAndKeepsTheOriginal", BadInputScenarios::createWithADuplicateIdIsRefusedAndKeepsTheOriginal));
        for (int v : new int[] {0, 5, 66, 100, 122, 133, 135, 0x7fffffff, -1}) s.add(Scenario.of(GROUP, "createWithAnUnknownFormatIsRefused[" + v + "]", rig -> createWithAnUnknownFormatIsRefused(rig, v)));
        s.add(Scenario.of(GROUP, "createWithZeroSizeIsRefused[0,48]", rig -> createWithZeroSizeIsRefused(rig, Long.decode("0"), Long.decode("48"))));
        s.add(Scenario.of(GROUP, "createWithZeroSizeIsRefused[64,0]", rig -> createWithZeroSizeIsRefused(rig, Long.decode("64"), Long.decode("0"))));
        s.add(Scenario.of(GROUP, "createWithZeroSizeIsRefused[0,0]", rig -> createWithZeroSizeIsRefused(rig, Long.decode("0"), Long.decode("0"))));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[0x40000001,128]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "0x40000001", "128")));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[0x40000001,65536]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "0x40000001", "65536")));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[0x8001,0x8000]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "0x8001", "0x8000")));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[0x10000,0x4000]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "0x10000", "0x4000")));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[0xFFFFFFFF,0xFFFFFFFF]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "0xFFFFFFFF", "0xFFFFFFFF")));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[0xFFFFFFFF,1]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "0xFFFFFFFF", "1")));
        s.add(Scenario.of(GROUP, "createWithAHugeSizeIsRefusedWithoutAllocating[1,0xFFFFFFFF]", rig -> createWithAHugeSizeIsRefusedWithoutAllocating(rig, "1", "0xFFFFFFFF")));
        s.add(Scenario.of(GROUP, "thousandsOfSmallResources", BadInputScenarios::thousandsOfSmallResources));
        s.add(Scenario.of(GROUP, "attachToAnUnknownResource", BadInputScenarios::attachToAnUnknownResource));
        s.add(Scenario.of(GROUP, "attachWithZeroEntries", BadInputScenarios::attachWithZeroEntries));
        for (long v : new long[] {16385, 0x10000, 0x7FFFFFFF, 0xFFFFFFFFL}) s.add(Scenario.of(GROUP, "attachAnnouncingTooManyEntries[" + Long.toUnsignedString(v) + "]", rig -> attachAnnouncingTooManyEntries(rig, v)));
        s.add(Scenario.of(GROUP, "attachWithFewerEntriesThanAnnounced", BadInputScenarios::attachWithFewerEntriesThanAnnounced));
        s.add(Scenario.of(GROUP, "attachWithTheMaximumOf16384Entries", BadInputScenarios::attachWithTheMaximumOf16384Entries));
        for (String v : new String[] {"below RAM", "past RAM end", "straddling RAM end", "wrapping u64", "u64 max", "zero length", "second entry bad"}) s.add(Scenario.of(GROUP, "attachWithAnEntryOutsideGuestRam[" + v + "]", rig -> attachWithAnEntryOutsideGuestRam(rig, v)));
        s.add(Scenario.of(GROUP, "doubleAttachIsRefusedAndKeepsTheFirstBacking", BadInputScenarios::doubleAttachIsRefusedAndKeepsTheFirstBacking));
        s.add(Scenario.of(GROUP, "attachAfterUnrefOfABackedResource", BadInputScenarios::attachAfterUnrefOfABackedResource));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0xFFFFFFFF,0,2,1,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0xFFFFFFFF", "0", "2", "1", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0xFFFFFFFF,1,2,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0xFFFFFFFF", "1", "2", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0xFFFFFFFF,0xFFFFFFFF,0xFFFFFFFF,0xFFFFFFFF,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0xFFFFFFFF", "0xFFFFFFFF", "0xFFFFFFFF", "0xFFFFFFFF", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[60,0,8,1,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "60", "0", "8", "1", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,40,64,9,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "40", "64", "9", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[64,0,1,1,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "64", "0", "1", "1", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,48,1,1,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "48", "1", "1", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,65,1,0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "65", "1", "0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,1,1,12288]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "1", "1", "12288")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,1,1,12285]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "1", "1", "12285")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,64,48,4]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "64", "48", "4")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,64,48,8000]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "64", "48", "8000")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,47,64,1,12033]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "47", "64", "1", "12033")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,1,1,0xFFFFFFFFFFFFFFF0]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "1", "1", "0xFFFFFFFFFFFFFFF0")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[0,0,1,1,0x8000000000000000]", rig -> transferOutsideTheResourceOrTheBacking(rig, "0", "0", "1", "1", "0x8000000000000000")));
        s.add(Scenario.of(GROUP, "transferOutsideTheResourceOrTheBacking[10,10,4,4,0x7FFFFFFFFFFFFFFF]", rig -> transferOutsideTheResourceOrTheBacking(rig, "10", "10", "4", "4", "0x7FFFFFFFFFFFFFFF")));
        s.add(Scenario.of(GROUP, "transferBeyondAShortBacking", BadInputScenarios::transferBeyondAShortBacking));
        s.add(Scenario.of(GROUP, "transferWithoutBackingOrResource", BadInputScenarios::transferWithoutBackingOrResource));
        for (long v : new long[] {16, 17, 255, 0x7FFFFFFF, 0xFFFFFFFFL}) s.add(Scenario.of(GROUP, "setScanoutWithAnIdOf16OrMore[" + Long.toUnsignedString(v) + "]", rig -> setScanoutWithAnIdOf16OrMore(rig, v)));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[0,0,65,48]", rig -> setScanoutWithARectOutsideTheResource(rig, "0", "0", "65", "48")));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[0,0,64,49]", rig -> setScanoutWithARectOutsideTheResource(rig, "0", "0", "64", "49")));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[1,0,64,48]", rig -> setScanoutWithARectOutsideTheResource(rig, "1", "0", "64", "48")));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[0xFFFFFFFF,0,2,48]", rig -> setScanoutWithARectOutsideTheResource(rig, "0xFFFFFFFF", "0", "2", "48")));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[0,0xFFFFFFFF,64,2]", rig -> setScanoutWithARectOutsideTheResource(rig, "0", "0xFFFFFFFF", "64", "2")));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[0x40000000,0,64,48]", rig -> setScanoutWithARectOutsideTheResource(rig, "0x40000000", "0", "64", "48")));
        s.add(Scenario.of(GROUP, "setScanoutWithARectOutsideTheResource[64,48,1,1]", rig -> setScanoutWithARectOutsideTheResource(rig, "64", "48", "1", "1")));
        s.add(Scenario.of(GROUP, "setScanoutSmallerThan16x16IsRefusedLikeQemu[15,48]", rig -> setScanoutSmallerThan16x16IsRefusedLikeQemu(rig, Long.decode("15"), Long.decode("48"))));
        s.add(Scenario.of(GROUP, "setScanoutSmallerThan16x16IsRefusedLikeQemu[64,15]", rig -> setScanoutSmallerThan16x16IsRefusedLikeQemu(rig, Long.decode("64"), Long.decode("15"))));
        s.add(Scenario.of(GROUP, "setScanoutSmallerThan16x16IsRefusedLikeQemu[1,1]", rig -> setScanoutSmallerThan16x16IsRefusedLikeQemu(rig, Long.decode("1"), Long.decode("1"))));
        s.add(Scenario.of(GROUP, "setScanoutWithAnUnknownResource", BadInputScenarios::setScanoutWithAnUnknownResource));
        s.add(Scenario.of(GROUP, "setScanoutResourceZeroDisablesTheScanout", BadInputScenarios::setScanoutResourceZeroDisablesTheScanout));
        s.add(Scenario.of(GROUP, "repeatedSetScanoutKeepsWorking", BadInputScenarios::repeatedSetScanoutKeepsWorking));
        s.add(Scenario.of(GROUP, "flushOutsideTheResource[0,0,65,48]", rig -> flushOutsideTheResource(rig, "0", "0", "65", "48")));
        s.add(Scenario.of(GROUP, "flushOutsideTheResource[0,0,64,49]", rig -> flushOutsideTheResource(rig, "0", "0", "64", "49")));
        s.add(Scenario.of(GROUP, "flushOutsideTheResource[0xFFFFFFFF,0,2,1]", rig -> flushOutsideTheResource(rig, "0xFFFFFFFF", "0", "2", "1")));
        s.add(Scenario.of(GROUP, "flushOutsideTheResource[0,0xFFFFFFFF,1,2]", rig -> flushOutsideTheResource(rig, "0", "0xFFFFFFFF", "1", "2")));
        s.add(Scenario.of(GROUP, "flushOutsideTheResource[64,0,1,1]", rig -> flushOutsideTheResource(rig, "64", "0", "1", "1")));
        s.add(Scenario.of(GROUP, "flushOfAnUnknownOrUnreferencedResource", BadInputScenarios::flushOfAnUnknownOrUnreferencedResource));
        s.add(Scenario.of(GROUP, "unrefTwiceUnknownAndZero", BadInputScenarios::unrefTwiceUnknownAndZero));
        s.add(Scenario.of(GROUP, "unrefWhileScannedOutDisablesTheScanoutFirst", BadInputScenarios::unrefWhileScannedOutDisablesTheScanoutFirst));
        s.add(Scenario.of(GROUP, "updateCursorWithANon64x64Resource[32,32]", rig -> updateCursorWithANon64x64Resource(rig, Long.decode("32"), Long.decode("32"))));
        s.add(Scenario.of(GROUP, "updateCursorWithANon64x64Resource[64,32]", rig -> updateCursorWithANon64x64Resource(rig, Long.decode("64"), Long.decode("32"))));
        s.add(Scenario.of(GROUP, "updateCursorWithANon64x64Resource[32,64]", rig -> updateCursorWithANon64x64Resource(rig, Long.decode("32"), Long.decode("64"))));
        s.add(Scenario.of(GROUP, "updateCursorWithANon64x64Resource[65,64]", rig -> updateCursorWithANon64x64Resource(rig, Long.decode("65"), Long.decode("64"))));
        s.add(Scenario.of(GROUP, "updateCursorWithANon64x64Resource[128,128]", rig -> updateCursorWithANon64x64Resource(rig, Long.decode("128"), Long.decode("128"))));
        s.add(Scenario.of(GROUP, "updateCursorWithAnUnknownResourceOrScanout", BadInputScenarios::updateCursorWithAnUnknownResourceOrScanout));
        s.add(Scenario.of(GROUP, "getEdidForAScanoutQemuDoesNotHaveFailsInTimeWhileTheQueueKeepsServing", BadInputScenarios::getEdidForAScanoutQemuDoesNotHaveFailsInTimeWhileTheQueueKeepsServing));
        s.add(Scenario.of(GROUP, "getEdidForScanout0WhileAnUnansweredGetEdidWaitsGetsScanout0sEdidPromptly", BadInputScenarios::getEdidForScanout0WhileAnUnansweredGetEdidWaitsGetsScanout0sEdidPromptly));
        s.add(Scenario.of(GROUP, "getDisplayInfoWhileAnUnansweredGetEdidWaitsGetsQemusAnswerPromptly", Setup.display(DISPLAY_1024), BadInputScenarios::getDisplayInfoWhileAnUnansweredGetEdidWaitsGetsQemusAnswerPromptly));
        s.add(Scenario.of(GROUP, "getEdidAt16OrMoreIsRefusedAtOnceWithoutAskingQemu", BadInputScenarios::getEdidAt16OrMoreIsRefusedAtOnceWithoutAskingQemu));
        s.add(Scenario.of(GROUP, "getDisplayInfoAndEdidWithoutAnyGpuSocket", Setup.withoutDisplay(), BadInputScenarios::getDisplayInfoAndEdidWithoutAnyGpuSocket));
        s.add(Scenario.of(GROUP, "getDisplayInfoWhileQemuDoesNotReadFallsBackInTime", BadInputScenarios::getDisplayInfoWhileQemuDoesNotReadFallsBackInTime));
        for (long v : new long[] {0, 1, 2, 0xFFFFFFFFL}) s.add(Scenario.of(GROUP, "getCapsetInfoIsAnError[" + Long.toUnsignedString(v) + "]", rig -> getCapsetInfoIsAnError(rig, v)));
        s.add(Scenario.of(GROUP, "getCapsetIsAnError[1,0]", rig -> getCapsetIsAnError(rig, "1", "0")));
        s.add(Scenario.of(GROUP, "getCapsetIsAnError[2,2]", rig -> getCapsetIsAnError(rig, "2", "2")));
        s.add(Scenario.of(GROUP, "getCapsetIsAnError[0,0]", rig -> getCapsetIsAnError(rig, "0", "0")));
        s.add(Scenario.of(GROUP, "getCapsetIsAnError[0xFFFFFFFF,0xFFFFFFFF]", rig -> getCapsetIsAnError(rig, "0xFFFFFFFF", "0xFFFFFFFF")));
        for (int v : new int[] {0, 0x00FF, 0x0999, 0x1100, 0x1205, 0x0302, 0x7FFFFFFF, 0xFFFFFFFF}) s.add(Scenario.of(GROUP, "unknownCommandTypeIsErrUnspec[" + v + "]", rig -> unknownCommandTypeIsErrUnspec(rig, v)));
        for (int v : new int[] {CTX_CREATE, SUBMIT_3D, RESOURCE_CREATE_BLOB, SET_SCANOUT_BLOB, 0x0201, 0x0204, 0x0208}) s.add(Scenario.of(GROUP, "threeDAndBlobCommandsAreErrorsOnA2dDevice[" + v + "]", rig -> threeDAndBlobCommandsAreErrorsOnA2dDevice(rig, v)));
        s.add(Scenario.of(GROUP, "everyRequestOneByteShorterThanItsStructIsRefused", BadInputScenarios::everyRequestOneByteShorterThanItsStructIsRefused));
        for (int v : new int[] {0, 1, 4, 16, 23}) s.add(Scenario.of(GROUP, "requestShorterThanTheHeaderGetsErrUnspecWithAZeroHeader[" + v + "]", rig -> requestShorterThanTheHeaderGetsErrUnspecWithAZeroHeader(rig, v)));
        s.add(Scenario.of(GROUP, "aRequestSplitOverManyDescriptorsIsReadWhole", BadInputScenarios::aRequestSplitOverManyDescriptorsIsReadWhole));
        for (int v : new int[] {0, 1, 16, 23}) s.add(Scenario.of(GROUP, "responseBufferTooSmallGivesUsedLengthZeroAndTheDeviceGoesOn[" + v + "]", rig -> responseBufferTooSmallGivesUsedLengthZeroAndTheDeviceGoesOn(rig, v)));
        s.add(Scenario.of(GROUP, "responseBufferTooSmallForLargerResponses", BadInputScenarios::responseBufferTooSmallForLargerResponses));
        return List.copyOf(s);
    }

    static final int BGRX = 2, BGRA = 1;
    static final long FRAME = 64 * 48 * 4;

    // ---------------------------------------------------------------------------------------------------------
    // 1. CREATE_2D
    static void createWithResourceIdZeroIsRefused(GpuRig rig) throws Exception {
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(0, BGRX, 64, 48));
    }
    static void createWithADuplicateIdIsRefusedAndKeepsTheOriginal(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(1, BGRX, 8, 8));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48)); // still the 64x48 one with its backing
    }
    static void createWithAnUnknownFormatIsRefused(GpuRig rig, int format) throws Exception {
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().createResource(1, format, 64, 48));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().attachBacking(1, rig.gpu().allocBacking(4096))); // not created
    }
    static void createWithZeroSizeIsRefused(GpuRig rig, long w, long h) throws Exception {
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().createResource(1, BGRX, w, h));
        assertNoData(rig.gpu().createResource(1, BGRX, 1, 1)); // nothing half-created under that id
    }
    static void createWithAHugeSizeIsRefusedWithoutAllocating(GpuRig rig, String ws, String hs) throws Exception {
        long w = Long.decode(ws), h = Long.decode(hs);
        Response r = rig.gpu().createResource(1, BGRA, w, h);
        assertTrue(r.usedLength() == 24 && Set.of(RESP_ERR_INVALID_PARAMETER, RESP_ERR_OUT_OF_MEMORY).contains(r.type()),
                "CREATE_2D " + w + "x" + h + " must fail with ERR_INVALID_PARAMETER or ERR_OUT_OF_MEMORY: " + r);
        assertResponse(r.type(), 24, r);
        // the ZDI-CAN-27578 follow-ups find nothing to work on
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().setScanout(0, 1, 0x40000000L, 0, 64, 64));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().transfer(1, 0, 0, 64, 64, 0));
        assertNoData(rig.gpu().createResource(1, BGRA, 64, 64));
    }

    static void thousandsOfSmallResources(GpuRig rig) throws Exception {
        int n = 3000;
        List<GpuDriver.Ticket> t = new ArrayList<>();
        for (int i = 1; i <= n; i++) t.add(rig.gpu().submit(GpuDriver.CONTROL_QUEUE, Commands.createResource2d(Hdr.NONE, i, BGRX, 4, 4)));
        for (GpuDriver.Ticket x : t) assertNoData(rig.gpu().await(x));
        t.clear();
        for (int i = 1; i <= n; i++) t.add(rig.gpu().submit(GpuDriver.CONTROL_QUEUE, Commands.unref(Hdr.NONE, i)));
        for (GpuDriver.Ticket x : t) assertNoData(rig.gpu().await(x));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(1500));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. ATTACH_BACKING

    /** After a refused attach the resource has no backing, and a correct attach still works. */
    static void assertNoBackingButAttachable(GpuRig rig, long id) throws Exception {
        assertError(RESP_ERR_UNSPEC, rig.gpu().transfer(id, 0, 0, 64, 48));
        assertNoData(rig.gpu().attachBacking(id, rig.gpu().allocBacking(FRAME)));
        assertNoData(rig.gpu().transfer(id, 0, 0, 64, 48));
    }
    static void attachToAnUnknownResource(GpuRig rig) throws Exception {
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().attachBacking(77, rig.gpu().allocBacking(FRAME)));
    }
    static void attachWithZeroEntries(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().attachBacking(1, List.of()));
        assertNoBackingButAttachable(rig, 1);
    }
    static void attachAnnouncingTooManyEntries(GpuRig rig, long nr) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        Backing b = rig.gpu().allocBacking(FRAME);
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().attachBackingAnnouncing(1, nr, b.entries()));
        assertNoBackingButAttachable(rig, 1);
    }
    static void attachWithFewerEntriesThanAnnounced(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        Backing b = rig.gpu().allocBacking(FRAME, 2);
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().attachBackingAnnouncing(1, 4, b.entries()));
        // 16 entries announced, 16*16-1 bytes of entries present
        byte[] entries = Commands.memEntries(new ArrayList<>(java.util.Collections.nCopies(16, b.entries().getFirst())));
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().send(GpuDriver.CONTROL_QUEUE, Commands.attachHead(Hdr.NONE, 1, 16),
                Arrays.copyOf(entries, entries.length - 1)));
        assertNoBackingButAttachable(rig, 1);
    }
    static void attachWithTheMaximumOf16384Entries(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        Backing b = rig.gpu().allocBacking(16384 * 4); // 4-byte entries: one pixel each
        List<MemEntry> e = new ArrayList<>();
        for (int i = 0; i < 16384; i++) e.add(new MemEntry(b.gpa() + 4L * i, 4));
        assertNoData(rig.gpu().attachBacking(1, e));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48));
    }
    static void attachWithAnEntryOutsideGuestRam(GpuRig rig, String kind) throws Exception {
        long base = rig.gpu().ram().guestPhysBase(), end = base + rig.gpu().ram().size();
        Backing good = rig.gpu().allocBacking(FRAME);
        MemEntry ok = good.entries().getFirst();
        List<MemEntry> entries = switch (kind) {
            case "below RAM" -> List.of(new MemEntry(0x10000, FRAME));
            case "past RAM end" -> List.of(new MemEntry(end, FRAME));
            case "straddling RAM end" -> List.of(new MemEntry(end - 4096, FRAME));
            case "wrapping u64" -> List.of(new MemEntry(0xFFFFFFFFFFFFF000L, 0x2000));
            case "u64 max" -> List.of(new MemEntry(0xFFFFFFFFFFFFFFFFL, 1));
            case "zero length" -> List.of(new MemEntry(ok.addr(), 0), ok);
            case "second entry bad" -> List.of(ok, new MemEntry(base - 4096, 4096));
            default -> throw new IllegalArgumentException(kind);
        };
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        assertError(RESP_ERR_UNSPEC, rig.gpu().attachBacking(1, entries));
        assertNoBackingButAttachable(rig, 1);
    }
    static void doubleAttachIsRefusedAndKeepsTheFirstBacking(GpuRig rig) throws Exception {
        Backing first = rig.gpu().createWithBacking(1, BGRX, 64, 48);
        first.fillPixels(64, 48, 256, (x, y) -> 0x00112233);
        Backing second = rig.gpu().allocBacking(FRAME);
        second.fillPixels(64, 48, 256, (x, y) -> 0x00445566);
        assertError(RESP_ERR_UNSPEC, rig.gpu().attachBacking(1, second));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48));
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        var fb = rig.peer().awaitFramebuffer(0, f -> (f.pixel(10, 10) & 0xFFFFFF) == 0x112233, 3000);
        if (fb == null) fb = rig.peer().framebuffer(0);
        assertNotNull(fb, "no SCANOUT reached QEMU");
        assertEquals(hex(0x112233), hex(fb.pixel(10, 10) & 0xFFFFFF), "pixels come from the first backing");
    }
    static void attachAfterUnrefOfABackedResource(GpuRig rig) throws Exception {
        Backing b = rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertNoData(rig.gpu().unref(1)); // backing attached: unref releases it
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().attachBacking(1, b));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().detachBacking(1));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3. TRANSFER_TO_HOST_2D
    static void transferOutsideTheResourceOrTheBacking(GpuRig rig, String x, String y, String w, String h, String offset) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().transfer(1, Long.decode(x), Long.decode(y), Long.decode(w), Long.decode(h),
                Long.parseUnsignedLong(offset.replace("0x", ""), offset.startsWith("0x") ? 16 : 10)));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48, 0));
        assertNoData(rig.gpu().transfer(1, 63, 47, 1, 1, FRAME - 4)); // the last pixel, exactly at the end
    }
    static void transferBeyondAShortBacking(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        assertNoData(rig.gpu().attachBacking(1, rig.gpu().allocBacking(256 * 10))); // 10 rows only
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().transfer(1, 0, 0, 64, 48));
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().transfer(1, 0, 0, 64, 11, 0));
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().transfer(1, 0, 9, 64, 2)); // Linux offset 9*256
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 10, 0));
        assertNoData(rig.gpu().transfer(1, 0, 9, 64, 1));
    }
    static void transferWithoutBackingOrResource(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        assertError(RESP_ERR_UNSPEC, rig.gpu().transfer(1, 0, 0, 64, 48));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().transfer(2, 0, 0, 64, 48));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().transfer(0, 0, 0, 64, 48));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. SET_SCANOUT
    static void setScanoutWithAnIdOf16OrMore(GpuRig rig, long scanout) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        int m = rig.peer().mark();
        assertError(RESP_ERR_INVALID_SCANOUT_ID, rig.gpu().setScanout(scanout, 1, 0, 0, 64, 48));
        assertError(RESP_ERR_INVALID_SCANOUT_ID, rig.gpu().setScanout(scanout, 0, 0, 0, 0, 0)); // disable too
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        assertNotNull(rig.peer().awaitAfter(m, DisplayEvent.Update.class, u -> true, 3000));
        assertEquals(List.of(new DisplayEvent.Scanout(0, 64, 48)),
                rig.peer().eventsSince(m).stream().filter(e -> e instanceof DisplayEvent.Scanout).toList(),
                "only the valid SET_SCANOUT reached QEMU");
        rig.assertCleanDisplay();
    }
    static void setScanoutWithARectOutsideTheResource(GpuRig rig, String x, String y, String w, String h) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        int m = rig.peer().mark();
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().setScanout(0, 1, Long.decode(x), Long.decode(y), Long.decode(w), Long.decode(h)));
        assertNoData(rig.gpu().moveCursor(0, 1, 1, 1)); // sentinel
        assertNotNull(rig.peer().awaitAfter(m, DisplayEvent.CursorPos.class, c -> true, 3000));
        assertEquals(List.of(), rig.peer().eventsSince(m).stream().filter(e -> e instanceof DisplayEvent.Scanout || e instanceof DisplayEvent.Update).toList());
    }
    static void setScanoutSmallerThan16x16IsRefusedLikeQemu(GpuRig rig, long w, long h) throws Exception {
        // hw/display/virtio-gpu.c virtio_gpu_do_set_scanout: r->width < 16 || r->height < 16 -> ERR_INVALID_PARAMETER
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        Response r = rig.gpu().setScanout(0, 1, 0, 0, w, h);
        assertEquals(name(RESP_ERR_INVALID_PARAMETER), name(r.type()),
                "DEVICE DEVIATION from QEMU's built-in virtio-gpu: SET_SCANOUT with a " + w + "x" + h + " rect (< 16x16) is accepted");
        assertError(RESP_ERR_INVALID_PARAMETER, r);
    }
    static void setScanoutWithAnUnknownResource(GpuRig rig) throws Exception {
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().setScanout(0, 9, 0, 0, 64, 48));
    }
    static void setScanoutResourceZeroDisablesTheScanout(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        assertNotNull(rig.peer().awaitAfter(0, DisplayEvent.Update.class, u -> true, 3000));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().setScanout(0, 0, 0, 0, 0, 0));
        assertEquals(new DisplayEvent.Scanout(0, 0, 0), rig.peer().awaitAfter(m, DisplayEvent.Scanout.class, s -> true, 3000));
        assertNoData(rig.gpu().flush(1, 0, 0, 64, 48)); // not shown anywhere: nothing to send
        Thread.sleep(100);
        assertEquals(List.of(), rig.peer().eventsSince(m).stream().filter(e -> e instanceof DisplayEvent.Update).toList());
        rig.assertCleanDisplay();
    }
    static void repeatedSetScanoutKeepsWorking(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        rig.gpu().createWithBacking(2, BGRX, 32, 32);
        for (int i = 0; i < 500; i++) {
            assertNoData(rig.gpu().setScanout(0, 1 + (i & 1), 0, 0, (i & 1) == 0 ? 64 : 32, (i & 1) == 0 ? 48 : 32));
        }
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        assertNotNull(rig.peer().awaitFramebuffer(0, f -> f.width() == 64, 3000));
        assertNoData(rig.gpu().flush(1, 0, 0, 64, 48));
        rig.assertCleanDisplay();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. RESOURCE_FLUSH
    static void flushOutsideTheResource(GpuRig rig, String x, String y, String w, String h) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().flush(1, Long.decode(x), Long.decode(y), Long.decode(w), Long.decode(h)));
        assertNoData(rig.gpu().flush(1, 0, 0, 64, 48));
    }
    static void flushOfAnUnknownOrUnreferencedResource(GpuRig rig) throws Exception {
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().flush(5, 0, 0, 1, 1));
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertNoData(rig.gpu().unref(1));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().flush(1, 0, 0, 1, 1));
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. RESOURCE_UNREF
    static void unrefTwiceUnknownAndZero(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertNoData(rig.gpu().unref(1));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(1));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(12345));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(0));
    }
    static void unrefWhileScannedOutDisablesTheScanoutFirst(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        assertNotNull(rig.peer().awaitAfter(0, DisplayEvent.Update.class, u -> true, 3000));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().unref(1));
        assertEquals(new DisplayEvent.Scanout(0, 0, 0), rig.peer().awaitAfter(m, DisplayEvent.Scanout.class, s -> true, 3000),
                "QEMU learns the scanout is gone");
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().flush(1, 0, 0, 64, 48));
        // a new resource on the scanout: SCANOUT again before its UPDATE
        rig.gpu().createWithBacking(2, BGRX, 32, 16);
        int m2 = rig.peer().mark();
        assertNoData(rig.gpu().setScanout(0, 2, 0, 0, 32, 16));
        assertNotNull(rig.peer().awaitAfter(m2, DisplayEvent.Update.class, u -> true, 3000));
        List<DisplayEvent> ev = rig.peer().eventsSince(m2);
        assertEquals(new DisplayEvent.Scanout(0, 32, 16), ev.getFirst());
        rig.assertCleanDisplay();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. cursor
    static void updateCursorWithANon64x64Resource(GpuRig rig, long w, long h) throws Exception {
        rig.gpu().createWithBacking(3, BGRA, w, h);
        assertNoData(rig.gpu().transfer(3, 0, 0, w, h));
        int m = rig.peer().mark();
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().updateCursor(0, 1, 1, 3, 0, 0));
        assertCursorUntouched(rig, m);
    }
    static void updateCursorWithAnUnknownResourceOrScanout(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(3, BGRA, 64, 64);
        int m = rig.peer().mark();
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().updateCursor(0, 1, 1, 4, 0, 0));
        assertError(RESP_ERR_INVALID_SCANOUT_ID, rig.gpu().updateCursor(16, 1, 1, 3, 0, 0));
        assertError(RESP_ERR_INVALID_SCANOUT_ID, rig.gpu().updateCursor(0xFFFFFFFFL, 1, 1, 3, 0, 0));
        assertError(RESP_ERR_INVALID_SCANOUT_ID, rig.gpu().moveCursor(16, 1, 1, 3));
        assertCursorUntouched(rig, m);
    }

    /** Nothing but the sentinel CURSOR_POS after {@code m}. */
    static void assertCursorUntouched(GpuRig rig, int m) throws Exception {
        assertNoData(rig.gpu().moveCursor(0, 42, 43, 3));
        assertEquals(new DisplayEvent.CursorPos(0, 42, 43), rig.peer().awaitAfter(m, DisplayEvent.CursorPos.class, c -> true, 3000));
        Thread.sleep(50);
        assertEquals(List.of(new DisplayEvent.CursorPos(0, 42, 43)), rig.peer().eventsSince(m), "display messages after the refused commands");
        rig.assertCleanDisplay();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 8. GET_EDID / GET_DISPLAY_INFO must not hang on QEMU
    static void getEdidForAScanoutQemuDoesNotHaveFailsInTimeWhileTheQueueKeepsServing(GpuRig rig) throws Exception { // QEMU: max_outputs 1
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        long t0 = System.nanoTime();
        GpuDriver.Ticket edid = rig.gpu().submitGetEdid(5);
        long worst = 0;
        int served = 0;
        while (!edid.isDone() && System.nanoTime() - t0 < 3_000_000_000L) {
            Response r = rig.gpu().transfer(1, 0, 0, 64, 48);
            assertNoData(r);
            worst = Math.max(worst, r.elapsedNanos());
            served++;
            Response f = rig.gpu().flush(1, 0, 0, 64, 48);
            assertNoData(f);
            worst = Math.max(worst, f.elapsedNanos());
        }
        Response r = rig.gpu().await(edid, 3000);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(tookMs <= 1500, "GET_EDID(5) took " + tookMs + " ms");
        assertError(RESP_ERR_INVALID_SCANOUT_ID, r);
        // the device learns QEMU skipped the request from the next reply, so the wait is one round trip
        assertTrue(served >= 1, "no command completed while GET_EDID waited");
        assertTrue(worst < 200_000_000L, "a command took " + worst / 1_000_000 + " ms while GET_EDID waited");
        assertEquals(new DisplayEvent.GetEdid(5, false), rig.peer().awaitAfter(0, DisplayEvent.GetEdid.class, e -> e.scanoutId() == 5, 100));
        // and the device still talks to QEMU afterwards
        assertResponse(RESP_OK_EDID, RESP_EDID_SIZE, rig.gpu().getEdid(0));
    }
    static void getEdidForScanout0WhileAnUnansweredGetEdidWaitsGetsScanout0sEdidPromptly(GpuRig rig) throws Exception {
        GpuDriver.Ticket lost = rig.gpu().submitGetEdid(5);
        Thread.sleep(50); // QEMU has seen (and ignored) it
        long t0 = System.nanoTime();
        Response r0 = rig.gpu().getEdid(0);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Response r5 = rig.gpu().await(lost, 3000);
        assertAll(
                () -> assertEquals(name(RESP_ERR_INVALID_SCANOUT_ID), name(r5.type()),
                        "DEVICE BUG? GET_EDID(5) got the answer QEMU gave for GET_EDID(0): replies are matched to requests by type only, FIFO"),
                () -> assertEquals(name(RESP_OK_EDID), name(r0.type()), "GET_EDID(0) while GET_EDID(5) is unanswered"),
                () -> assertTrue(ms < 500, "GET_EDID(0) took " + ms + " ms although QEMU answered at once"));
        assertResponse(RESP_OK_EDID, RESP_EDID_SIZE, r0);
        assertArrayEquals(dev.panamavgpu.testguest.qemu.QemuDisplayPeer.edidFor(0), Arrays.copyOfRange(r0.buffer(), 32, 160));
    }
    static void getDisplayInfoWhileAnUnansweredGetEdidWaitsGetsQemusAnswerPromptly(GpuRig rig) throws Exception {
        GpuDriver.Ticket lost = rig.gpu().submitGetEdid(5);
        Thread.sleep(50);
        long t0 = System.nanoTime();
        Response info = rig.gpu().getDisplayInfo();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        rig.gpu().await(lost, 3000);
        assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, info);
        assertAll(
                () -> assertEquals(List.of(1024L, 768L), List.of(info.u32(24 + 8), info.u32(24 + 12)),
                        "DEVICE BUG? GET_DISPLAY_INFO answered with a fallback, not QEMU's 1024x768 (QEMU's reply was dropped)"),
                () -> assertTrue(ms < 500, "GET_DISPLAY_INFO took " + ms + " ms although QEMU answered at once"));
    }
    static void getEdidAt16OrMoreIsRefusedAtOnceWithoutAskingQemu(GpuRig rig) throws Exception {
        for (long id : new long[] {16, 0xFFFFFFFFL}) {
            Response r = rig.gpu().getEdid(id);
            assertError(RESP_ERR_INVALID_SCANOUT_ID, r);
            assertTrue(r.elapsedNanos() < 200_000_000L, "took " + r.elapsedNanos() / 1_000_000 + " ms");
        }
        assertEquals(List.of(), rig.peer().events().stream().filter(e -> e instanceof DisplayEvent.GetEdid).toList());
    }
    static void getDisplayInfoAndEdidWithoutAnyGpuSocket(GpuRig rig) throws Exception {
        Response info = assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, rig.gpu().getDisplayInfo());
        assertTrue(info.elapsedNanos() < 500_000_000L);
        assertEquals(1, info.u32(24 + 16), "scanout 0 reported enabled");
        assertZero(info, 24 + 24, RESP_DISPLAY_INFO_SIZE, "pmodes 1..15");
        Response e = rig.gpu().getEdid(0);
        assertTrue(e.isError(), "no QEMU to ask: " + e);
        assertResponse(e.type(), 24, e);
    }
    static void getDisplayInfoWhileQemuDoesNotReadFallsBackInTime(GpuRig rig) throws Exception {
        rig.peer().pause();
        Response info = rig.gpu().getDisplayInfo();
        assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, info);
        assertTrue(info.elapsedNanos() < 1_500_000_000L, "took " + info.elapsedNanos() / 1_000_000 + " ms");
        assertEquals(List.of(1280L, 800L, 1L), List.of(info.u32(24 + 8), info.u32(24 + 12), info.u32(24 + 16)));
        rig.peer().resume();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 9. capsets (no 3D: num_capsets is 0)
    static void getCapsetInfoIsAnError(GpuRig rig, long index) throws Exception {
        Response r = rig.gpu().getCapsetInfo(index);
        assertTrue(r.isError(), "GET_CAPSET_INFO with num_capsets 0: " + r);
        assertResponse(r.type(), 24, r); // a bare, clean header: no capset fields, no stale bytes
    }
    static void getCapsetIsAnError(GpuRig rig, String id, String version) throws Exception {
        Response r = rig.gpu().getCapset(Long.decode(id), Long.decode(version));
        assertTrue(r.isError(), "GET_CAPSET: " + r);
        assertResponse(r.type(), 24, r);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 10. request and response sizing, unknown commands
    static void unknownCommandTypeIsErrUnspec(GpuRig rig, int type) throws Exception {
        assertError(RESP_ERR_UNSPEC, rig.gpu().raw(Commands.header(type, Hdr.NONE)));
        assertError(RESP_ERR_UNSPEC, rig.gpu().raw(Commands.concat(Commands.header(type, Hdr.NONE), new byte[200])));
        assertNoData(rig.gpu().createResource(1, BGRX, 8, 8));
    }
    static void threeDAndBlobCommandsAreErrorsOnA2dDevice(GpuRig rig, int type) throws Exception {
        Response r = rig.gpu().raw(Commands.concat(Commands.header(type, Hdr.NONE), new byte[64]));
        assertTrue(r.isError(), Commands.name(type) + ": " + r);
        assertResponse(r.type(), 24, r);
    }

    static List<byte[]> fullRequests() {
        Hdr h = Hdr.NONE;
        return List.of(Commands.getEdid(h, 0), Commands.createResource2d(h, 1, BGRX, 8, 8), Commands.unref(h, 1),
                Commands.setScanout(h, 0, 1, 0, 0, 8, 8), Commands.flush(h, 1, 0, 0, 8, 8), Commands.transfer(h, 1, 0, 0, 8, 8, 0),
                Commands.attachHead(h, 1, 0), Commands.detachBacking(h, 1), Commands.assignUuid(h, 1), Commands.getCapsetInfo(h, 0),
                Commands.getCapset(h, 1, 1), Commands.updateCursor(h, 0, 1, 1, 1, 0, 0), Commands.moveCursor(h, 0, 1, 1, 1));
    }
    static void everyRequestOneByteShorterThanItsStructIsRefused(GpuRig rig) throws Exception {
        for (byte[] full : fullRequests()) {
            int type = java.nio.ByteBuffer.wrap(full).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0);
            int q = type >= UPDATE_CURSOR ? GpuDriver.CURSOR_QUEUE : GpuDriver.CONTROL_QUEUE;
            for (int len : new int[] {full.length - 1, 25}) {
                Response r = rig.gpu().raw(q, Arrays.copyOf(full, len));
                assertEquals(24, r.usedLength(), Commands.name(type) + " of " + len + " bytes: " + r);
                assertEquals(name(RESP_ERR_INVALID_PARAMETER), name(r.type()), Commands.name(type) + " of " + len + " bytes");
                assertResponse(RESP_ERR_INVALID_PARAMETER, 24, r);
            }
        }
        // none of them did anything
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(1));
        assertEquals(List.of(), rig.peer().events().stream().filter(e -> !(e instanceof DisplayEvent.GetProtocolFeatures
                || e instanceof DisplayEvent.SetProtocolFeatures)).toList());
    }
    static void requestShorterThanTheHeaderGetsErrUnspecWithAZeroHeader(GpuRig rig, int len) throws Exception {
        byte[] req = Arrays.copyOf(Commands.createResource2d(Hdr.fence(99, 5), 1, BGRX, 8, 8), len);
        Response r = len == 0 ? rig.gpu().send(GpuDriver.CONTROL_QUEUE) : rig.gpu().raw(req);
        assertResponse(RESP_ERR_UNSPEC, 24, r); // unfenced echo rules: nothing could be read
        assertNoData(rig.gpu().createResource(1, BGRX, 8, 8));
    }
    static void aRequestSplitOverManyDescriptorsIsReadWhole(GpuRig rig) throws Exception {
        byte[] c = Commands.createResource2d(Hdr.fence(7, 1), 1, BGRX, 64, 48);
        byte[][] parts = new byte[8][];
        for (int i = 0; i < 8; i++) parts[i] = Arrays.copyOfRange(c, i * 5, Math.min(c.length, i * 5 + 5));
        assertResponse(RESP_OK_NODATA, 24, rig.gpu().send(GpuDriver.CONTROL_QUEUE, parts), Hdr.fence(7, 1));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(1, BGRX, 1, 1)); // created as 64x48
        assertNoData(rig.gpu().attachBacking(1, rig.gpu().allocBacking(FRAME)));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48));
        // and through an indirect table
        assertResponse(RESP_OK_NODATA, 24, rig.gpu().indirect(true).send(GpuDriver.CONTROL_QUEUE,
                Arrays.copyOf(Commands.unref(Hdr.NONE, 1), 10), Arrays.copyOfRange(Commands.unref(Hdr.NONE, 1), 10, 32)));
    }
    static void responseBufferTooSmallGivesUsedLengthZeroAndTheDeviceGoesOn(GpuRig rig, int len) throws Exception {
        GpuDriver small = rig.gpu().withResponseLength(len);
        assertEmptyCompletion(small.createResource(1, BGRX, 64, 48));
        assertEmptyCompletion(small.getDisplayInfo());
        assertEmptyCompletion(small.getEdid(0));
        assertEmptyCompletion(small.unref(77)); // an error does not fit either
        // the device keeps going; the CREATE_2D did happen (QEMU executes, then fails to answer)
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(1, BGRX, 64, 48));
        assertNoData(rig.gpu().unref(1));
    }
    static void responseBufferTooSmallForLargerResponses(GpuRig rig) throws Exception {
        assertEmptyCompletion(rig.gpu().withResponseLength(RESP_DISPLAY_INFO_SIZE - 1).getDisplayInfo());
        assertEmptyCompletion(rig.gpu().withResponseLength(RESP_EDID_SIZE - 1).getEdid(0));
        assertNoData(rig.gpu().createResource(1, BGRX, 8, 8));
        assertEmptyCompletion(rig.gpu().withResponseLength(RESP_RESOURCE_UUID_SIZE - 1).assignUuid(1));
        // exact sizes are enough
        assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, rig.gpu().withResponseLength(RESP_DISPLAY_INFO_SIZE).getDisplayInfo());
        assertResponse(RESP_OK_EDID, RESP_EDID_SIZE, rig.gpu().withResponseLength(RESP_EDID_SIZE).getEdid(0));
        assertResponse(RESP_OK_RESOURCE_UUID, RESP_RESOURCE_UUID_SIZE, rig.gpu().withResponseLength(RESP_RESOURCE_UUID_SIZE).assignUuid(1));
        assertResponse(RESP_OK_NODATA, 24, rig.gpu().withResponseLength(24).unref(1));
    }
}
