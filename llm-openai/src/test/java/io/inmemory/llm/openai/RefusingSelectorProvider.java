package io.inmemory.llm.openai;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * The selector provider of {@link OfflineDefaultsMain}'s JVM, installed with
 * {@code -Djava.nio.channels.spi.SelectorProvider}: every network channel (socket, server
 * socket, datagram) is recorded by {@link OfflineDefaultsMain#attempt} and refused, which catches
 * {@code java.net.http} and any other NIO client; selectors and pipes, which are local, come from
 * the JDK's default provider (reached with {@code --add-exports java.base/sun.nio.ch}).
 */
public final class RefusingSelectorProvider extends SelectorProvider {
  private final SelectorProvider local;

  public RefusingSelectorProvider() {
    try {
      local = (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider")
          .getMethod("get").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("start the JVM with --add-exports"
          + " java.base/sun.nio.ch=ALL-UNNAMED", e);
    }
  }

  @Override
  public DatagramChannel openDatagramChannel() throws IOException {
    throw OfflineDefaultsMain.attempt("DatagramChannel");
  }

  @Override
  public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
    throw OfflineDefaultsMain.attempt("DatagramChannel " + family);
  }

  @Override
  public Pipe openPipe() throws IOException {
    return local.openPipe();
  }

  @Override
  public AbstractSelector openSelector() throws IOException {
    return local.openSelector();
  }

  @Override
  public ServerSocketChannel openServerSocketChannel() throws IOException {
    throw OfflineDefaultsMain.attempt("ServerSocketChannel");
  }

  @Override
  public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
    throw OfflineDefaultsMain.attempt("ServerSocketChannel " + family);
  }

  @Override
  public SocketChannel openSocketChannel() throws IOException {
    throw OfflineDefaultsMain.attempt("SocketChannel");
  }

  @Override
  public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
    throw OfflineDefaultsMain.attempt("SocketChannel " + family);
  }
}
