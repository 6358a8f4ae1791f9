package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * Every key under a prefix at one revision: the "list" of list-then-watch.
 * <p>
 * Prefixes are read in batches: one read-only transaction with a range read per prefix, so a cold start with a
 * thousand services costs a few dozen requests instead of thousands, and every prefix of a batch is read at the same
 * revision. Each range read returns at most {@code batchLimit} keys; a prefix with more is read on alone, in pages of
 * {@code pageSize}, pinned to the batch's revision, so the result is one consistent snapshot and no response grows
 * past gRPC's message size limit. Every request has its own timeout (jetcd calls have none).
 *
 * @param revision the etcd revision the listing is exact at; watch from {@code revision + 1}
 * @param entries key to value, both UTF-8, sorted by key
 */
record PrefixListing(long revision, TreeMap<String, String> entries) {

	private static final ByteSequence ZERO_BYTE = ByteSequence.from(new byte[] { 0 });

	/**
	 * Lists several prefixes at one revision.
	 * @return one listing per prefix, in order; fails as a whole
	 */
	static CompletableFuture<List<PrefixListing>> read(KV kv, List<String> prefixes, int batchLimit, int pageSize,
			Duration timeout) {
		List<ByteSequence> starts = new ArrayList<>(prefixes.size());
		Op[] reads = new Op[prefixes.size()];
		for (int i = 0; i < reads.length; i++) {
			ByteSequence start = bytes(prefixes.get(i));
			starts.add(start);
			reads[i] = Op.get(start,
					GetOption.builder().withRange(OptionsUtil.prefixEndOf(start)).withLimit(batchLimit).build());
		}
		return kv.txn().Then(reads).commit().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenCompose((txn) -> {
			long revision = txn.getHeader().getRevision();
			List<GetResponse> responses = txn.getGetResponses();
			List<CompletableFuture<PrefixListing>> listings = new ArrayList<>(responses.size());
			for (int i = 0; i < responses.size(); i++) {
				ByteSequence end = OptionsUtil.prefixEndOf(starts.get(i));
				listings.add(rest(kv, responses.get(i), end, revision, pageSize, timeout, new TreeMap<>()));
			}
			return CompletableFuture.allOf(listings.toArray(CompletableFuture[]::new))
				.thenApply((done) -> listings.stream().map(CompletableFuture::join).toList());
		});
	}

	/** Takes a page in and reads the next ones, if any, at the same revision. */
	private static CompletableFuture<PrefixListing> rest(KV kv, GetResponse page, ByteSequence end, long revision,
			int pageSize, Duration timeout, TreeMap<String, String> entries) {
		List<KeyValue> keyValues = page.getKvs();
		for (KeyValue entry : keyValues) {
			entries.put(text(entry.getKey()), text(entry.getValue()));
		}
		if (!page.isMore() || keyValues.isEmpty()) {
			return CompletableFuture.completedFuture(new PrefixListing(revision, entries));
		}
		ByteSequence next = keyValues.get(keyValues.size() - 1).getKey().concat(ZERO_BYTE);
		GetOption option = GetOption.builder().withRange(end).withLimit(pageSize).withRevision(revision).build();
		return kv.get(next, option)
			.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
			.thenCompose((response) -> rest(kv, response, end, revision, pageSize, timeout, entries));
	}

	static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
