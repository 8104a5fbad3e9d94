package dev.panamavgpu.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The common launches without picocli's model building, which costs about as much CPU as the rest
 * of the start-up (docs/benchmarks.md): when every argument is {@code --name=value} or a bare flag
 * of a plain {@link Option} field (String, Path, int, Integer, boolean, an enum), the fields are set
 * from those and from the options' {@code defaultValue}s, read from the same annotations picocli
 * reads. Anything else (short names, separate values, help, a value that does not convert) returns
 * null and picocli parses as before, errors and messages included. QuickArgsTest checks that both
 * fill every option field alike.
 */
final class QuickArgs {
    private QuickArgs() {}

    private static final String NO_DEFAULT = "__no_default_value__";

    /** {@code target} filled as picocli would, or null when the arguments need picocli. */
    static <T> T parse(T target, String... args) {
        try {
            Field[] fields = target.getClass().getDeclaredFields();
            boolean[] given = new boolean[fields.length];
            for (String a : args) {
                if (!a.startsWith("--")) return null;
                int eq = a.indexOf('=');
                String name = eq < 0 ? a : a.substring(0, eq);
                int k = find(fields, name);
                if (k < 0 || given[k]) return null;
                Field f = fields[k];
                boolean flag = f.getType() == boolean.class;
                if (flag != (eq < 0)) return null; // a flag with a value, or an option without one
                if (!set(f, target, flag ? "true" : a.substring(eq + 1))) return null;
                given[k] = true;
            }
            for (int k = 0; k < fields.length; k++) {
                Option o = fields[k].getAnnotation(Option.class);
                if (o == null || given[k] || o.defaultValue().equals(NO_DEFAULT)) continue;
                if (!set(fields[k], target, o.defaultValue())) return null;
            }
            return target;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static int find(Field[] fields, String name) {
        for (int k = 0; k < fields.length; k++) {
            Option o = fields[k].getAnnotation(Option.class);
            if (o == null || o.arity().length() > 0 || !o.split().isEmpty()) continue;
            for (String n : o.names()) if (n.equals(name)) return k;
        }
        return -1;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean set(Field f, Object target, String value) throws ReflectiveOperationException {
        Class<?> t = f.getType();
        Object v;
        if (t == String.class) v = value;
        else if (t == Path.class) v = Path.of(value);
        else if (t == int.class || t == Integer.class) {
            if (!value.matches("0|[1-9][0-9]{0,8}")) return false; // signs, radix prefixes, overflow: picocli's word
            v = Integer.valueOf(value);
        }
        else if (t == boolean.class) v = Boolean.valueOf(value);
        else if (t.isEnum()) v = Enum.valueOf((Class<Enum>) t, value.toUpperCase(Locale.ROOT)); // Main allows any case
        else return false;
        f.setAccessible(true);
        f.set(target, v);
        return true;
    }
}
