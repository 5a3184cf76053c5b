package dev.tally.billing.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDBorderStyleDictionary;

/**
 * Draws an {@link InvoiceDocument} as an A4 PDF with Apache PDFBox: the seller and the invoice's facts, the
 * customer, a table of the lines (continued on further pages when long, its header repeated), the total,
 * paid and due amounts, and the Stellar payment (its QR code drawn as vector squares, so it stays sharp at
 * any zoom or print size, and the link as text). Layout only: every value comes from the document as shown.
 */
public final class InvoicePdf {

    private static final float MARGIN = 50;
    private static final float TOP = PDRectangle.A4.getHeight() - MARGIN;
    private static final float RIGHT = PDRectangle.A4.getWidth() - MARGIN;
    private static final float BOTTOM = 70;
    private static final float DESCRIPTION_WIDTH = 250;
    private static final float QUANTITY_RIGHT = 390;
    private static final float UNIT_PRICE_RIGHT = 470;
    private static final float QR_SIDE = 120;
    private static final float[] GREY = {0.4f, 0.4f, 0.4f};
    private static final float[] BLACK = {0, 0, 0};
    private static final float[] RED = {0.75f, 0.1f, 0.1f};

    /**
     * What differs between the PDF of an invoice and of a credit note: the title ({@code INVOICE}), the document's
     * name in the footer and the metadata ({@code Invoice}) and the totals under the lines, in order.
     */
    public record Layout(String title, String name, List<Total> totals) {}

    /** A total under the lines: a label and an amount in the document's currency, bold for the one that counts. */
    public record Total(String label, String amount, boolean bold) {}

    private final InvoiceDocument document;
    private final Layout layout;
    private final PDDocument pdf = new PDDocument();
    private final PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private PDPage page;
    private PDPageContentStream out;
    private float y;

    private InvoicePdf(InvoiceDocument document, Layout layout) {
        this.document = document;
        this.layout = layout;
    }

    /** The PDF of {@code document}, an invoice's. */
    public static byte[] render(InvoiceDocument document) {
        List<Total> totals = new java.util.ArrayList<>();
        totals.add(new Total("Total", document.total(), false));
        if (document.amountCredited() != null) {
            totals.add(new Total("Amount credited", document.amountCredited(), false));
        }
        totals.add(new Total("Amount paid", document.amountPaid(), false));
        totals.add(new Total("Amount due", document.amountDue(), true));
        return render(document, new Layout("INVOICE", "Invoice", totals));
    }

    /** The PDF of {@code document} in {@code layout} (a credit note's: its title and totals). */
    public static byte[] render(InvoiceDocument document, Layout layout) {
        InvoicePdf renderer = new InvoicePdf(document, layout);
        try (PDDocument pdf = renderer.pdf) {
            renderer.draw();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
            pdf.save(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            // everything is in memory: an I/O failure here is a bug, not a condition to answer
            throw new UncheckedIOException("the " + layout.name() + " PDF could not be drawn", e);
        }
    }

    private void draw() throws IOException {
        pdf.getDocumentInformation().setTitle(layout.name() + " " + document.number());
        pdf.getDocumentInformation().setAuthor(document.seller());
        newPage();
        heading();
        note(document.memo());
        lines();
        totals();
        note(document.footer());
        if (document.payment() != null) {
            payment(document.payment());
        }
        out.close();
        footers();
    }

    private void heading() throws IOException {
        text(bold, 18, MARGIN, y, document.seller(), BLACK);
        right(bold, 18, RIGHT, y, layout.title(), BLACK);
        if (document.testMode()) {
            right(bold, 11, RIGHT, y - 16, "TEST MODE - NOT A REAL " + layout.title(), RED);
        }
        float left = y - 45;
        text(bold, 9, MARGIN, left, "BILL TO", GREY);
        left -= 14;
        text(bold, 11, MARGIN, left, document.customer().name(), BLACK);
        for (String detail : document.customer().details()) {
            left -= 13;
            text(regular, 10, MARGIN, left, detail, BLACK);
        }
        float facts = y - 45;
        for (InvoiceDocument.Fact fact : document.facts()) {
            text(regular, 9, 330, facts, fact.label(), GREY);
            // a value too wide to stand beside its label (a long number) goes on the line below it
            float labelEnd = 330 + PdfText.width(regular, 9, PdfText.showable(regular, fact.label())) + 6;
            if (RIGHT - PdfText.width(regular, 10, PdfText.showable(regular, fact.value())) < labelEnd) {
                facts -= 12;
            }
            right(regular, 10, RIGHT, facts, fact.value(), BLACK);
            facts -= 14;
        }
        y = Math.min(left, facts) - 25;
    }

    private void lines() throws IOException {
        tableHeader();
        for (InvoiceDocument.Line line : document.lines()) {
            List<String> description =
                    PdfText.wrap(regular, 9.5f, PdfText.showable(regular, line.description()), DESCRIPTION_WIDTH);
            float height = description.size() * 12 + 6;
            if (y - height < BOTTOM) {
                out.close();
                newPage();
                tableHeader();
            }
            float row = y;
            for (String part : description) {
                text(regular, 9.5f, MARGIN, row, part, BLACK);
                row -= 12;
            }
            right(regular, 9.5f, QUANTITY_RIGHT, y, line.quantity(), BLACK);
            if (line.unitPrice() != null) {
                right(regular, 9.5f, UNIT_PRICE_RIGHT, y, line.unitPrice(), BLACK);
            }
            right(regular, 9.5f, RIGHT, y, line.amount(), BLACK);
            y -= height;
            rule(y + 8, 0.9f);
        }
    }

    /** A memo or footer (null: nothing), wrapped to the page's width, on a new page if it does not fit. */
    private void note(String value) throws IOException {
        if (value == null) {
            return;
        }
        List<String> wrapped = PdfText.wrap(regular, 9.5f, PdfText.showable(regular, value), RIGHT - MARGIN);
        for (String part : wrapped) {
            if (y - 12 < BOTTOM) {
                out.close();
                newPage();
            }
            text(regular, 9.5f, MARGIN, y, part, BLACK);
            y -= 12;
        }
        y -= 12;
    }

    private void tableHeader() throws IOException {
        out.setNonStrokingColor(0.93f, 0.93f, 0.93f);
        out.addRect(MARGIN - 4, y - 5, RIGHT - MARGIN + 8, 18);
        out.fill();
        text(bold, 9, MARGIN, y, "Description", BLACK);
        right(bold, 9, QUANTITY_RIGHT, y, "Quantity", BLACK);
        right(bold, 9, UNIT_PRICE_RIGHT, y, "Unit price", BLACK);
        right(bold, 9, RIGHT, y, "Amount (" + document.currency() + ")", BLACK);
        y -= 22;
    }

    private void totals() throws IOException {
        if (y - 16 * layout.totals().size() - 12 < BOTTOM) {
            out.close();
            newPage();
        }
        y -= 6;
        for (Total total : layout.totals()) {
            total(total.bold() ? bold : regular, total.label(), total.amount());
        }
    }

    private void total(PDFont font, String label, String amount) throws IOException {
        text(font, 10.5f, 330, y, label, BLACK);
        right(font, 10.5f, RIGHT, y, amount + " " + document.currency(), BLACK);
        y -= 16;
    }

    private void payment(InvoiceDocument.StellarPayment payment) throws IOException {
        List<String> link = PdfText.wrap(regular, 7.5f, PdfText.showable(regular, payment.payUri()), RIGHT - MARGIN);
        float needed = 40 + QR_SIDE + 14 + link.size() * 9.5f;
        if (y - needed < BOTTOM) {
            out.close();
            newPage();
        }
        y -= 20;
        text(bold, 12, MARGIN, y, "Pay with Stellar", BLACK);
        y -= 12;
        float qrTop = y;
        qr(QrCode.of(payment.payUri()), MARGIN, qrTop - QR_SIDE, QR_SIDE);
        linkOver(payment.payUri(), MARGIN, qrTop - QR_SIDE, QR_SIDE, QR_SIDE);
        float detail = qrTop - 12;
        text(regular, 9.5f, MARGIN + QR_SIDE + 20, detail, "Scan with a Stellar wallet (SEP-7), or pay:", GREY);
        for (InvoiceDocument.Fact fact : payment.details()) {
            detail -= 15;
            text(regular, 9, MARGIN + QR_SIDE + 20, detail, fact.label(), GREY);
            List<String> value =
                    PdfText.wrap(regular, 9, PdfText.showable(regular, fact.value()), RIGHT - (MARGIN + QR_SIDE + 90));
            for (String part : value) {
                text(regular, 9, MARGIN + QR_SIDE + 90, detail, part, BLACK);
                detail -= 11;
            }
            detail += 11;
        }
        y = Math.min(qrTop - QR_SIDE, detail) - 16;
        text(regular, 8, MARGIN, y, "Payment link", GREY);
        for (String part : link) {
            y -= 9.5f;
            text(regular, 7.5f, MARGIN, y, part, BLACK);
        }
    }

    /**
     * The code's dark modules as squares, each row's runs merged into one rectangle, a hair taller than a
     * module so that anti-aliasing leaves no light seam between rows for a scanner to trip on.
     */
    private void qr(QrCode code, float x, float bottom, float side) throws IOException {
        float module = side / code.size();
        out.setNonStrokingColor(0f, 0f, 0f);
        for (int row = 0; row < code.size(); row++) {
            int column = 0;
            while (column < code.size()) {
                if (!code.dark(column, row)) {
                    column++;
                    continue;
                }
                int start = column;
                while (column < code.size() && code.dark(column, row)) {
                    column++;
                }
                out.addRect(
                        x + start * module,
                        bottom + side - (row + 1) * module,
                        (column - start) * module,
                        module + (row > 0 ? 0.1f : 0));
            }
        }
        out.fill();
    }

    private void linkOver(String uri, float x, float bottom, float width, float height) throws IOException {
        PDAnnotationLink link = new PDAnnotationLink();
        link.setRectangle(new PDRectangle(x, bottom, width, height));
        PDBorderStyleDictionary border = new PDBorderStyleDictionary();
        border.setWidth(0);
        link.setBorderStyle(border);
        PDActionURI action = new PDActionURI();
        action.setURI(uri);
        link.setAction(action);
        page.getAnnotations().add(link);
    }

    private void footers() throws IOException {
        int count = pdf.getNumberOfPages();
        for (int i = 0; i < count; i++) {
            try (PDPageContentStream footer =
                    new PDPageContentStream(pdf, pdf.getPage(i), PDPageContentStream.AppendMode.APPEND, true)) {
                out = footer;
                String marker = document.testMode() ? "TEST MODE  ·  " : "";
                text(
                        regular,
                        8,
                        MARGIN,
                        40,
                        marker + document.seller() + "  ·  " + layout.name() + " " + document.number(),
                        GREY);
                right(regular, 8, RIGHT, 40, "Page " + (i + 1) + " of " + count, GREY);
            }
        }
    }

    private void newPage() throws IOException {
        page = new PDPage(PDRectangle.A4);
        pdf.addPage(page);
        out = new PDPageContentStream(pdf, page);
        y = TOP;
    }

    private void rule(float at, float grey) throws IOException {
        out.setStrokingColor(grey, grey, grey);
        out.setLineWidth(0.5f);
        out.moveTo(MARGIN - 4, at);
        out.lineTo(RIGHT + 4, at);
        out.stroke();
    }

    private void text(PDFont font, float size, float x, float at, String value, float[] color) throws IOException {
        out.beginText();
        out.setFont(font, size);
        out.setNonStrokingColor(color[0], color[1], color[2]);
        out.newLineAtOffset(x, at);
        out.showText(PdfText.showable(font, value));
        out.endText();
    }

    private void right(PDFont font, float size, float rightEdge, float at, String value, float[] color)
            throws IOException {
        String shown = PdfText.showable(font, value);
        text(font, size, rightEdge - PdfText.width(font, size, shown), at, shown, color);
    }
}
