package io.headerlog.deploy.ksql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits ksqlDB SQL into tokens, after the lexer rules of ksqlDB's grammar (SqlBase.g4): words,
 * backticked and double-quoted identifiers (case kept), string literals with '' escapes, numbers
 * (with exponents), the operators of the expression grammar; -- and /* *&#47; comments are dropped.
 * Anything else is an error: the checker must never skip text it did not understand.
 */
final class KsqlLexer {
    private KsqlLexer() {}

    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

    /** One token; {@code text} is the identifier without its quotes, or the literal's content. */
    record Token(Kind kind, String text, int line) {
        /** A WORD equal to {@code word} ignoring case, or a SYMBOL equal to it. */
        boolean is(String word) {
            return kind == Kind.WORD ? text.equalsIgnoreCase(word) : kind == Kind.SYMBOL && text.equals(word);
        }

        /** The name ksqlDB resolves: unquoted words are upper-cased, quoted identifiers kept as written. */
        String name() {
            return kind == Kind.WORD ? text.toUpperCase(Locale.ROOT) : text;
        }

        boolean isName() {
            return kind == Kind.WORD || kind == Kind.QUOTED;
        }
    }

    private static final String[] SYMBOLS = {"->", "=>", "<>", "!=", "<=", ">=", "||", ":=",
        "(", ")", ",", ";", "*", "=", "<", ">", "+", "-", "/", "%", "[", "]", "."};

    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int line = 1;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + line + ": unterminated /* comment");
                }
                line += count(sql.substring(i, end), '\n');
                i = end + 2;
            } else if (c == '\'' || c == '`' || c == '"') {
                int start = line;
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw new IllegalArgumentException("line " + start + ": unterminated " + c + " quote");
                    }
                    char d = sql.charAt(j);
                    if (d == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) { // doubled quote = the quote itself
                            text.append(c);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    if (d == '\n') {
                        line++;
                    }
                    text.append(d);
                    j++;
                }
                out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED, text.toString(), start));
                i = j + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                int j = i;
                while (j < n && (Character.isDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                if (j < n && (sql.charAt(j) == 'E' || sql.charAt(j) == 'e')) {
                    j++;
                    if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
                        j++;
                    }
                    while (j < n && Character.isDigit(sql.charAt(j))) {
                        j++;
                    }
                }
                if (j < n && (Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    throw new IllegalArgumentException("line " + line + ": a name may not start with a digit: "
                            + sql.substring(i, Math.min(n, j + 8)));
                }
                out.add(new Token(Kind.NUMBER, sql.substring(i, j), line));
                i = j;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '@')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, sql.substring(i, j), line));
                i = j;
            } else {
                String symbol = null;
                for (String s : SYMBOLS) {
                    if (sql.startsWith(s, i)) {
                        symbol = s;
                        break;
                    }
                }
                if (symbol == null) {
                    throw new IllegalArgumentException("line " + line + ": unexpected character '" + c + "'");
                }
                out.add(new Token(Kind.SYMBOL, symbol, line));
                i += symbol.length();
            }
        }
        return out;
    }

    /** Splits tokens into statements at top-level semicolons (a statement without one is an error). */
    static List<List<Token>> statements(List<Token> tokens) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : tokens) {
            if (t.is(";")) {
                if (!current.isEmpty()) {
                    out.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            throw new IllegalArgumentException("line " + current.get(0).line() + ": statement without a closing ';'");
        }
        return out;
    }

    /** Splits at top-level commas; an empty item is an error. */
    static List<List<Token>> split(List<Token> t) {
        List<List<Token>> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < t.size(); i++) {
            depth += depthChange(t.get(i));
            if (depth == 0 && t.get(i).is(",")) {
                out.add(t.subList(start, i));
                start = i + 1;
            }
        }
        if (start < t.size()) {
            out.add(t.subList(start, t.size()));
        }
        for (List<Token> part : out) {
            if (part.isEmpty()) {
                throw new SyntaxError(t.get(0), "empty item in a comma-separated list");
            }
        }
        return out;
    }

    /** +1 for an opening bracket, -1 for a closing one, else 0. */
    static int depthChange(Token t) {
        return t.is("(") || t.is("[") ? 1 : t.is(")") || t.is("]") ? -1 : 0;
    }

    /** The index of the bracket closing the one at t[open]. */
    static int closing(List<Token> t, int open) {
        if (open >= t.size() || depthChange(t.get(open)) != 1) {
            throw new SyntaxError(t.get(Math.min(open, t.size() - 1)), "expected (");
        }
        int depth = 0;
        for (int i = open; i < t.size(); i++) {
            depth += depthChange(t.get(i));
            if (depth == 0) {
                return i;
            }
        }
        throw new SyntaxError(t.get(open), "unbalanced " + t.get(open).text());
    }

    /** Checks that t[i] is {@code word}; returns i + 1. */
    static int expect(List<Token> t, int i, String word) {
        if (i >= t.size() || !t.get(i).is(word)) {
            throw new SyntaxError(t.get(Math.min(i, t.size() - 1)), "expected " + word);
        }
        return i + 1;
    }

    /** A statement the checker cannot go on with. */
    static final class SyntaxError extends RuntimeException {
        final int line;

        SyntaxError(Token at, String message) {
            super(message);
            this.line = at.line();
        }
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(x -> x == c).count();
    }
}
