package io.inmemory.llm.openai;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;
import org.jspecify.annotations.Nullable;

/**
 * The classic socket implementation of {@link OfflineDefaultsMain}'s JVM: creating a socket is
 * allowed (the JDK makes unconnected ones, for example for default TLS parameters), but
 * connecting, binding, listening and accepting are recorded by
 * {@link OfflineDefaultsMain#attempt} and refused.
 */
final class RefusingSocketImpl extends SocketImpl {

  @Override
  protected void create(boolean stream) {
    // an unconnected socket uses no network
  }

  @Override
  protected void connect(String host, int port) throws IOException {
    throw OfflineDefaultsMain.attempt("java.net.Socket connect " + host + ":" + port);
  }

  @Override
  protected void connect(InetAddress address, int port) throws IOException {
    throw OfflineDefaultsMain.attempt("java.net.Socket connect " + address + ":" + port);
  }

  @Override
  protected void connect(SocketAddress address, int timeout) throws IOException {
    throw OfflineDefaultsMain.attempt("java.net.Socket connect " + address);
  }

  @Override
  protected void bind(InetAddress host, int port) throws IOException {
    throw OfflineDefaultsMain.attempt("java.net.Socket bind " + host + ":" + port);
  }

  @Override
  protected void listen(int backlog) throws IOException {
    throw OfflineDefaultsMain.attempt("java.net.Socket listen");
  }

  @Override
  protected void accept(SocketImpl socket) throws IOException {
    throw OfflineDefaultsMain.attempt("java.net.Socket accept");
  }

  @Override
  protected InputStream getInputStream() throws IOException {
    throw new IOException("not connected: connections are refused here");
  }

  @Override
  protected OutputStream getOutputStream() throws IOException {
    throw new IOException("not connected: connections are refused here");
  }

  @Override
  protected int available() {
    return 0;
  }

  @Override
  protected void close() {
    // nothing was opened
  }

  @Override
  protected void sendUrgentData(int data) throws IOException {
    throw new IOException("not connected: connections are refused here");
  }

  @Override
  public void setOption(int optionId, Object value) {
    // options of an unconnected socket change nothing
  }

  @Override
  public @Nullable Object getOption(int optionId) {
    return null;
  }
}
