package io.inmemory.engine.spi;

import io.inmemory.ConfigKey;
import java.util.List;

/**
 * The configuration key that makes a store record its memory writes as pending events for
 * webhooks (see {@link io.inmemory.engine.tenant.WebhookStore}); each built-in store provider
 * reads it and lists it among its {@link StoreProvider#configKeys()}. Off by default: an embedded
 * engine has no webhooks to feed, and recording costs a little on every write. The server turns it
 * on when webhooks are enabled.
 */
public final class EventSettings {
  /** Whether memory writes are recorded as pending events, in the same write as the memory. */
  public static final ConfigKey<Boolean> RECORD = ConfigKey.bool("inmemory.events.record", false,
      "Whether the store records each memory change as a pending event for webhooks, in the same"
          + " write as the memory (default false; the server turns it on with webhooks)");

  /** Every key of this class. */
  public static final List<ConfigKey<?>> KEYS = List.of(RECORD);

  private EventSettings() {}
}
