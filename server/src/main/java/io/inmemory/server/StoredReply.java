package io.inmemory.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link Reply} as the bytes an {@link io.inmemory.engine.tenant.IdempotencyStore} keeps: its
 * status, content type, headers and body, gzipped (an add's answer is JSON, which shrinks several
 * times). The store treats them as opaque; only this class reads them back. Stateless.
 */
final class StoredReply {
  /** The first byte of the unzipped form, so that a later layout can tell old records apart. */
  private static final int FORMAT = 1;

  private StoredReply() {}

  /** {@code reply}, which must hold bytes ({@link Reply#materialized()}), encoded. */
  static byte[] encode(Reply reply) {
    if (reply.body() == null) {
      throw new IllegalArgumentException("only a materialized reply is stored");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(reply.body().length / 4 + 64);
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
      out.writeByte(FORMAT);
      out.writeShort(reply.status());
      out.writeUTF(reply.contentType() == null ? "" : reply.contentType());
      out.writeShort(reply.headers().size());
      for (Map.Entry<String, String> header : reply.headers().entrySet()) {
        out.writeUTF(header.getKey());
        out.writeUTF(header.getValue());
      }
      out.writeInt(reply.body().length);
      out.write(reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * The reply {@link #encode} made of {@code stored}.
   *
   * @throws IllegalStateException when the bytes are not such a reply
   */
  static Reply decode(byte[] stored) {
    try (DataInputStream in = new DataInputStream(
        new GZIPInputStream(new ByteArrayInputStream(stored)))) {
      int format = in.readUnsignedByte();
      if (format != FORMAT) {
        throw new IllegalStateException("a stored answer of unknown format " + format);
      }
      int status = in.readUnsignedShort();
      String contentType = in.readUTF();
      int count = in.readUnsignedShort();
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        headers.put(in.readUTF(), in.readUTF());
      }
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return new Reply(status, contentType.isEmpty() ? null : contentType, body, null, headers);
    } catch (IOException e) {
      throw new IllegalStateException("a stored answer could not be read: " + e, e);
    }
  }
}
