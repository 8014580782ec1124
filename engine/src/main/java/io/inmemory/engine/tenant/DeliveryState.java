package io.inmemory.engine.tenant;

/** Where a {@link DeliveryRecord} is. */
public enum DeliveryState {
  /** Still to be sent (or re-sent after failed attempts). */
  PENDING,
  /** A receiver answered 2xx. */
  DELIVERED,
  /** Given up: its hook stayed disabled past the retention (see {@link WebhookStore#purge}). */
  EXPIRED
}
