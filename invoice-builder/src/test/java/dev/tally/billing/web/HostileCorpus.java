package dev.tally.billing.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The cases of a hostile-input corpus file (see {@code hostile/billing-corpus.tsv} for its format). */
final class HostileCorpus {

    private static final Pattern REPEAT = Pattern.compile("\\{repeat:(\\d+):([^}]*)}");
    private static final String BYTES = "{bytes:";

    /** One request and the answer it must get; {@code code} and {@code field} are null when not checked / absent. */
    record Case(
            String name,
            String auth,
            String method,
            String path,
            String contentType,
            byte[] body,
            int status,
            String code,
            String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    private HostileCorpus() {}

    static List<Case> read(String resource, String organizationId) {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = HostileCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus " + resource);
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != 9) {
                    throw new IllegalArgumentException("not 9 cells: " + line);
                }
                cases.add(new Case(
                        cells[0],
                        cells[1],
                        cells[2],
                        expand(cells[3]).replace("{org}", organizationId),
                        contentType(cells[4]),
                        body(cells[5]),
                        Integer.parseInt(cells[6]),
                        absent(cells[7]),
                        absent(cells[8])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static String contentType(String cell) {
        return switch (cell) {
            case "-" -> null;
            case "json" -> "application/json";
            default -> cell;
        };
    }

    private static byte[] body(String cell) {
        if (cell.equals("-")) {
            return null;
        }
        if (cell.startsWith(BYTES) && cell.endsWith("}")) {
            return HexFormat.of().parseHex(cell.substring(BYTES.length(), cell.length() - 1));
        }
        return expand(cell).getBytes(StandardCharsets.UTF_8);
    }

    private static String expand(String text) {
        Matcher matcher = REPEAT.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String repeated = matcher.group(2).repeat(Integer.parseInt(matcher.group(1)));
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(repeated));
        }
        return matcher.appendTail(expanded).toString();
    }

    private static String absent(String cell) {
        return cell.equals("-") ? null : cell;
    }
}
