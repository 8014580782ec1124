package io.inmemory.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where webhooks may be sent (the guard against server-side request forgery: a key holder must not
 * make the server post a project's memories to its cloud metadata endpoint, a database on the
 * private network or itself). A URL passes when it is {@code https} (or {@code http} inside an
 * allowed network), at most {@value #MAX_URL_LENGTH} characters, without user information, and
 * <em>every</em> address its host resolves to is public: not unspecified, loopback, link-local,
 * private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), shared (100.64/10), multicast,
 * documentation, benchmarking or reserved, nor an IPv6 form (IPv4-mapped, NAT64, 6to4) of such an
 * IPv4 address, unless it lies in one of the operator's allowed networks
 * ({@link WebhookSettings#ALLOWED_NETWORKS}). The dispatcher checks again before each attempt, so
 * a name that later resolves elsewhere is caught; the JDK caches a positive answer for 30 s, and
 * the client connects to that cached answer. Immutable and thread-safe.
 */
final class WebhookTargets {
  /** The longest URL accepted. */
  static final int MAX_URL_LENGTH = 2048;

  /** The blocks no webhook is sent to, unless allowed, each with what it is. */
  private static final List<Range> REFUSED = List.of(
      new Range("0.0.0.0/8", "an unspecified (this-network) address"),
      new Range("10.0.0.0/8", "a private address"),
      new Range("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
      new Range("127.0.0.0/8", "a loopback address"),
      new Range("169.254.0.0/16", "a link-local address (cloud metadata lives there)"),
      new Range("172.16.0.0/12", "a private address"),
      new Range("192.0.0.0/24", "an IETF protocol address"),
      new Range("192.0.2.0/24", "a documentation address"),
      new Range("192.168.0.0/16", "a private address"),
      new Range("198.18.0.0/15", "a benchmarking address"),
      new Range("198.51.100.0/24", "a documentation address"),
      new Range("203.0.113.0/24", "a documentation address"),
      new Range("224.0.0.0/4", "a multicast address"),
      new Range("240.0.0.0/4", "a reserved address"),
      new Range("::/128", "an unspecified address"),
      new Range("::1/128", "a loopback address"),
      new Range("::/96", "an IPv4-compatible address"),
      new Range("64:ff9b:1::/48", "a local NAT64 address"),
      new Range("100::/64", "a discard address"),
      new Range("2001::/23", "an IETF protocol address"),
      new Range("2001:db8::/32", "a documentation address"),
      new Range("fc00::/7", "a private (unique local) address"),
      new Range("fe80::/10", "a link-local address"),
      new Range("fec0::/10", "a private (site-local) address"),
      new Range("ff00::/8", "a multicast address"));
  /**
   * IPv6 blocks that carry an IPv4 address, judged by that address: where it starts. (The JDK
   * turns IPv4-mapped addresses, ::ffff:0:0/96, into IPv4 ones itself.)
   */
  private static final List<Embedding> EMBEDDED = List.of(
      new Embedding(Cidr.parse("64:ff9b::/96"), 12),
      new Embedding(Cidr.parse("2002::/16"), 2));

  /** Resolves a host name to all its addresses, as {@link InetAddress#getAllByName} does. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final List<Cidr> allowed;
  private final Resolver resolver;

  /** Resolving with the JDK's resolver. */
  WebhookTargets(List<Cidr> allowed) {
    this(allowed, InetAddress::getAllByName);
  }

  WebhookTargets(List<Cidr> allowed, Resolver resolver) {
    this.allowed = List.copyOf(allowed);
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /**
   * The URL, when webhooks may be sent to it now.
   *
   * @throws Refused saying why not
   */
  URI check(String url) throws Refused {
    URI uri = form(url);
    String host = uri.getHost();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new Refused(host + " does not resolve to an address", true);
    }
    boolean allInAllowed = true;
    for (InetAddress address : addresses) {
      boolean inAllowed = allowed.stream().anyMatch(block -> block.contains(address));
      allInAllowed &= inAllowed;
      Optional<String> kind = inAllowed ? Optional.empty() : refusedKind(address);
      if (kind.isPresent()) {
        throw new Refused(describe(host, address) + " is " + kind.get() + "; webhooks go to"
            + " public addresses only, unless " + WebhookSettings.ALLOWED_NETWORKS.envName()
            + " lists its network", false);
      }
    }
    if (!uri.getScheme().equalsIgnoreCase("https") && !allInAllowed) {
      throw new Refused("http is allowed only inside " + WebhookSettings.ALLOWED_NETWORKS.envName()
          + "; use https", false);
    }
    return uri;
  }

  /** The URL's form, checked without resolving anything. */
  private static URI form(String url) throws Refused {
    if (url.length() > MAX_URL_LENGTH) {
      throw new Refused("is longer than " + MAX_URL_LENGTH + " characters", false);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("is not a URL: " + e.getMessage(), false);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new Refused("must be an https URL", false);
    }
    if (uri.getRawUserInfo() != null) {
      throw new Refused("must not carry a user name or password", false);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("has no host name", false);
    }
    return uri;
  }

  /** What a refused address is, or empty for a public one. */
  static Optional<String> refusedKind(InetAddress address) {
    for (Range range : REFUSED) {
      if (range.block().contains(address)) {
        return Optional.of(range.kind());
      }
    }
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      for (Embedding embedding : EMBEDDED) {
        if (embedding.block().contains(address)) {
          InetAddress v4 = v4(Arrays.copyOfRange(bytes, embedding.offset(),
              embedding.offset() + 4));
          return refusedKind(v4).map(kind -> "an IPv6 form of " + v4.getHostAddress() + ", "
              + kind);
        }
      }
    }
    return Optional.empty();
  }

  private static String describe(String host, InetAddress address) {
    String literal = address.getHostAddress();
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return bare.equalsIgnoreCase(literal) ? literal : literal + " (" + bare + ")";
  }

  private static InetAddress v4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /**
   * A URL refused: {@code reason} completes the sentence "the URL …" or names the address.
   * {@code unresolved} when its host did not resolve (a passing failure before an attempt).
   */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean unresolved;

    Refused(String reason, boolean unresolved) {
      super(reason, null, false, false);
      this.unresolved = unresolved;
    }

    boolean unresolved() {
      return unresolved;
    }
  }

  private record Range(Cidr block, String kind) {
    Range(String block, String kind) {
      this(Cidr.parse(block), kind);
    }
  }

  private record Embedding(Cidr block, int offset) {}
}
