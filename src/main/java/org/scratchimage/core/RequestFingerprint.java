package org.scratchimage.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * The fingerprint of a {@link BuildRequest} as given, before anything is planned: every component of the request
 * and of the records it holds, read by reflection so that a component added later cannot be left out, with the
 * plugin's version and code, and the encoding that turns host names into text. Two requests with the same
 * fingerprint plan the same image from the same host files.
 */
final class RequestFingerprint {
    private RequestFingerprint() {}

    /** @return the fingerprint of {@code request} for this plugin */
    static String of(BuildRequest request, String version) {
        long[] code = Fingerprints.codeStamp();
        FieldDigest sha = new FieldDigest().text("request").text(version).number(code[0]).number(code[1])
                .text(System.getProperty("sun.jnu.encoding"));
        value(request, sha);
        return sha.hex();
    }

    private static void value(Object value, FieldDigest sha) {
        if (value == null) {
            sha.text("null");
        } else if (value instanceof String text) {
            sha.text("s").text(text);
        } else if (value instanceof Path path) {
            sha.text("p").text(path.toString());
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Enum<?>) {
            sha.text(value.getClass().getName()).text(value.toString());
        } else if (value instanceof Collection<?> list) {
            sha.text("c").number(list.size());
            for (Object each : list) {
                value(each, sha);
            }
        } else if (value instanceof Map<?, ?> map) {
            sha.text("m").number(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                value(entry.getKey(), sha);
                value(entry.getValue(), sha);
            }
        } else if (value instanceof Record record) {
            sha.text(record.getClass().getName());
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                sha.text(component.getName());
                value(read(component, record), sha);
            }
        } else {
            // A new kind of value in the request: say so in the tests, never fingerprint it by toString().
            throw new IllegalStateException("no fingerprint for " + value.getClass().getName() + " in the request");
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component + " of " + record.getClass().getName(), e);
        }
    }
}
