package dev.panamavgpu.sandbox;

import dev.panamavgpu.ffm.layout.SockFilter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A classic-BPF program for seccomp, built forwards without labels: every jump either skips one
 * instruction (a test followed by its return) or a nested block whose length is known. Jump targets
 * are {@code pc + 1 + jt/jf}, so each jump here lands on the next instruction or past a block.
 */
final class Bpf {
    static final int LD_W_ABS = 0x20, JEQ = 0x15, JGT = 0x25, JGE = 0x35, JSET = 0x45, RET_K = 0x06;

    /** One sock_filter instruction. */
    record Insn(int code, int jt, int jf, int k) {
        Insn {
            if (jt < 0 || jt > 255 || jf < 0 || jf > 255) throw new IllegalArgumentException("jump offset out of range: " + jt + "/" + jf);
        }
    }

    private final List<Insn> insns = new ArrayList<>();

    /** Loads the 32-bit word at {@code offset} of struct seccomp_data into the accumulator. */
    Bpf load(long offset) {
        return add(new Insn(LD_W_ABS, 0, 0, (int) offset));
    }

    Bpf ret(int result) {
        return add(new Insn(RET_K, 0, 0, result));
    }

    /** Returns {@code result} if the accumulator passes {@code test} (JEQ, JGT, JGE or JSET) against {@code k}. */
    Bpf returnIf(int test, int k, int result) {
        add(new Insn(test, 0, 1, k));
        return ret(result);
    }

    /** Returns {@code result} unless the accumulator passes {@code test} against {@code k}. */
    Bpf returnUnless(int test, int k, int result) {
        add(new Insn(test, 1, 0, k));
        return ret(result);
    }

    /** Runs {@code block} only if the accumulator passes {@code test} against {@code k}; otherwise skips it. */
    Bpf onlyIf(int test, int k, Consumer<Bpf> block) {
        Bpf b = new Bpf();
        block.accept(b);
        add(new Insn(test, 0, b.insns.size(), k));
        insns.addAll(b.insns);
        return this;
    }

    List<Insn> instructions() { return List.copyOf(insns); }

    int size() { return insns.size(); }

    /** The program as an array of struct sock_filter in {@code arena}. */
    MemorySegment encode(Arena arena) {
        MemorySegment m = arena.allocate(SockFilter.LAYOUT, insns.size());
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            long base = i * SockFilter.SIZE;
            m.set(ValueLayout.JAVA_SHORT, base + SockFilter.CODE, (short) in.code());
            m.set(ValueLayout.JAVA_BYTE, base + SockFilter.JT, (byte) in.jt());
            m.set(ValueLayout.JAVA_BYTE, base + SockFilter.JF, (byte) in.jf());
            m.set(ValueLayout.JAVA_INT, base + SockFilter.K, in.k());
        }
        return m;
    }

    private Bpf add(Insn i) {
        if (insns.size() == SockFilter.MAX_INSNS) throw new IllegalStateException("BPF program longer than " + SockFilter.MAX_INSNS);
        insns.add(i);
        return this;
    }
}
