package org.scratchimage.core.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme and its parameters. A real parser, not a
 * split at commas: the registry's {@code scope} is a quoted string holding commas ({@code pull,push}) and, for a
 * mount, several space-separated scopes.
 *
 * @param scheme the scheme in lower case: {@code basic} or {@code bearer}
 * @param parameters the parameters, names in lower case, values unquoted
 */
record Challenge(String scheme, Map<String, String> parameters) {

    /** @return the parameter, or {@code ""} */
    String parameter(String name) {
        return parameters.getOrDefault(name, "");
    }

    /** @return the scopes of the {@code scope} parameter, which are separated by spaces */
    List<String> scopes() {
        List<String> scopes = new ArrayList<>();
        for (String scope : parameter("scope").split(" ")) {
            if (!scope.isEmpty()) {
                scopes.add(scope);
            }
        }
        return scopes;
    }

    /** @return the first Bearer challenge of the header, else the first Basic one, else null */
    static Challenge choose(List<String> headers) {
        Challenge basic = null;
        for (String header : headers) {
            for (Challenge challenge : parse(header)) {
                if (challenge.scheme.equals("bearer")) {
                    return challenge;
                }
                if (basic == null && challenge.scheme.equals("basic")) {
                    basic = challenge;
                }
            }
        }
        return basic;
    }

    /**
     * @param header a {@code WWW-Authenticate} value, which may hold several challenges
     * @return its challenges; what cannot be read ends the list, for a registry's header is not ours to reject
     */
    static List<Challenge> parse(String header) {
        List<Challenge> challenges = new ArrayList<>();
        Cursor in = new Cursor(header);
        while (true) {
            in.skip(", \t");
            String scheme = in.token();
            if (scheme.isEmpty()) {
                return challenges;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            challenges.add(new Challenge(scheme.toLowerCase(Locale.ROOT), parameters));
            while (true) {
                in.skip(" \t");
                int start = in.position;
                String name = in.token();
                in.skip(" \t");
                if (name.isEmpty() || !in.take('=')) {
                    // The next challenge's scheme (or a token68, which no registry scheme uses).
                    in.position = start;
                    break;
                }
                in.skip(" \t");
                parameters.put(name.toLowerCase(Locale.ROOT), in.peek() == '"' ? in.quoted() : in.token());
                in.skip(" \t");
                if (!in.take(',')) {
                    break;
                }
            }
            if (in.position == in.text.length()) {
                return challenges;
            }
        }
    }

    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        boolean take(char c) {
            if (peek() == c && position < text.length()) {
                position++;
                return true;
            }
            return false;
        }

        void skip(String chars) {
            while (position < text.length() && chars.indexOf(text.charAt(position)) >= 0) {
                position++;
            }
        }

        /** An RFC 7230 token; also takes {@code /} and {@code :} so a broken unquoted URL stays whole. */
        String token() {
            int start = position;
            while (position < text.length()) {
                char c = text.charAt(position);
                if (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~/:".indexOf(c) >= 0) {
                    position++;
                } else {
                    break;
                }
            }
            return text.substring(start, position);
        }

        /** A quoted string: a backslash escapes the next character; an unterminated one ends at the end. */
        String quoted() {
            StringBuilder value = new StringBuilder();
            position++;
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            return value.toString();
        }
    }
}
