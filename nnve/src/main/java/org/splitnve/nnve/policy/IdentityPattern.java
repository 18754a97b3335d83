package org.splitnve.nnve.policy;

import java.util.regex.Pattern;

/**
 * The {@code identity} condition of a {@link PolicyFile} rule: an EAP identity, or a glob of one ({@code *} any run of
 * characters, {@code ?} one character; everything else stands for itself).
 */
final class IdentityPattern {

    /** RADIUS User-Name, where an EAP identity ends up, is at most 253 octets (RFC 2865 5.1). */
    static final int MAX_LENGTH = 253;

    private final String text;
    private final Pattern pattern;

    private IdentityPattern(String text, Pattern pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    static IdentityPattern parse(int lineNo, String text) throws PolicyParseException {
        if (text.length() > MAX_LENGTH || text.chars().anyMatch(Character::isISOControl)) {
            throw new PolicyParseException(lineNo, "bad identity '" + text.replaceAll("\\p{Cntrl}", "?")
                    + "': at most " + MAX_LENGTH + " printable characters");
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return new IdentityPattern(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    boolean matches(String identity) {
        return pattern.matcher(identity).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
