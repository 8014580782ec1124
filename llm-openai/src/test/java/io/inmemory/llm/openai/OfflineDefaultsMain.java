package io.inmemory.llm.openai;

import io.inmemory.ConversationRequest;
import io.inmemory.ConversationResult;
import io.inmemory.MemoryClient;
import io.inmemory.MemoryClients;
import io.inmemory.Message;
import io.inmemory.Scope;
import io.inmemory.SearchResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Run by {@link OfflineDefaultsTest} in a child JVM whose class path holds the engine, the ONNX
 * embedder, the file store and this module, with no {@code inmemory.*} key. Before anything else
 * it makes classic sockets refuse to connect or bind ({@link RefusingSocketImpl} through
 * {@link Socket#setSocketImplFactory} and {@link ServerSocket#setSocketFactory}) and checks that {@link RefusingSelectorProvider} refuses
 * NIO channels; every attempt prints a {@code network attempt} line with its stack. Then it uses
 * the defaults (add, search, getAll, stats, a conversation add, session stats, close) and prints {@code ok defaults}; exits with 1
 * when any attempt was made. With the argument {@code control} it makes one attempt of each kind
 * instead, to show that the guards see them.
 */
public final class OfflineDefaultsMain {
  private static final AtomicInteger ATTEMPTS = new AtomicInteger();

  private OfflineDefaultsMain() {}

  // The socket factories are deprecated, but nothing else reaches every classic socket of a JVM.
  @SuppressWarnings("deprecation")
  public static void main(String[] args) throws IOException, InterruptedException {
    Socket.setSocketImplFactory(RefusingSocketImpl::new);
    ServerSocket.setSocketFactory(RefusingSocketImpl::new);
    if (!(SelectorProvider.provider() instanceof RefusingSelectorProvider)) {
      System.out.println("the selector provider is " + SelectorProvider.provider().getClass()
          + ", not the refusing one: start the JVM with -Djava.nio.channels.spi.SelectorProvider="
          + RefusingSelectorProvider.class.getName());
      System.exit(2);
    }
    if (args.length > 0 && args[0].equals("control")) {
      control();
      System.exit(ATTEMPTS.get() == 2 ? 0 : 3);
    }
    try (MemoryClient memory = MemoryClients.create()) {
      memory.add("I love pizza but hate broccoli", "john");
      memory.add("Paris is the capital of France", "john");
      SearchResult found = memory.search("What food does John like?", "john");
      long stored = memory.getAll("john", 10, 0).items().size();
      long counted = memory.getUserStats("john").memoryCount();
      ConversationResult conversation = memory.add(ConversationRequest.builder(
          Scope.user("john").withSession("chat-1"))
          .messages(Message.user("I moved to Berlin").withName("John"),
              Message.assistant("How do you like it?"))
          .build());
      long inSession = memory.stats(Scope.user("john").withSession("chat-1")).memoryCount();
      System.out.println("ok defaults: top hit '" + found.memories().get(0).content() + "', "
          + stored + " listed, " + counted + " counted, " + conversation.events().size()
          + " conversation events, " + inSession + " in the session");
    }
    System.exit(ATTEMPTS.get() == 0 ? 0 : 1);
  }

  /** Records an attempt to use the network and returns the exception that refuses it. */
  static IOException attempt(String what) {
    ATTEMPTS.incrementAndGet();
    System.out.println("network attempt: " + what + " at\n    " + Arrays.stream(
        new Throwable().getStackTrace()).skip(1).limit(25).map(String::valueOf)
        .collect(Collectors.joining("\n    ")));
    return new IOException("refused: the defaults must not use the network (" + what + ")");
  }

  /** One NIO attempt (as java.net.http makes) and one classic socket attempt. */
  private static void control() throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try {
      client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/")).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException expected) {
      System.out.println("control: java.net.http failed: " + expected);
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 9), 1000);
    } catch (IOException expected) {
      System.out.println("control: Socket failed: " + expected);
    }
  }
}
