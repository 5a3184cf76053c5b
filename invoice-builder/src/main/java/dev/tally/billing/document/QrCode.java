package dev.tally.billing.document;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A QR code's modules (dark or light), square, without its quiet zone (the document leaves white space
 * around it). Encoded by ZXing at error correction level M (15% of the code may be damaged), as SEP-7
 * wallets scan payment links from screens and paper.
 */
public final class QrCode {

    private final BitMatrix modules;

    private QrCode(BitMatrix modules) {
        this.modules = modules;
    }

    /** The QR code of {@code text}. */
    public static QrCode of(String text) {
        try {
            // width and height 0: one pixel per module, the code's own size
            BitMatrix matrix = new QRCodeWriter()
                    .encode(
                            text,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.M,
                                    EncodeHintType.MARGIN,
                                    0,
                                    EncodeHintType.CHARACTER_SET,
                                    StandardCharsets.UTF_8.name()));
            return new QrCode(matrix);
        } catch (WriterException e) {
            // only for a text longer than a QR code holds (about 2,300 characters at level M)
            throw new IllegalArgumentException("a QR code cannot hold " + text.length() + " characters", e);
        }
    }

    /** Modules per side. */
    public int size() {
        return modules.getWidth();
    }

    /** Whether the module at column {@code x}, row {@code y} (from the top left) is dark. */
    public boolean dark(int x, int y) {
        return modules.get(x, y);
    }
}
