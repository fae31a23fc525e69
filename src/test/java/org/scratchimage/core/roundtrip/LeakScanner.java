package org.scratchimage.core.roundtrip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Looks for the build host in an image: its folders, user and group names, numeric ids, host files' owners and
 * mtimes, and the wall-clock time of the build, in every JSON document and every tar header (ustar blocks and
 * PAX records, parsed by {@link TarBlocks}).
 *
 * <p>To avoid false alarms, declared data is never scanned as a leak: the name, prefix and link name fields are
 * compared with the declaration instead, numbers are looked for only where numbers are written, user and group
 * names only as whole words, and a token that also occurs in an entry's declared path, target or numbers is
 * not reported for that entry.
 */
final class LeakScanner {
    private static final Set<String> PAX_KEYS = Set.of("path", "linkpath", "size", "uid", "gid", "mtime");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What the host is: the things that must not appear. */
    record Host(List<String> paths, List<String> words, long uid, long gid) {}

    private final Host host;
    private final ImageCase c;
    /** Text tokens: host paths, host files' ids and times, and the build's wall-clock time. */
    private final Set<String> tokens = new LinkedHashSet<>();
    /** Tokens that are numbers, looked for only as whole numbers in JSON. */
    private final Set<String> numbers = new LinkedHashSet<>();
    private final List<Pattern> words = new ArrayList<>();
    private final List<String> problems;

    private LeakScanner(Host host, ImageCase c, Instant buildStart, Instant buildEnd, List<String> problems) {
        this.host = host;
        this.c = c;
        this.problems = problems;
        tokens.addAll(host.paths());
        for (String word : host.words()) {
            if (word.length() < 3) {
                // A name of one or two letters is found in any text; such a host cannot be told from the image.
                System.err.println("Round trip: the host name '" + word + "' is too short to look for");
                continue;
            }
            words.add(Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(word) + "(?![A-Za-z0-9_-])"));
        }
        List<Long> ids = new ArrayList<>(c.hostIds());
        // The build user's ids count only where no declaration explains them, and 0 cannot be told from text.
        for (long id : new long[] {host.uid(), host.gid()}) {
            if (id != 0 && !c.declaredIds().contains(id)) {
                ids.add(id);
            }
        }
        for (long id : ids) {
            numbers.add(Long.toString(id));
            tokens.add(Long.toOctalString(id));
        }
        for (long time : c.hostTimes()) {
            tokens.add(Long.toString(time));
            tokens.add(Long.toOctalString(time));
        }
        boolean nearNow = Math.abs(c.timestamp() - buildStart.getEpochSecond()) < 2 * 86_400;
        if (!nearNow) {
            for (long s = buildStart.getEpochSecond() - 1; s <= buildEnd.getEpochSecond() + 1; s++) {
                tokens.add(Long.toString(s));
                tokens.add(Long.toOctalString(s));
                tokens.add(Long.toString(s - s % 60));
                for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneId.systemDefault())) {
                    String iso = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.ofEpochSecond(s).atZone(zone));
                    tokens.add(iso.substring(0, 16));
                    tokens.add(iso.substring(0, 16).replace('T', ' '));
                }
            }
        }
    }

    static void scan(Host host, ImageCase c, LayoutReader.Layout layout, List<TarBlocks.Entry> entries,
            Instant buildStart, Instant buildEnd, List<String> problems) throws IOException {
        LeakScanner scanner = new LeakScanner(host, c, buildStart, buildEnd, problems);
        for (Map.Entry<String, byte[]> document : layout.documents().entrySet()) {
            scanner.scanJson(document.getKey(), document.getValue());
        }
        for (TarBlocks.Entry entry : entries) {
            scanner.scanHeader(entry);
        }
    }

    private void scanJson(String name, byte[] bytes) throws IOException {
        String raw = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder strings = new StringBuilder();
        collectStrings(MAPPER.readTree(bytes), strings);
        String text = raw + "\n" + strings;
        for (String token : tokens) {
            if (text.contains(token)) {
                problems.add("leak: " + name + " contains " + Text.quote(token));
            }
        }
        for (String number : numbers) {
            if (Pattern.compile("(?<![0-9])" + number + "(?![0-9])").matcher(strings).find()) {
                problems.add("leak: " + name + " contains the host id " + number);
            }
        }
        for (Pattern word : words) {
            if (word.matcher(text).find()) {
                problems.add("leak: " + name + " contains the host user or group name " + word.pattern());
            }
        }
    }

    /** Keys and string values only: numbers such as sizes are not carriers of host data. */
    private static void collectStrings(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            out.append(node.asText()).append('\n');
        }
        node.fields().forEachRemaining(e -> {
            out.append(e.getKey()).append('\n');
            collectStrings(e.getValue(), out);
        });
        if (node.isArray()) {
            node.forEach(child -> collectStrings(child, out));
        }
    }

    private void scanHeader(TarBlocks.Entry entry) {
        String what = "leak: tar header of " + Text.quote(entry.name());
        byte[] block = entry.block();
        if (!TarBlocks.isZero(Arrays.copyOfRange(block, 265, 329))) {
            problems.add(what + " has a user or group name: " + Text.quote(TarBlocks.cString(block, 265, 32)) + "/"
                    + Text.quote(TarBlocks.cString(block, 297, 32)));
        }
        if (TarBlocks.octal(block, 329, 8, entry.offset(), "devmajor") != 0
                || TarBlocks.octal(block, 337, 8, entry.offset(), "devminor") != 0) {
            problems.add(what + " has device numbers");
        }
        if (!TarBlocks.isZero(Arrays.copyOfRange(block, 500, 512))) {
            problems.add(what + " has bytes after the prefix field");
        }
        if (entry.mtime() != c.timestamp()) {
            problems.add(what + " has mtime " + entry.mtime() + ", not the declared " + c.timestamp());
        }
        for (String key : entry.paxRecords().keySet()) {
            if (!PAX_KEYS.contains(key)) {
                problems.add(what + " has the PAX record " + key + "=" + Text.quote(entry.paxRecords().get(key)));
            }
        }
        // The declared strings are compared with the declaration elsewhere; blank them here.
        StringBuilder text = new StringBuilder(blank(block, new int[][] {{0, 100}, {157, 100}, {345, 155}}));
        if (entry.paxBlock() != null) {
            text.append('\n').append(blank(entry.paxBlock(), new int[][] {}));
            if (!TarBlocks.isZero(Arrays.copyOfRange(entry.paxBlock(), 265, 329))) {
                problems.add(what + ": its PAX header has a user or group name");
            }
        }
        // Decimal numbers are written only in PAX records; the octal fields are compared with the declaration.
        StringBuilder records = new StringBuilder();
        entry.paxRecords().forEach((key, value) -> {
            if (!key.equals("path") && !key.equals("linkpath")) {
                records.append('\n').append(key).append('=').append(value);
            }
        });
        text.append(records);
        List<String> declared = declared(entry);
        for (String token : tokens) {
            if (text.indexOf(token) >= 0 && declared.stream().noneMatch(d -> d.contains(token))) {
                problems.add(what + " contains " + Text.quote(token));
            }
        }
        for (String number : numbers) {
            if (records.indexOf(number) >= 0 && declared.stream().noneMatch(d -> d.contains(number))) {
                problems.add(what + " contains the host id " + number);
            }
        }
        for (Pattern word : words) {
            if (word.matcher(text).find() && declared.stream().noneMatch(d -> word.matcher(d).find())) {
                problems.add(what + " contains the host user or group name " + word.pattern());
            }
        }
    }

    /** What the entry legitimately carries: its declared name and target, and its declared numbers in both bases. */
    private List<String> declared(TarBlocks.Entry entry) {
        List<String> declared = new ArrayList<>();
        declared.add(entry.name());
        declared.add(entry.linkName());
        for (long n : new long[] {entry.uid(), entry.gid(), entry.size(), entry.mtime(), entry.mode()}) {
            declared.add(Long.toString(n));
            declared.add(Long.toOctalString(n));
        }
        return declared;
    }

    private static String blank(byte[] block, int[][] fields) {
        byte[] copy = block.clone();
        for (int[] field : fields) {
            Arrays.fill(copy, field[0], field[0] + field[1], (byte) 0);
        }
        return new String(copy, StandardCharsets.ISO_8859_1);
    }
}
