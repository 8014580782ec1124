package io.inmemory.mcp;

import io.inmemory.AddRequest;
import io.inmemory.MemoryClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * A client whose additions of one memory wait until {@link #release} opens: replies that are
 * still due at a chosen moment, deterministically.
 */
final class HeldAdds {
  /** Counted down as each addition starts waiting. */
  final CountDownLatch entered;
  /** Opened to let every addition through. */
  final CountDownLatch release = new CountDownLatch(1);

  /** @param expected how many additions {@link #entered} counts */
  HeldAdds(int expected) {
    entered = new CountDownLatch(expected);
  }

  /** {@code client}, its additions held. */
  MemoryClient over(MemoryClient client) {
    return (MemoryClient) Proxy.newProxyInstance(MemoryClient.class.getClassLoader(),
        new Class<?>[] {MemoryClient.class}, (proxy, method, args) -> {
          if (method.getName().equals("add") && args[0] instanceof AddRequest) {
            entered.countDown();
            release.await();
          }
          try {
            return method.invoke(client, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
