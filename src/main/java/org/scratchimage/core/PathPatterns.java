package org.scratchimage.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code <directory>}'s {@code <includes>} and {@code <excludes>}: the Ant-style patterns that select the paths of
 * its host tree, relative to the tree's root.
 */
final class PathPatterns {
    private final List<String> includes;
    private final List<String> excludes;

    /** @param includes the patterns as written; blank ones are ignored, none at all selects everything */
    PathPatterns(List<String> includes, List<String> excludes) {
        this.includes = normalise(includes);
        this.excludes = normalise(excludes);
    }

    private static List<String> normalise(List<String> patterns) {
        List<String> normalised = new ArrayList<>();
        for (String pattern : patterns) {
            if (pattern == null || pattern.isBlank()) {
                continue;
            }
            String p = pattern.trim().replace('\\', '/');
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            // Ant: a pattern ending in '/' means everything below that directory.
            normalised.add(p.endsWith("/") ? p + "**" : p);
        }
        return normalised;
    }

    /** An exclude such as {@code cache/**} or {@code **} that takes the folder and everything in it. */
    boolean excludesEverythingBelow(String relative) {
        for (String pattern : excludes) {
            if (pattern.equals("**") || (pattern.endsWith("/**")
                    && matches(pattern.substring(0, pattern.length() - 3), relative))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether an include, or the absence of any, may select {@code relative} or a path below it, excludes
     *     aside: its names up to the first {@code **} match the path's first names; an include that stops above
     *     the path cannot
     */
    boolean mayIncludeFrom(String relative) {
        if (includes.isEmpty()) {
            return true;
        }
        String[] path = relative.split("/");
        for (String include : includes) {
            String[] names = Arrays.stream(include.split("/")).filter(name -> !name.isEmpty()).toArray(String[]::new);
            boolean reaches = true;
            for (int i = 0; i < path.length && reaches; i++) {
                if (i < names.length && names[i].equals("**")) {
                    return true;
                }
                reaches = i < names.length && matchesName(names[i], path[i]);
            }
            if (reaches) {
                return true;
            }
        }
        return false;
    }

    /** @return whether an include, or the absence of any, selects the path, and no exclude leaves it out */
    boolean selects(String relative) {
        boolean included = includes.isEmpty();
        for (int i = 0; i < includes.size() && !included; i++) {
            included = matches(includes.get(i), relative);
        }
        if (!included) {
            return false;
        }
        for (String pattern : excludes) {
            if (matches(pattern, relative)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ant-style matching of a tree's relative path: {@code **} spans any number of names, {@code *} and {@code ?}
     * stay within one. Our own, because plexus' SelectorUtils also splits paths at '\', a legal character of a
     * Linux name: it let {@code **}{@code /*.bak} miss "\x.bak" (a leading '\' made the path "absolute") and
     * {@code a/b} select "a\b".
     */
    static boolean matches(String pattern, String path) {
        String[] names = Arrays.stream(pattern.split("/")).filter(name -> !name.isEmpty()).toArray(String[]::new);
        return matchesNames(names, 0, path.split("/"), 0);
    }

    private static boolean matchesNames(String[] pattern, int p, String[] path, int s) {
        for (; p < pattern.length && !pattern[p].equals("**"); p++, s++) {
            if (s >= path.length || !matchesName(pattern[p], path[s])) {
                return false;
            }
        }
        if (p == pattern.length) {
            return s == path.length;
        }
        while (p < pattern.length && pattern[p].equals("**")) {
            p++;
        }
        for (int skipped = s; skipped <= path.length; skipped++) {
            if (matchesNames(pattern, p, path, skipped)) {
                return true;
            }
        }
        return false;
    }

    /** A glob of one name: '*' matches any run of characters, '?' one character; by code point. */
    private static boolean matchesName(String pattern, String name) {
        int[] p = pattern.codePoints().toArray();
        int[] n = name.codePoints().toArray();
        int i = 0;
        int j = 0;
        int star = -1;
        int resume = 0;
        while (j < n.length) {
            // '*' first: a name may hold a '*' itself, which must not use up the wildcard as a literal.
            if (i < p.length && p[i] == '*') {
                star = i++;
                resume = j;
            } else if (i < p.length && (p[i] == '?' || p[i] == n[j])) {
                i++;
                j++;
            } else if (star >= 0) {
                i = star + 1;
                j = ++resume;
            } else {
                return false;
            }
        }
        while (i < p.length && p[i] == '*') {
            i++;
        }
        return i == p.length;
    }
}
