package org.scratchimage.core.elf;

/**
 * One path segment of a glob(3) pattern, matched as glibc's glob does for ldconfig's {@code include} lines (flags 0:
 * {@code fnmatch} with {@code FNM_PERIOD}, backslash escapes on). Written here because Java's glob syntax differs
 * where hostile files go: it throws on an unmatched {@code [} (glob(3) takes it literally), expands {@code {a,b}}
 * (glob(3) does not), and lets {@code *} match a leading dot. No pattern makes it throw.
 */
final class Glob {
    private Glob() {}

    /** @return whether glob(3) reads the folder for this segment, rather than taking it as a plain name */
    static boolean isPattern(String segment) {
        return segment.indexOf('*') >= 0 || segment.indexOf('?') >= 0 || segment.indexOf('[') >= 0
                || segment.indexOf('\\') >= 0;
    }

    /** @return whether the file name {@code name} (no slash) matches the pattern segment */
    static boolean matches(String pattern, String name) {
        return match(pattern, 0, name, 0);
    }

    private static boolean match(String p, int pi, String n, int ni) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            // FNM_PERIOD: only a literal dot matches a leading dot.
            boolean leadingDot = ni == 0 && n.startsWith(".");
            switch (c) {
                case '?' -> {
                    if (ni >= n.length() || leadingDot) {
                        return false;
                    }
                    pi++;
                    ni++;
                }
                case '*' -> {
                    if (leadingDot) {
                        return false;
                    }
                    while (pi < p.length() && p.charAt(pi) == '*') {
                        pi++;
                    }
                    if (pi == p.length()) {
                        return true;
                    }
                    for (int k = ni; k <= n.length(); k++) {
                        if (match(p, pi, n, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '[' -> {
                    int end = bracketEnd(p, pi);
                    if (end < 0) {
                        // An unterminated bracket is an ordinary '['.
                        if (ni >= n.length() || n.charAt(ni) != '[') {
                            return false;
                        }
                        pi++;
                        ni++;
                    } else {
                        if (ni >= n.length() || leadingDot || !inBracket(p, pi + 1, end, n.charAt(ni))) {
                            return false;
                        }
                        pi = end + 1;
                        ni++;
                    }
                }
                case '\\' -> {
                    if (pi + 1 >= p.length()) {
                        return false; // a trailing backslash matches nothing
                    }
                    if (ni >= n.length() || n.charAt(ni) != p.charAt(pi + 1)) {
                        return false;
                    }
                    pi += 2;
                    ni++;
                }
                default -> {
                    if (ni >= n.length() || n.charAt(ni) != c) {
                        return false;
                    }
                    pi++;
                    ni++;
                }
            }
        }
        return ni == n.length();
    }

    /** @return the index of the {@code ]} closing the bracket that opens at {@code open}, or -1 if none does */
    private static int bracketEnd(String p, int open) {
        int j = open + 1;
        if (j < p.length() && (p.charAt(j) == '!' || p.charAt(j) == '^')) {
            j++;
        }
        boolean first = true;
        while (j < p.length()) {
            char c = p.charAt(j);
            if (c == ']' && !first) {
                return j;
            }
            if (c == '\\') {
                j++;
            } else if (c == '[' && j + 1 < p.length() && p.charAt(j + 1) == ':') {
                int close = p.indexOf(":]", j + 2);
                if (close >= 0) {
                    j = close + 1;
                }
            }
            first = false;
            j++;
        }
        return -1;
    }

    /** Whether {@code ch} is in the set between {@code start} and the closing {@code ]} at {@code end}. */
    private static boolean inBracket(String p, int start, int end, char ch) {
        int j = start;
        boolean negate = p.charAt(j) == '!' || p.charAt(j) == '^';
        if (negate) {
            j++;
        }
        boolean found = false;
        while (j < end) {
            char c = p.charAt(j);
            if (c == '[' && j + 1 < end && p.charAt(j + 1) == ':' && p.indexOf(":]", j + 2) >= 0
                    && p.indexOf(":]", j + 2) < end) {
                int close = p.indexOf(":]", j + 2);
                Boolean member = inClass(p.substring(j + 2, close), ch);
                if (member == null) {
                    return false; // glibc's fnmatch: an unknown class matches nothing
                }
                found |= member;
                j = close + 2;
                continue;
            }
            if (c == '\\' && j + 1 < end) {
                j++;
                c = p.charAt(j);
            }
            j++;
            if (j + 1 < end && p.charAt(j) == '-') {
                char last = p.charAt(j + 1);
                int next = j + 2;
                if (last == '\\' && j + 2 < end) {
                    last = p.charAt(j + 2);
                    next = j + 3;
                }
                found |= c <= ch && ch <= last;
                j = next;
            } else {
                found |= c == ch;
            }
        }
        return found != negate;
    }

    /** @return membership in a POSIX class of the C locale, or {@code null} for a name glibc does not know */
    private static Boolean inClass(String name, char ch) {
        boolean ascii = ch < 128;
        return switch (name) {
            case "alnum" -> ascii && Character.isLetterOrDigit(ch);
            case "alpha" -> ascii && Character.isLetter(ch);
            case "blank" -> ch == ' ' || ch == '\t';
            case "cntrl" -> ch < 32 || ch == 127;
            case "digit" -> ch >= '0' && ch <= '9';
            case "graph" -> ch > 32 && ch < 127;
            case "lower" -> ch >= 'a' && ch <= 'z';
            case "print" -> ch >= 32 && ch < 127;
            case "punct" -> ch > 32 && ch < 127 && !Character.isLetterOrDigit(ch);
            case "space" -> ch == ' ' || ch >= '\t' && ch <= '\r';
            case "upper" -> ch >= 'A' && ch <= 'Z';
            case "xdigit" -> ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f' || ch >= 'A' && ch <= 'F';
            default -> null;
        };
    }
}
