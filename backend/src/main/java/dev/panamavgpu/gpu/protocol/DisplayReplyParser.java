package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import dev.panamavgpu.gpu.protocol.DisplayReply.Kind;
import dev.panamavgpu.gpu.protocol.DisplayReply.ProtocolError;

/**
 * Incremental parser for the reply stream QEMU writes on the display socket. Feed it whatever {@code read()}
 * returned; it buffers partial messages and returns the replies completed so far.
 *
 * <p>Each header is validated as soon as its 12 bytes are in: the REPLY flag must be set and the size must equal
 * the fixed size of that reply type. The payload buffer is therefore never larger than the largest legal reply
 * (1056 bytes), whatever size a broken or hostile peer announces. The first violation yields a
 * {@link ProtocolError} after any replies completed before it; the parser then ignores all further input, because
 * the stream cannot be resynchronised.
 *
 * <p>Not thread-safe: one reader thread owns it.
 */
public final class DisplayReplyParser {
    /** Largest reply payload QEMU sends (GET_EDID). */
    public static final int MAX_REPLY_PAYLOAD = (int) RespEdid.SIZE;

    private final MemorySegment buffer =
            MemorySegment.ofArray(new byte[(int) DisplayMsgHeader.SIZE + MAX_REPLY_PAYLOAD]);
    private int filled;
    /** Bytes of the current message needed: header only until it is validated, then header + payload. */
    private int wanted = (int) DisplayMsgHeader.SIZE;
    private DisplayMsgHeader header;
    private ProtocolError failure;

    /**
     * Exact payload size of QEMU's reply to {@code request}, or -1 if QEMU never replies to it.
     */
    public static long replyPayloadSize(int request) {
        return switch (request) {
            case DisplayRequest.GET_PROTOCOL_FEATURES -> Long.BYTES;
            case DisplayRequest.GET_DISPLAY_INFO -> RespDisplayInfo.SIZE;
            case DisplayRequest.GET_EDID -> RespEdid.SIZE;
            case DisplayRequest.DMABUF_UPDATE -> 0;
            default -> -1;
        };
    }

    /** Consumes all of {@code chunk} and returns the replies it completed (possibly none), in stream order. */
    public List<DisplayReply> feed(MemorySegment chunk) {
        if (failure != null) {
            return List.of();
        }
        List<DisplayReply> out = new ArrayList<>(2);
        long pos = 0;
        long end = chunk.byteSize();
        while (pos < end) {
            int n = (int) Math.min(wanted - filled, end - pos);
            MemorySegment.copy(chunk, pos, buffer, filled, n);
            filled += n;
            pos += n;
            if (filled < wanted) {
                break;
            }
            DisplayReply reply = header == null ? onHeader() : onPayload();
            if (reply != null) {
                out.add(reply);
                if (reply instanceof ProtocolError e) {
                    failure = e;
                    return out;
                }
            }
        }
        return out;
    }

    /** The error that stopped the parser, or null while it is healthy. */
    public ProtocolError failure() {
        return failure;
    }

    /** True between messages: no partial header or payload is buffered. */
    public boolean isIdle() {
        return filled == 0;
    }

    /** Drops any partial message and a previous failure, for a new socket. */
    public void reset() {
        filled = 0;
        wanted = (int) DisplayMsgHeader.SIZE;
        header = null;
        failure = null;
    }

    /** Header complete: validate it, then either finish a payload-less reply or wait for the payload. */
    private DisplayReply onHeader() {
        DisplayMsgHeader h = DisplayMsgHeader.read(buffer, 0);
        if (!h.isReply()) {
            return new ProtocolError(Kind.NOT_A_REPLY, h.request(), h.size());
        }
        long expected = replyPayloadSize(h.request());
        if (expected < 0) {
            return new ProtocolError(Kind.UNEXPECTED_REQUEST, h.request(), h.size());
        }
        if (h.size() != expected) {
            return new ProtocolError(Kind.BAD_SIZE, h.request(), h.size());
        }
        header = h;
        wanted = (int) (DisplayMsgHeader.SIZE + expected);
        return filled == wanted ? onPayload() : null;
    }

    /** Message complete: build the typed reply and get ready for the next header. */
    private DisplayReply onPayload() {
        DisplayMsgHeader h = header;
        long p = DisplayMsgHeader.SIZE;
        DisplayReply reply = switch (h.request()) {
            case DisplayRequest.GET_PROTOCOL_FEATURES -> new DisplayReply.ProtocolFeatures(buffer.get(Wire.NE64, p));
            case DisplayRequest.GET_DISPLAY_INFO -> new DisplayReply.DisplayInfo(RespDisplayInfo.readPmodes(buffer, p));
            case DisplayRequest.GET_EDID -> edid(h, p);
            case DisplayRequest.DMABUF_UPDATE -> new DisplayReply.DmabufUpdateDone();
            // onHeader only lets the four types above through.
            default -> new ProtocolError(Kind.UNEXPECTED_REQUEST, h.request(), h.size());
        };
        filled = 0;
        wanted = (int) DisplayMsgHeader.SIZE;
        header = null;
        return reply;
    }

    private DisplayReply edid(DisplayMsgHeader h, long p) {
        long size = Wire.le32(buffer, p + RespEdid.EDID_SIZE);
        if (size > RespEdid.MAX_EDID) {
            return new ProtocolError(Kind.BAD_PAYLOAD, h.request(), h.size());
        }
        byte[] edid = buffer.asSlice(p + RespEdid.EDID, size).toArray(Wire.U8);
        return new DisplayReply.Edid(edid);
    }
}
