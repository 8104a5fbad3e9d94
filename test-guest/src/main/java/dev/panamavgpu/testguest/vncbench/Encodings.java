package dev.panamavgpu.testguest.vncbench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The encodings the bench asks for, by the name its table prints. */
final class Encodings {
    static final Map<String, Integer> MEASURED = new LinkedHashMap<>();

    static {
        MEASURED.put("Raw", RfbViewer.RAW);
        MEASURED.put("Tight", RfbViewer.TIGHT);
    }

    private Encodings() {}
}
