package io.rapidfire.store.redis;

import io.rapidfire.core.BatchQueue.WakeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The wake channel's messages (RedisKeys#wakeChannel), as the scripts publish them, told to a listener. */
final class WakeMessages {
    /** The facade's logger: operators' log filters and alerts name RedisBatchStore. */
    private static final Logger log = LoggerFactory.getLogger(RedisBatchStore.class);

    private WakeMessages() {
    }

    static AutoCloseable subscribe(RedisLink link, String channel, WakeListener listener) {
        return link.subscribe(channel, (ch, message) -> tell(listener, ch, message));
    }

    private static void tell(WakeListener listener, String channel, String message) {
        int colon = message.indexOf(':');
        try {
            if (message.startsWith("x:") || message.startsWith("w:")) {
                // "x:<partition>:<batchId>": a batch was superseded; "w:...": withdraw it if you can (append-6.lua).
                int second = message.indexOf(':', 2);
                int partition = Integer.parseInt(message.substring(2, second));
                String batchId = message.substring(second + 1);
                if (message.charAt(0) == 'x') {
                    listener.superseded(partition, batchId);
                } else {
                    listener.withdraw(partition, batchId);
                }
                return;
            }
            listener.wake(Integer.parseInt(message.substring(0, colon)), Long.parseLong(message.substring(colon + 1)));
        } catch (RuntimeException e) {
            log.warn("Ignoring malformed wake-up '{}' on {}: {}", message, channel, e.toString());
        }
    }
}
