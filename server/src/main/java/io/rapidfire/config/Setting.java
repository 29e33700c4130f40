package io.rapidfire.config;

import io.rapidfire.core.TenantPolicies;
import io.rapidfire.delivery.bullmq.BullmqSettings;
import io.rapidfire.core.Tunable;
import io.rapidfire.core.Tunables;

import java.net.URI;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every setting Rapidfire reads, with its default, what it accepts and whether it is a secret. The name is
 * the environment variable and the key in a config file; {@code --set NAME=VALUE} takes it on the command line.
 */
public enum Setting {
    REDIS_URL("", "Redis to use: redis://[:password@]host:port/db (rediss:// for TLS), "
            + "redis-sentinel://host1:port1,host2:port2/db?masterName=NAME, or redis-cluster://host1:port1,host2:port2. "
            + "Empty = the embedded in-memory store (standalone only)", Kind.REDIS_URL, true),
    RAPIDFIRE_CONFIG("", "Optional config file (Java properties, keys are these setting names)", Kind.TEXT, false),
    RAPIDFIRE_HOST("0.0.0.0", "Address the webhook server binds to", Kind.TEXT, false),
    RAPIDFIRE_PORT("8080", "Webhook server port (0 = any free port)", Kind.range(0, 65_535), false),
    RAPIDFIRE_QUIET_MS(Tunables.QUIET_MS, "Release a batch after this long without a new message; 0 turns batching off"),
    RAPIDFIRE_MAX_WAIT_MS(Tunables.MAX_WAIT_MS, "Release a batch at the latest this long after its first message"),
    RAPIDFIRE_MAX_MESSAGES(Tunables.MAX_MESSAGES, "Release a batch when it holds this many messages"),
    RAPIDFIRE_MAX_BYTES(Tunables.MAX_BYTES, "Release a batch before its text would exceed this many UTF-8 bytes"),
    RAPIDFIRE_JOINER(Tunables.DEFAULT_JOINER, "Text placed between messages in a batch's combined text", Kind.TEXT, false),
    RAPIDFIRE_TYPING("true", "Typing-aware release where the channel sends presence events (Baileys, Evolution API, "
            + "WPPConnect/Venom, generic {\"typing\": ...}): hold the batch while the person types, release it a grace "
            + "after they stop (docs/release-rules.md)", Kind.BOOL, false),
    RAPIDFIRE_TYPING_GRACE_MS(Tunables.TYPING_GRACE_MS, "Typing-aware release: wait this long after the person stops typing "
            + "(paused, or a message sent) for them to start again"),
    RAPIDFIRE_TYPING_TIMEOUT_MS(Tunables.TYPING_TIMEOUT_MS, "Typing-aware release: a composing not refreshed within this "
            + "counts as stopped"),
    RAPIDFIRE_ADAPTIVE("false", "Learn each conversation's gaps between messages and wait for them instead of the whole "
            + "quiet period (never below RAPIDFIRE_ADAPTIVE_FLOOR_MS, never above RAPIDFIRE_QUIET_MS)", Kind.BOOL, false),
    RAPIDFIRE_ADAPTIVE_FLOOR_MS(Tunables.ADAPTIVE_FLOOR_MS, "Adaptive quiet period: the shortest it may become"),
    RAPIDFIRE_FLUSH_KEYWORDS("", "Words or phrases, separated by |, that release the batch at once when a message holds "
            + "one (whole words, any case), e.g. done|that's all|всё", Kind.KEYWORDS, false),
    RAPIDFIRE_FIRST_MESSAGE_AT_ONCE("false", "Release a new conversation's first message at once (a sender not seen "
            + "within RAPIDFIRE_DEDUP_WINDOW_MS)", Kind.BOOL, false),
    RAPIDFIRE_ON_NEW_MESSAGE("queue", "A message that arrives while the conversation's batch is with the bot: queue "
            + "(it opens the next batch) or supersede (the batch is taken back and its messages and the new one come "
            + "as one batch, unless the bot already committed; docs/release-rules.md, one answer per thought)",
            Kind.oneOf("queue", "supersede"), false),
    RAPIDFIRE_COMMIT_NOT_BEFORE_MS(Tunables.COMMIT_NOT_BEFORE_MS, "One answer per thought: a bot's commit succeeds no "
            + "sooner than this after the conversation's last message (its LLM works meanwhile)"),
    RAPIDFIRE_CANCEL_KEYWORDS("", "Words or phrases of the person, separated by |, that take back what they were typing: "
            + "the open batch goes out at once with reason cancelled (the bot decides what to say), e.g. "
            + "cancel|stop|отмена|cancelar", Kind.KEYWORDS, false),
    RAPIDFIRE_MEDIA_GRACE_MS(Tunables.MEDIA_GRACE_MS, "A photo, voice note or file without words waits this much longer "
            + "for the words that usually follow (added to the quiet period or typing grace, never past max wait); 0: "
            + "off. Excludes RAPIDFIRE_MEDIA_RELEASES_BATCH"),
    RAPIDFIRE_TENANT_POLICIES("", "Per-tenant overrides: tenant=quietMs:2000,maxWaitMs:..,maxMessages:..,"
            + "maxBytes:..,typing:off,adaptive:on,flushKeywords:done|stop,firstMessage:on,onNewMessage:supersede,"
            + "commitNotBeforeMs:..;other=... "
            + "(docs/release-rules.md)", Kind.TENANT_POLICIES, false),
    RAPIDFIRE_DEFAULT_TENANT("default", "Tenant of messages that name none (the original's companyId)",
            Kind.NAME, false),
    RAPIDFIRE_SINK("log", "Where batches go: log | http | stream | bullmq (one BullMQ job per batch, for the "
            + "original's worker)", Kind.oneOf("log", "http", "stream", "bullmq"), false),
    RAPIDFIRE_SINK_URL("", "Bot endpoint for the http sink (http:// or https://); user info and query values are "
            + "masked wherever it is shown", Kind.HTTP_URL, false),
    RAPIDFIRE_SINK_SECRET("", "HMAC-SHA256 key; when set the http sink signs each body (X-Rapidfire-Signature), and bots "
            + "commit with it (Authorization: Bearer, one answer per thought; without it only loopback callers may)",
            Kind.TEXT, true),
    RAPIDFIRE_SINK_CONNECT_TIMEOUT_MS("2000", "http sink connect timeout", Kind.range(1, 600_000), false),
    RAPIDFIRE_SINK_TIMEOUT_MS("10000", "http sink timeout for the whole response", Kind.range(1, 600_000), false),
    RAPIDFIRE_STREAM_KEY("rf:batches", "Redis Stream the stream sink appends to", Kind.TEXT, false),
    RAPIDFIRE_STREAM_MAXLEN("100000", "Approximate length the stream is trimmed to", Kind.range(1, 1_000_000_000), false),
    RAPIDFIRE_BULLMQ_REDIS_URL("", "Redis holding the BullMQ queues (bullmq sink); empty = the store's REDIS_URL. "
            + "May be another server, a Cluster (then a hash tag in RAPIDFIRE_BULLMQ_PREFIX) or Sentinel",
            Kind.REDIS_URL, true),
    RAPIDFIRE_BULLMQ_QUEUE(BullmqSettings.DEFAULT_QUEUE, "BullMQ queue name, {tenant} replaced by the batch's tenant "
            + "(the original's company-<companyId>-messages)", Kind.BULLMQ_QUEUE, false),
    RAPIDFIRE_BULLMQ_HANDOVER_QUEUE("", "BullMQ queue for the batches of a conversation a human has, and handover "
            + "events: one the AI worker does not read. Empty: the queue's name + -handover", Kind.OPTIONAL_BULLMQ_QUEUE,
            false),
    RAPIDFIRE_BULLMQ_PREFIX(BullmqSettings.DEFAULT_PREFIX, "BullMQ key prefix, as the worker's prefix option "
            + "({bull} on a Redis Cluster)", Kind.NAME_OR_TAG, false),
    RAPIDFIRE_BULLMQ_JOB_NAME(BullmqSettings.DEFAULT_JOB_NAME, "BullMQ job name", Kind.TEXT, false),
    RAPIDFIRE_BULLMQ_ATTEMPTS(Integer.toString(BullmqSettings.DEFAULT_ATTEMPTS), "The job's attempts option (BullMQ "
            + "retries a job whose worker throws)", Kind.range(1, 1_000), false),
    RAPIDFIRE_BULLMQ_BACKOFF_MS(Long.toString(BullmqSettings.DEFAULT_BACKOFF_MS), "The job's exponential backoff "
            + "delay option, ms", Kind.range(0, 86_400_000), false),
    RAPIDFIRE_NAMESPACE(Tunables.DEFAULT_NAMESPACE, "Prefix of every Redis key; one deployment per namespace", Kind.NAME, false),
    RAPIDFIRE_PARTITIONS(Tunables.PARTITIONS, "Partitions conversations are spread over; fixed for a deployment. On a Redis "
            + "Cluster at least 8 per master (docs/operations.md: Choosing the number of partitions)"),
    RAPIDFIRE_WORKER_CONCURRENCY(Tunables.WORKER_CONCURRENCY, "Batches one worker has in flight at the same time (the bot's answer is awaited without a thread each)"),
    RAPIDFIRE_LEASE_MS(Tunables.LEASE_MS, "A claimed batch returns to the pool if its worker is silent this long"),
    RAPIDFIRE_MAX_ATTEMPTS(Tunables.MAX_ATTEMPTS, "Deliveries of one batch before it becomes a dead letter"),
    RAPIDFIRE_RETRY_BASE_MS(Tunables.RETRY_BASE_MS, "First retry delay; doubles each attempt, with jitter"),
    RAPIDFIRE_RETRY_MAX_MS(Tunables.RETRY_MAX_MS, "Longest retry delay"),
    RAPIDFIRE_DEDUP_WINDOW_MS(Tunables.DEDUP_WINDOW_MS, "How long message ids are remembered to drop platform retries; also "
            + "when an idle conversation's state is garbage-collected"),
    RAPIDFIRE_SAFETY_POLL_MS(Tunables.SAFETY_POLL_MS, "A worker re-checks every partition at least this often (in case a "
            + "wake-up was missed)"),
    RAPIDFIRE_COMMIT_TIMEOUT_MS(Tunables.COMMIT_TIMEOUT_MS, "One answer per thought: a batch the bot took with 202 and "
            + "Rapidfire-Commit: later stays supersedable until it commits or this passes (then it counts as committed)"),
    RAPIDFIRE_COMMIT_WAIT_MS("5000", "One answer per thought: how long POST /v1/batches/{id}/commit waits while the "
            + "person is typing again before it answers 425 with Retry-After (a request's ?wait=ms may ask for less); "
            + "keep it under RAPIDFIRE_SINK_TIMEOUT_MS minus the bot's own time, or the delivery times out meanwhile",
            Kind.range(0, 120_000), false),
    RAPIDFIRE_PUBLIC_URL("", "Where bots reach this deployment's API, for the commitUrl each batch carries (e.g. "
            + "https://rapidfire.example); empty = http://127.0.0.1:<RAPIDFIRE_PORT>", Kind.HTTP_URL, false),
    RAPIDFIRE_SHUTDOWN_GRACE_MS(Tunables.SHUTDOWN_GRACE_MS, "On shutdown, how long in-flight deliveries may finish before they are "
            + "released to other workers"),
    RAPIDFIRE_REDIS_TIMEOUT_MS(Tunables.REDIS_TIMEOUT_MS, "Redis command timeout; a webhook answers 503 after it"),
    RAPIDFIRE_WAIT_REPLICAS(Tunables.WAIT_REPLICAS, "0: a message is acknowledged once its Redis master has it. n: also wait (WAIT) "
            + "until n replicas have it, else answer 503, and deliver only claims n replicas confirmed; survives an "
            + "unclean fail-over at some latency"),
    RAPIDFIRE_WAIT_TIMEOUT_MS(Tunables.WAIT_TIMEOUT_MS, "How long an append waits for RAPIDFIRE_WAIT_REPLICAS replicas"),
    RAPIDFIRE_CLUSTER_REFRESH_MS(Tunables.CLUSTER_REFRESH_MS, "Redis Cluster: re-read the slot map at least this often (it is also "
            + "re-read at once on redirects and lost nodes)"),
    RAPIDFIRE_DEFAULT_REGION("RU", "Region for phone numbers written without a country code (89001234567)",
            Kind.REGION, false),
    RAPIDFIRE_ACCEPT_GROUPS("false", "Batch group chats (one conversation per participant) instead of ignoring them",
            Kind.BOOL, false),
    RAPIDFIRE_ACCEPT_STATUS("false", "Batch status@broadcast updates instead of ignoring them", Kind.BOOL, false),
    RAPIDFIRE_ACCEPT_FROM_ME("false", "Batch messages sent by the bot itself (fromMe) instead of ignoring them",
            Kind.BOOL, false),
    RAPIDFIRE_HANDOVER_MS(Long.toString(30 * 60_000L), "How long a conversation stays with a human after the "
            + "business's last message (or the bot's or a keyword's handover), ms; then the bot answers again",
            Kind.range(1_000, 7L * 24 * 3600 * 1000), false),
    RAPIDFIRE_HANDOVER_FROM_ME("human", "Which of the business's own messages hand the chat to a human: human (those "
            + "the bridge says a person sent: WAHA source app, Z-API fromApi false, a Chatwoot agent), all (every one "
            + "the bridge does not say its API sent), off", Kind.oneOf("human", "all", "off"), false),
    RAPIDFIRE_HANDOVER_KEYWORDS("", "Words or phrases of the person, separated by |, that hand the chat to a human, "
            + "e.g. operator|human|оператор", Kind.KEYWORDS, false),
    RAPIDFIRE_RESUME_KEYWORDS("", "Words or phrases in the business's own message, separated by |, that hand the chat "
            + "back to the bot at once, e.g. #bot", Kind.KEYWORDS, false),
    RAPIDFIRE_MEDIA_RELEASES_BATCH("false", "A media message (image, voice, ...) releases its batch at once "
            + "(reason media)", Kind.BOOL, false),
    RAPIDFIRE_WEBHOOK_SECRET("", "Bridge signature secret: x-signature = hex HMAC-SHA256 of METHOD:url:timestamp:body (url: path and query as sent)",
            Kind.TEXT, true),
    RAPIDFIRE_META_APP_SECRET("", "WhatsApp Cloud API app secret: checks X-Hub-Signature-256", Kind.TEXT, true),
    RAPIDFIRE_META_VERIFY_TOKEN("", "WhatsApp Cloud API verify token for the GET handshake", Kind.TEXT, true),
    RAPIDFIRE_TELEGRAM_SECRET_TOKEN("", "Telegram setWebhook secret_token: checks "
            + "X-Telegram-Bot-Api-Secret-Token", Kind.TEXT, true),
    RAPIDFIRE_WAHA_HMAC_KEY("", "WAHA's webhook hmac.key: checks X-Webhook-Hmac (hex HMAC-SHA512 of the body) on "
            + "POST /webhook/waha", Kind.TEXT, true),
    RAPIDFIRE_CHATWOOT_SECRET("", "The secret of the Chatwoot agent bot's (or webhook's) signature: checks "
            + "X-Chatwoot-Signature (sha256=hex HMAC-SHA256 of \"<X-Chatwoot-Timestamp>.<body>\") on POST /webhook/chatwoot",
            Kind.TEXT, true),
    RAPIDFIRE_BRIDGE_TOKEN("", "A token the WhatsApp bridge route (/webhook/whatsapp/batched) takes instead of the "
            + "bridge signature, for bridges that sign nothing but send headers (Evolution API's webhook headers): "
            + "Authorization: Bearer <it>, or an HS256 JWT signed with it and not expired (Evolution's jwt_key); "
            + "compared exactly, wrong ones throttled per client; at least 16 characters", Kind.TOKEN, true),
    RAPIDFIRE_ZAPI_TOKEN("", "Z-API signs nothing: set this and give Z-API the webhook URL .../webhook/z-api?token=<it>; "
            + "compared exactly, wrong ones throttled per client; at least 16 characters", Kind.TOKEN, true),
    RAPIDFIRE_ADMIN_TOKEN("", "Bearer token for every admin route (stats, clear, flush, policies, /admin/*, the "
            + "dashboard), reads included, from any address; at least 16 characters (openssl rand -hex 32). Without it "
            + "the admin routes answer only RAPIDFIRE_ADMIN_TRUSTED addresses, which may act and read masked",
            Kind.TOKEN, true),
    RAPIDFIRE_ADMIN_READ_TOKEN("", "Optional read-only token (needs RAPIDFIRE_ADMIN_TOKEN, and must differ from it): "
            + "reads the admin routes and the dashboard with numbers and message text masked, never acts; at least 16 "
            + "characters", Kind.TOKEN, true),
    RAPIDFIRE_ADMIN_TRUSTED("loopback", "Without RAPIDFIRE_ADMIN_TOKEN, the addresses that may use the admin routes: "
            + "loopback, IP addresses and/or CIDR blocks, comma separated; empty = none", Kind.ADDRESSES, false),
    RAPIDFIRE_TRUSTED_PROXIES("", "Reverse proxies whose forwarding header is believed: loopback, IP addresses and/or "
            + "CIDR blocks. A request from one of them counts as coming from the rightmost address of "
            + "RAPIDFIRE_FORWARDED_HEADER that is not itself listed; from anyone else the header is ignored. Empty = "
            + "the socket's peer is the client", Kind.ADDRESSES, false),
    RAPIDFIRE_FORWARDED_HEADER("X-Forwarded-For", "The one header the trusted proxies set: X-Forwarded-For, "
            + "Forwarded (RFC 7239) or X-Real-IP (one address, set by the proxy). Name the one your proxy writes: the "
            + "others may arrive from the client untouched", Kind.oneOf("X-Forwarded-For", "Forwarded", "X-Real-IP"), false),
    RAPIDFIRE_ALLOWED_HOSTS("", "Host names (besides localhost and IP literals) this server is reached by, comma "
            + "separated: trust by address holds only under these (DNS rebinding), and a browser's write is accepted "
            + "from these origins", Kind.TEXT, false),
    RAPIDFIRE_MAX_CONNECTIONS("2000", "Open "
            + "HTTP connections at most; beyond it new ones wait in the kernel's queue", Kind.range(8, 1_000_000), false),
    RAPIDFIRE_MAX_INFLIGHT_REQUESTS("256", "Webhook requests being stored at once, per process; beyond it a "
            + "request is answered 503 with Retry-After (reason overloaded, counted) instead of queueing behind the "
            + "others, so the release loop keeps its share of the CPU", Kind.range(1, 100_000), false),
    RAPIDFIRE_IDLE_TIMEOUT_MS("30000", "A kept-alive "
            + "connection silent this long between requests is closed (a new one must send its first request within "
            + "RAPIDFIRE_REQUEST_TIMEOUT_MS)", Kind.range(1_000, 3_600_000), false),
    RAPIDFIRE_REQUEST_TIMEOUT_MS("10000", "A request's "
            + "headers and body must arrive within this, and a new connection must send its first request within "
            + "it; slower senders are disconnected (slowloris)", Kind.range(500, 600_000), false),
    RAPIDFIRE_OPEN_ROUTES("", "Webhook routes served WITHOUT a signature, to anyone who reaches the port: all, or "
            + "whatsapp, whatsapp-cloud, telegram, channels, waha, chatwoot, z-api; empty = none. A route with neither its secret nor a place "
            + "here answers 401. Left unset, the standalone process opens every route to loopback callers only",
            Kind.OPEN_ROUTES, false),
    RAPIDFIRE_MAX_BODY_BYTES("1048576", "Largest webhook body accepted (413 above); on the WhatsApp bridge route, "
            + "the largest once inline media (base64) is taken out", Kind.range(1_024, 67_108_864), false),
    RAPIDFIRE_BRIDGE_MAX_BODY_BYTES("25165824", "Largest body of the WhatsApp bridge route with its inline media "
            + "(Evolution's base64 of a 16 MB video is 21.3 MB): read as a stream, the media dropped, never held whole",
            Kind.range(1_024, 1_073_741_824), false),
    RAPIDFIRE_RATE_SENDER_BURST("60", "Messages one sender may send at once before being rate-limited (0 = off)",
            Kind.range(0, 1_000_000), false),
    RAPIDFIRE_RATE_SENDER_PER_MIN("60", "Sustained messages per minute per sender", Kind.range(1, 60_000_000), false),
    RAPIDFIRE_RATE_IP_BURST("2000", "Requests one IP may send at once (bridges post for everyone; 0 = off)",
            Kind.range(0, 10_000_000), false),
    RAPIDFIRE_RATE_IP_PER_SEC("500", "Sustained requests per second per IP", Kind.range(1, 10_000_000), false),
    RAPIDFIRE_CHANNELS("*", "Channels accepted on POST /webhook/{channel}: * for any, or a list like web,sms",
            Kind.TEXT, false),
    RAPIDFIRE_LOG_LEVEL("INFO", "Level of Rapidfire's own log lines: ERROR | WARN | INFO (one line per batch, "
            + "periodic summaries) | DEBUG (adds a line per webhook request) | TRACE",
            Kind.oneOf("ERROR", "WARN", "INFO", "DEBUG", "TRACE"), false),
    RAPIDFIRE_LOG_SUMMARY_MS("60000", "How often an API process logs one summary line of the webhook requests it "
            + "answered (accepted, duplicates, ignored, refused), when there were any; 0 = never",
            Kind.range(0, 86_400_000), false),
    RAPIDFIRE_LOG_FORMAT("text", "Log format: text | json (read from the environment at start)",
            Kind.oneOf("text", "json"), false),
    RAPIDFIRE_HEARTBEAT_MS("2000", "How often a process renews its registration; it counts as dead after 5 missed",
            Kind.range(100, 60_000), false),
    RAPIDFIRE_ALLOW_EVICTION("false", "Start even if Redis may evict keys (maxmemory-policy other than noeviction): "
            + "evicted keys are lost batches", Kind.BOOL, false),
    RAPIDFIRE_TEST_CLOCK_OFFSET_MS("0", "Testing only: pretend this process's clock is off by this much (the doctor "
            + "must notice)", Kind.range(-86_400_000, 86_400_000), false);

    /** The shortest admin token accepted: long enough that guessing is not the threat, even unthrottled. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final String defaultValue;
    private final String description;
    private final Kind kind;
    private final boolean secret;

    /** A number whose default and range the engine defines ({@link Tunables}); its name must be this one's. */
    Setting(Tunable t, String description) {
        this(Long.toString(t.defaultValue()), description, Kind.range(t.min(), t.max()), false);
        if (!t.name().equals(name())) {
            throw new IllegalStateException(name() + " is defined with the tunable " + t.name());
        }
    }

    Setting(String defaultValue, String description, Kind kind, boolean secret) {
        this.defaultValue = defaultValue;
        this.description = description;
        this.kind = kind;
        this.secret = secret;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean secret() {
        return secret;
    }

    /** What values are accepted, for people ("0 to 86400000", "log | http | stream"). */
    public String accepts() {
        return kind.accepts;
    }

    /** Checks a raw value; returns null when acceptable, else what is accepted. */
    String problem(String raw) {
        return kind.check.apply(raw);
    }

    public String mask(String value) {
        if (this == RAPIDFIRE_SINK_URL) {
            return io.rapidfire.core.Mask.url(value); // may carry the bot's key: user info or a query value
        }
        if (value == null || value.isEmpty() || !secret) {
            return value;
        }
        return this == REDIS_URL ? io.rapidfire.store.redis.RedisConnector.mask(value) : "***";
    }

    static final class Kind {
        static final Kind TEXT = new Kind("text", v -> null);
        /** A token someone could guess: empty (unset) or at least 16 characters. */
        static final Kind TOKEN = new Kind("empty, or at least " + MIN_TOKEN_LENGTH + " characters", v -> v.isEmpty()
                || v.length() >= MIN_TOKEN_LENGTH ? null : "at least " + MIN_TOKEN_LENGTH + " characters (this one has "
                + v.length() + "); generate one with: openssl rand -hex 32");
        static final Kind ADDRESSES = new Kind("loopback, IP addresses, CIDR blocks, comma separated", v -> {
            java.util.List<String> list = java.util.Arrays.stream(v.split(",")).map(String::trim)
                    .filter(x -> !x.isEmpty()).toList();
            return Addresses.problem(list);
        });
        static final Kind BOOL = new Kind("true | false", v -> v.equals("true") || v.equals("false") ? null : "true or false");
        static final Kind REGION = new Kind("two-letter region code (RU, US, DE, BR, ...)", v -> com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance()
                .getSupportedRegions().contains(v) ? null : "a two-letter region code such as RU, US, DE, BR");
        static final Kind NAME = new Kind("1 to 64 of A-Z a-z 0-9 . _ -", v -> v.matches("[A-Za-z0-9._-]{1,64}") ? null
                : "1 to 64 characters of A-Z a-z 0-9 . _ -");
        static final Kind REDIS_URL = new Kind("Redis URL, or empty", v -> {
            String problem = v.isEmpty() ? null : io.rapidfire.store.redis.RedisConnector.problem(v);
            return problem == null ? null : "a Redis URL (or empty for the in-memory store), but it " + problem;
        });
        static final Kind HTTP_URL = new Kind("http:// or https:// URL, or empty", v -> {
            if (v.isEmpty()) {
                return null;
            }
            try {
                URI u = URI.create(v);
                String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                return (s.equals("http") || s.equals("https")) && u.getHost() != null ? null
                        : "an absolute http:// or https:// URL";
            } catch (IllegalArgumentException e) {
                return "an absolute http:// or https:// URL";
            }
        });
        static final Kind OPEN_ROUTES = new Kind(WebhookRoute.ACCEPTS, v -> {
            try {
                WebhookRoute.parse(v);
                return null;
            } catch (IllegalArgumentException e) {
                return WebhookRoute.ACCEPTS;
            }
        });
        static final Kind BULLMQ_QUEUE = new Kind("a queue name without ':', {tenant} for the tenant", v -> !v.isBlank()
                && !v.contains(":") ? null : "a non-empty queue name without ':' (BullMQ refuses it), e.g. "
                + BullmqSettings.DEFAULT_QUEUE);
        static final Kind OPTIONAL_BULLMQ_QUEUE = new Kind("empty, or a queue name without ':'", v -> !v.contains(":")
                ? null : "a queue name without ':' (BullMQ refuses it), or empty for <queue>-handover");
        static final Kind NAME_OR_TAG = new Kind("1 to 64 of A-Z a-z 0-9 . _ - { }", v -> v.matches("[A-Za-z0-9._{}-]{1,64}")
                ? null : "1 to 64 characters of A-Z a-z 0-9 . _ - { } (a hash tag such as {bull} on a Cluster)");
        static final Kind KEYWORDS = new Kind("words or phrases separated by |, or empty", v -> {
            try {
                io.rapidfire.core.Policy.DEFAULT.withFlushKeywords(io.rapidfire.core.TenantPolicies.keywords(v));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        static final Kind TENANT_POLICIES = new Kind("tenant=field:value,...;tenant=...", v -> {
            try {
                TenantPolicies.parse(v, io.rapidfire.core.Policy.DEFAULT);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });

        final String accepts;
        final Function<String, String> check;

        private Kind(String accepts, Function<String, String> check) {
            this.accepts = accepts;
            this.check = check;
        }

        static Kind range(long min, long max) {
            return new Kind(min + " to " + max, v -> {
                try {
                    long n = Long.parseLong(v.trim());
                    return n >= min && n <= max ? null : "a whole number from " + min + " to " + max;
                } catch (NumberFormatException e) {
                    return "a whole number from " + min + " to " + max;
                }
            });
        }

        static Kind oneOf(String... options) {
            return new Kind(String.join(" | ", options), v -> java.util.Arrays.asList(options).contains(v) ? null
                    : "one of " + String.join(", ", options));
        }
    }
}
