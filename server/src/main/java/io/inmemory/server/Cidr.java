package io.inmemory.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A block of IP addresses such as {@code 10.0.0.0/8} or {@code fd00::/8}: an address and the
 * number of leading bits that must match. Immutable and thread-safe.
 *
 * @param network the block's address, bits past the prefix zero
 * @param bits the prefix length, 0 to 32 for IPv4 and 0 to 128 for IPv6
 */
record Cidr(InetAddress network, int bits) {
  // Literal addresses only: parsing a block must never ask the DNS.
  private static final Pattern LITERAL = Pattern.compile(
      "\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  Cidr {
    Objects.requireNonNull(network, "network");
    int width = network.getAddress().length * 8;
    if (bits < 0 || bits > width) {
      throw new IllegalArgumentException("a prefix of " + network.getHostAddress()
          + " is 0 to " + width + " bits, was " + bits);
    }
    network = masked(network, bits);
  }

  /**
   * The block written as {@code address/bits}, or a single {@code address}.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress network = literal(address);
    if (network == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or block such as"
          + " 10.0.0.0/8 or fd00::/8");
    }
    int width = network.getAddress().length * 8;
    if (slash < 0) {
      return new Cidr(network, width);
    }
    try {
      return new Cidr(network, Integer.parseInt(trimmed.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'", e);
    }
  }

  /** Blocks separated by commas; empty text is none. */
  static List<Cidr> parseList(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(part -> !part.isEmpty())
        .map(Cidr::parse).toList();
  }

  /** Whether {@code address} is in this block (an IPv4 address is never in an IPv6 block). */
  boolean contains(InetAddress address) {
    return address.getAddress().length == network.getAddress().length
        && masked(address, bits).equals(network);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + bits;
  }

  /** The literal address {@code text}, or null when it is not one. */
  private static InetAddress literal(String text) {
    if (text.isEmpty() || !LITERAL.matcher(text).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static InetAddress masked(InetAddress address, int bits) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of 4 or 16 bytes", e);
    }
  }
}
