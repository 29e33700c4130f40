package io.rapidfire.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import javax.crypto.Mac;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Set;

/**
 * The body of the WhatsApp bridge route, where a bridge may put the media itself, base64, beside its caption
 * (Evolution's "webhook base64": a 1.5 MB photo makes a 2 MB body). Up to RAPIDFIRE_MAX_BODY_BYTES it is read as
 * every body is. Beyond, it is read as a stream up to RAPIDFIRE_BRIDGE_MAX_BODY_BYTES and written out again without
 * the media: each {@link #MEDIA_FIELDS} string is skipped unread (Jackson skips a string it was not asked for, so it
 * is never held in memory) and left as "" with its size beside it ({@code "base64Bytes": 1572864}, the decoded
 * size). What remains must fit RAPIDFIRE_MAX_BODY_BYTES, and every other string is bounded by it, so a large body
 * costs a buffer, not its size: the heap bound of the security work holds. The bytes read feed the route's
 * signature {@link Mac} as they pass, so a signed body is checked over exactly what was sent.
 */
final class BridgeBody {
    /** Fields that hold media bytes, base64: Evolution's message.base64, Baileys' thumbnails. */
    static final Set<String> MEDIA_FIELDS = Set.of("base64", "jpegThumbnail");
    /** The field beside an omitted one: its decoded size. */
    static final String SIZE_SUFFIX = "Bytes";

    /** The JSON to parse; {@code digest}: the Mac over the bytes as sent when the body was streamed, else null. */
    record Body(byte[] json, byte[] digest) {
    }

    private BridgeBody() {
    }

    /**
     * @param mac the route's signature scheme, fed with its prefix already; null when the route is not signed
     */
    static Body read(InputStream in, long declared, int limit, long mediaLimit, Mac mac) {
        if (declared > mediaLimit) {
            throw tooLarge("the body is " + declared + " bytes", mediaLimit, "RAPIDFIRE_BRIDGE_MAX_BODY_BYTES");
        }
        byte[] head;
        try {
            head = in.readNBytes(limit + 1);
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (head.length <= limit) {
            return new Body(head, null);
        }
        Counted counted = new Counted(new SequenceInputStream(new ByteArrayInputStream(head), in), mediaLimit, mac);
        Bounded out = new Bounded(limit);
        JsonFactory json = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(limit).build()).build();
        try (JsonParser p = json.createParser(counted); JsonGenerator g = json.createGenerator(out)) {
            copyWithoutMedia(p, g);
            g.flush();
            counted.transferTo(OutputStream.nullOutputStream()); // the rest (whitespace) is signed too
        } catch (TooLarge e) {
            throw tooLarge(e.what, e.limit, e.setting);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof TooLarge t) {
                throw tooLarge(t.what, t.limit, t.setting);
            }
            throw unreadable(e.getCause());
        } catch (StreamConstraintsException e) {
            throw tooLarge("a text field is longer than " + limit + " characters", limit, "RAPIDFIRE_MAX_BODY_BYTES");
        } catch (JsonProcessingException e) {
            throw new BadRequest("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw unreadable(e);
        }
        return new Body(out.toByteArray(), mac == null ? null : mac.doFinal());
    }

    private static void copyWithoutMedia(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t = p.nextToken();
        while (t != null) {
            if (t == JsonToken.FIELD_NAME && MEDIA_FIELDS.contains(p.currentName())
                    && p.nextToken() == JsonToken.VALUE_STRING) {
                String name = p.currentName();
                long start = p.currentTokenLocation().getByteOffset();
                t = p.nextToken(); // skips the string without reading it into memory
                long end = t == null ? start : p.currentTokenLocation().getByteOffset();
                g.writeStringField(name, "");
                g.writeNumberField(name + SIZE_SUFFIX, Math.max(0, end - start - 3) * 3 / 4);
                continue;
            }
            g.copyCurrentEvent(p);
            t = p.nextToken();
        }
    }

    private static Refused unreadable(IOException e) {
        return new Refused(400, "bad_request", "the body could not be read whole (" + e.getClass().getSimpleName()
                + "): send it again; nothing stored");
    }

    private static Refused tooLarge(String what, long limit, String setting) {
        return new Refused(413, "too_large", what + "; at most " + limit + " are accepted (" + setting + "); nothing stored");
    }

    private static final class TooLarge extends IOException {
        final String what;
        final long limit;
        final String setting;

        TooLarge(String what, long limit, String setting) {
            super(what);
            this.what = what;
            this.limit = limit;
            this.setting = setting;
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
                throw new java.io.UncheckedIOException(new TooLarge("the body is more than " + limit
                        + " bytes without its inline media", limit, "RAPIDFIRE_MAX_BODY_BYTES"));
            }
        }
    }
}
