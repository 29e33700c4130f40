package io.rapidfire.ingest;

import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.Refused;

import javax.crypto.Mac;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Set;

/**
 * The body of the WhatsApp bridge route, where a bridge may put the media itself, base64, in the webhook: Evolution
 * beside the caption ({@code message.base64}, "webhook base64": a 1.5 MB photo makes a 2 MB body), WPPConnect's
 * server in the message's {@code body} (its default autoDownload). Up to RAPIDFIRE_MAX_BODY_BYTES it is read as every
 * body is. Beyond, it is read as a stream up to RAPIDFIRE_BRIDGE_MAX_BODY_BYTES and copied without the media: the
 * string of a {@link #MEDIA_FIELDS} key, and a {@code body} string that is more than {@link #BODY_PROBE} bytes of
 * base64 alphabet only, is dropped as it streams by and left as "" with its decoded size beside it
 * ({@code "base64Bytes": 1572864}). What remains must fit RAPIDFIRE_MAX_BODY_BYTES, so a large body costs a buffer,
 * not its size: the heap bound of the security work holds. The bytes as sent feed the route's signature
 * {@link Mac}, so a signed body is checked over exactly what was sent. The copy is a byte-level scan of strings and
 * keys, not a parser: the formats parse what remains, strictly, as they parse every body.
 */
final class BridgeBody {
    /** Keys whose string is media bytes, base64: Evolution's message.base64, Baileys' thumbnails. */
    static final Set<String> MEDIA_FIELDS = Set.of("base64", "jpegThumbnail");
    /** A {@code body} string longer than this, all base64 alphabet, is media (WPPConnect autoDownload). */
    static final int BODY_PROBE = 64 * 1024;
    /** Bodies over the ordinary limit read at once, per process (see {@link #read}). */
    static final int STREAMS = 4;
    /** The key beside an omitted string: its decoded size. */
    static final String SIZE_SUFFIX = "Bytes";

    /**
     * The decoded size of the media a bridge put inline under {@code field} of {@code parent}: the size this class
     * left beside it when it took a large one out ({@code <field>Bytes}), else the length of a base64 string still
     * there (a body within the ordinary limit); -1 when there is none. The one rule both Evolution's {@code base64}
     * and WPPConnect's {@code body} are measured by.
     */
    static long inlineSize(com.fasterxml.jackson.databind.JsonNode parent, String field) {
        if (parent.has(field + SIZE_SUFFIX)) {
            return parent.get(field + SIZE_SUFFIX).asLong(-1);
        }
        String inline = parent.path(field).asText("");
        return inline.length() > 0 && inline.chars().allMatch(Slim::isBase64) ? inline.length() * 3L / 4 : -1;
    }

    /** The JSON to parse; {@code digest}: the Mac over the bytes as sent when the body was streamed, else null. */
    record Body(byte[] json, byte[] digest) {
    }

    private BridgeBody() {
    }

    /**
     * @param mac the route's signature scheme, fed with its prefix already; null when the route is not signed
     */
    static Body read(InputStream in, long declared, int limit, long mediaLimit, Mac mac) {
        return read(in, declared, limit, mediaLimit, mac, null);
    }

    /**
     * As above; {@code streams} bounds how many bodies over {@code limit} are read at once (each costs up to three
     * buffers of {@code limit} and a scan of up to {@code mediaLimit} bytes before a signature can refuse it): when
     * none is free the request is answered 503 with Retry-After, which bridges honour by retrying.
     */
    static Body read(InputStream in, long declared, int limit, long mediaLimit, Mac mac,
                     java.util.concurrent.Semaphore streams) {
        byte[] head = EdgeRules.readAtMost(in, declared, limit, mediaLimit, "RAPIDFIRE_BRIDGE_MAX_BODY_BYTES");
        if (head.length <= limit) {
            return new Body(head, null);
        }
        if (streams != null && !streams.tryAcquire()) {
            throw new Refused(503, "busy", "this body is over " + limit + " bytes (RAPIDFIRE_MAX_BODY_BYTES) and "
                    + STREAMS + " such bodies are being read already; send it again in a few seconds; nothing stored", 2);
        }
        Counted counted = new Counted(new SequenceInputStream(new ByteArrayInputStream(head), in), mediaLimit, mac);
        Slim slim = new Slim(new BufferedInputStream(counted, 64 * 1024), limit);
        try {
            slim.copy();
        } catch (TooLarge e) {
            throw e.answer;
        } catch (OverLimit e) {
            throw EdgeRules.tooLarge("the body is more than " + limit + " bytes without its inline media", limit,
                    "RAPIDFIRE_MAX_BODY_BYTES");
        } catch (IOException e) {
            throw EdgeRules.unreadable(e);
        } finally {
            if (streams != null) {
                streams.release();
            }
        }
        return new Body(slim.out.toByteArray(), mac == null ? null : mac.doFinal());
    }

    /** The copy without the media: strings and the keys they belong to, everything else byte for byte. */
    private static final class Slim {
        private final InputStream in;
        private final Bounded out;
        private final ByteArrayOutputStream key = new ByteArrayOutputStream(64);
        private String lastString;

        Slim(InputStream in, int limit) {
            this.in = in;
            this.out = new Bounded(limit);
        }

        void copy() throws IOException {
            boolean afterColon = false;
            String currentKey = null;
            for (int c; (c = in.read()) != -1; ) {
                if (c == '"') {
                    if (afterColon) {
                        value(currentKey);
                    } else {
                        lastString = keyOrElement();
                    }
                    afterColon = false;
                    continue;
                }
                out.write(c);
                if (c == ':') {
                    afterColon = true;
                    currentKey = lastString;
                } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    afterColon = false;
                }
            }
        }

        /** A string that may be a key: copied, its first 64 bytes kept to name the value that follows. */
        private String keyOrElement() throws IOException {
            key.reset();
            out.write('"');
            for (int c; (c = in.read()) != -1; ) {
                out.write(c);
                if (c == '"') {
                    return key.toString(java.nio.charset.StandardCharsets.UTF_8);
                }
                if (key.size() < 64) {
                    key.write(c);
                }
                if (c == '\\') {
                    int next = in.read();
                    if (next == -1) {
                        return null;
                    }
                    out.write(next);
                }
            }
            return null;
        }

        private void value(String name) throws IOException {
            if (name != null && MEDIA_FIELDS.contains(name)) {
                omitted(name, skip(0));
            } else if ("body".equals(name)) {
                body();
            } else {
                out.write('"');
                rest();
            }
        }

        /** A body string: text is copied; more than BODY_PROBE bytes of base64 alphabet only is media. */
        private void body() throws IOException {
            ByteArrayOutputStream probe = new ByteArrayOutputStream(1_024);
            boolean base64 = true;
            for (int c; (c = in.read()) != -1; ) {
                if (c == '"') {
                    out.write('"');
                    probe.writeTo(out);
                    out.write('"');
                    return;
                }
                base64 &= isBase64(c);
                probe.write(c);
                if (c == '\\' && (c = in.read()) != -1) {
                    probe.write(c);
                }
                if (probe.size() > BODY_PROBE) {
                    if (base64) {
                        omitted("body", skipBase64(probe.size()));
                    } else {
                        out.write('"');
                        probe.writeTo(out);
                        rest();
                    }
                    return;
                }
            }
        }

        /** Copies the rest of a string, its closing quote included. */
        private void rest() throws IOException {
            for (int c; (c = in.read()) != -1; ) {
                out.write(c);
                if (c == '"') {
                    return;
                }
                if (c == '\\' && (c = in.read()) != -1) {
                    out.write(c);
                }
            }
        }

        /**
         * As {@link #skip}, for a body taken for media by its first 64 KiB: a byte that is not base64 after all means
         * it was text, which must not be dropped: 413, as any text over the limit.
         */
        private long skipBase64(long already) throws IOException {
            long n = already;
            for (int c; (c = in.read()) != -1; n++) {
                if (c == '"') {
                    return n;
                }
                if (!isBase64(c)) {
                    throw new TooLarge("a body string of more than " + BODY_PROBE + " bytes that is not media (not "
                            + "base64 throughout)", out.limit, "RAPIDFIRE_MAX_BODY_BYTES");
                }
            }
            return n;
        }

        /** Reads past the rest of a string without keeping it; returns its length in bytes. */
        private long skip(long already) throws IOException {
            long n = already;
            for (int c; (c = in.read()) != -1; n++) {
                if (c == '"') {
                    return n;
                }
                if (c == '\\' && in.read() != -1) {
                    n++;
                }
            }
            return n;
        }

        private void omitted(String name, long encodedBytes) throws IOException {
            out.write(("\"\", \"" + name + SIZE_SUFFIX + "\": " + encodedBytes * 3 / 4)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        private static boolean isBase64(int c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=';
        }
    }

    /** The 413 to answer, carried out of the stream's reads, which declare IOException. */
    private static final class TooLarge extends IOException {
        final Refused answer;

        TooLarge(String what, long limit, String setting) {
            super(what);
            this.answer = EdgeRules.tooLarge(what, limit, setting);
        }
    }

    /** The body as sent: counted against the media limit, fed to the signature. */
    private static final class Counted extends InputStream {
        private final InputStream in;
        private final long limit;
        private final Mac mac;
        private long total;

        Counted(InputStream in, long limit, Mac mac) {
            this.in = in;
            this.limit = limit;
            this.mac = mac;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                total += n;
                if (total > limit) {
                    throw new TooLarge("the body is more than " + limit + " bytes", limit, "RAPIDFIRE_BRIDGE_MAX_BODY_BYTES");
                }
                if (mac != null) {
                    mac.update(b, off, n);
                }
            }
            return n;
        }
    }

    /** What is left once the media is out: it must fit the ordinary limit. */
    private static final class Bounded extends ByteArrayOutputStream {
        private final int limit;

        Bounded(int limit) {
            super(8_192);
            this.limit = limit;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            check(len);
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            check(1);
            super.write(b);
        }

        private void check(int more) {
            if (count + more > limit) {
                throw new OverLimit();
            }
        }
    }

    /** Thrown by {@link Bounded}, whose write methods declare no IOException; turned into the 413 by {@link #read}. */
    private static final class OverLimit extends RuntimeException {
        OverLimit() {
            super(null, null, false, false);
        }
    }
}
