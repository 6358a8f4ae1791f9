package io.github.rpcdiscovery.etcd;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import org.jspecify.annotations.Nullable;

/**
 * How many live go-zero entries each service key of a range holds, at one revision: the "list" of
 * {@link ServiceKeyIndex}. Keys-only pages (etcd still sends each key's lease), each read with its own timeout, the
 * later ones pinned to the first one's revision; only the counts are kept, at most {@code maxServices} keys (the
 * first in key order), so memory does not grow with the number of entries.
 */
final class LiveEntryListing {

	/** go-zero's suffix: the lease id (or a fixed id) as a signed decimal int64. */
	private static final Pattern ENTRY_SUFFIX = Pattern.compile("-?[0-9]{1,19}");

	private static final ByteSequence ZERO_BYTE = ByteSequence.from(new byte[] { 0 });

	private final int maxServices;

	private final Map<String, Integer> counts = new HashMap<>();

	private long revision;

	private boolean leftOut;

	private LiveEntryListing(int maxServices) {
		this.maxServices = maxServices;
	}

	/** Lists the range {@code [start, end)}; fails as a whole if any page fails. */
	static CompletableFuture<LiveEntryListing> read(KV kv, ByteSequence start, ByteSequence end, int pageSize,
			Duration timeout, int maxServices) {
		LiveEntryListing listing = new LiveEntryListing(maxServices);
		GetOption firstPage = GetOption.builder().withRange(end).withKeysOnly(true).withLimit(pageSize).build();
		return timed(kv.get(start, firstPage), timeout)
			.thenCompose((page) -> listing.rest(kv, page, end, pageSize, timeout))
			.thenApply((done) -> listing);
	}

	/**
	 * The service key of a go-zero entry, or {@code null} if the key is not one: {@code <key>/<decimal>}, with a
	 * non-empty key, outside the metadata this starter writes beside the entries.
	 */
	static @Nullable String serviceKeyOf(String key) {
		int slash = key.lastIndexOf('/');
		if (slash <= 0 || key.startsWith(InstanceMetadataCodec.ROOT)
				|| !ENTRY_SUFFIX.matcher(key).region(slash + 1, key.length()).matches()) {
			return null;
		}
		try {
			Long.parseLong(key, slash + 1, key.length(), 10);
		}
		catch (NumberFormatException ex) {
			return null;
		}
		return key.substring(0, slash);
	}

	/** Live entries per service key; the caller owns it from now on. */
	Map<String, Integer> counts() {
		return this.counts;
	}

	/** The revision the counts are exact at; watch from the next one. */
	long revision() {
		return this.revision;
	}

	/** Whether service keys beyond {@code maxServices} were left out. */
	boolean leftOut() {
		return this.leftOut;
	}

	/** Counts a page (pages come one after the other) and reads the next at the same revision. */
	private CompletableFuture<Void> rest(KV kv, GetResponse page, ByteSequence end, int pageSize, Duration timeout) {
		if (this.revision == 0) {
			this.revision = page.getHeader().getRevision();
		}
		List<KeyValue> keys = page.getKvs();
		for (KeyValue entry : keys) {
			String service = (entry.getLease() != 0) ? serviceKeyOf(PrefixListing.text(entry.getKey())) : null;
			if (service != null) {
				count(service);
			}
		}
		if (!page.isMore() || keys.isEmpty()) {
			return CompletableFuture.completedFuture(null);
		}
		GetOption next = GetOption.builder()
			.withRange(end)
			.withKeysOnly(true)
			.withLimit(pageSize)
			.withRevision(this.revision)
			.build();
		return timed(kv.get(keys.get(keys.size() - 1).getKey().concat(ZERO_BYTE), next), timeout)
			.thenCompose((response) -> rest(kv, response, end, pageSize, timeout));
	}

	private void count(String service) {
		Integer count = this.counts.get(service);
		if (count == null && this.counts.size() >= this.maxServices) {
			this.leftOut = true;
			return;
		}
		this.counts.put(service, (count != null) ? count + 1 : 1);
	}

	private static <T> CompletableFuture<T> timed(CompletableFuture<T> call, Duration timeout) {
		return call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
