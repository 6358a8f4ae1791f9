package io.github.rpcdiscovery.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.OptionsUtil;

/**
 * Every key under a prefix at one revision: the "list" of list-then-watch. Big prefixes are read in pages of at most
 * {@code pageSize} keys, all pinned to the revision of the first page, so the result is one consistent snapshot and
 * no response grows past gRPC's message size limit. Each page has its own timeout.
 *
 * @param revision the etcd revision the listing is exact at; watch from {@code revision + 1}
 * @param entries key to value, both UTF-8, sorted by key
 */
record PrefixListing(long revision, TreeMap<String, String> entries) {

	private static final ByteSequence ZERO_BYTE = ByteSequence.from(new byte[] { 0 });

	static CompletableFuture<PrefixListing> read(KV kv, String prefix, int pageSize, Duration timeout) {
		ByteSequence start = ByteSequence.from(prefix, StandardCharsets.UTF_8);
		return page(kv, start, OptionsUtil.prefixEndOf(start), 0, pageSize, timeout, new TreeMap<>());
	}

	private static CompletableFuture<PrefixListing> page(KV kv, ByteSequence from, ByteSequence end, long revision,
			int pageSize, Duration timeout, TreeMap<String, String> entries) {
		GetOption option = GetOption.builder().withRange(end).withLimit(pageSize).withRevision(revision).build();
		return kv.get(from, option).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).thenCompose((response) -> {
			// revision 0 reads the latest; later pages read at the first page's revision
			long pinned = (revision != 0) ? revision : response.getHeader().getRevision();
			List<KeyValue> page = response.getKvs();
			for (KeyValue entry : page) {
				entries.put(text(entry.getKey()), text(entry.getValue()));
			}
			if (response.isMore() && !page.isEmpty()) {
				ByteSequence next = page.get(page.size() - 1).getKey().concat(ZERO_BYTE);
				return page(kv, next, end, pinned, pageSize, timeout, entries);
			}
			return CompletableFuture.completedFuture(new PrefixListing(pinned, entries));
		});
	}

	static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
