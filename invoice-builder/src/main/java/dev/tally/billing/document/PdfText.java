package dev.tally.billing.document;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Text as a PDF font can show it, and broken into lines that fit a width. The document uses the standard
 * Helvetica fonts (every viewer has them, nothing is embedded), which encode WinAnsi (Latin-1 and a few
 * more): a character they cannot show is drawn as {@code ?} rather than failing the document, and line
 * breaks, tabs and other control characters in stored text become spaces.
 */
final class PdfText {

    private PdfText() {}

    /** {@code text} with every character {@code font} cannot encode replaced. */
    static String showable(PDFont font, String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                out.append(' ');
            } else if (c < 0x7f || encodes(font, c)) {
                out.appendCodePoint(c);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }

    private static boolean encodes(PDFont font, int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            // PDFBox's answer for a character without a glyph in the font's encoding
            return false;
        }
    }

    /** The width of {@code text} (showable) in points at {@code size}. */
    static float width(PDFont font, float size, String text) throws IOException {
        return font.getStringWidth(text) / 1000f * size;
    }

    /**
     * {@code text} (showable) in lines no wider than {@code width}: broken at spaces, and a word wider than a
     * line (a payment link, an id) broken where it reaches the edge.
     */
    static List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (width(font, size, candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (!line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (width(font, size, rest) > width) {
                int fits = fitting(font, size, rest, width);
                lines.add(rest.substring(0, fits));
                rest = rest.substring(fits);
            }
            line.append(rest);
        }
        if (!line.isEmpty() || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** How many leading characters of {@code text} fit {@code width} (at least one). */
    private static int fitting(PDFont font, float size, String text, float width) throws IOException {
        int count = 1;
        while (count < text.length() && width(font, size, text.substring(0, count + 1)) <= width) {
            count++;
        }
        return count;
    }
}
