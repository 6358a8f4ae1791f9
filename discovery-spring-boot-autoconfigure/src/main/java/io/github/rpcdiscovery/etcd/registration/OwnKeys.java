package io.github.rpcdiscovery.etcd.registration;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes a registration's two keys (go-zero's {@code <key>/<suffix>} → {@code host:port}, and its metadata under
 * {@code _rpc-meta/}) and puts them back when someone deleted them while the lease lives. Both keys are always written
 * together, in one transaction on the lease: no client ever sees the instance without its metadata (its scheme,
 * zone, weight), nor metadata without the instance. Runs on the registration's thread only.
 */
final class OwnKeys {

	/** The registration's log category, as before it was split: operators filter on it. */
	private static final Log logger = LogFactory.getLog(LeaseKeeper.class);

	private final KV kv;

	private final EtcdRegistration registration;

	private final String value;

	private final String metadataValue;

	private final Duration requestTimeout;

	private boolean conflictReported;

	/** @param requestTimeout how long a write or a read may take ({@code rpc.etcd.request-timeout}) */
	OwnKeys(KV kv, EtcdRegistration registration, Duration requestTimeout) {
		this.kv = kv;
		this.requestTimeout = requestTimeout;
		this.registration = registration;
		this.value = registration.value();
		this.metadataValue = registration.metadataValue();
	}

	/** The value go-zero clients read. */
	String value() {
		return this.value;
	}

	/** The key and its metadata on the lease, in one transaction. Returns the revision of the write. */
	long write(ActiveLease on) throws Exception {
		PutOption withLease = PutOption.builder().withLeaseId(on.id()).build();
		TxnResponse response = EtcdCalls.await(this.kv.txn()
			.Then(Op.put(bytes(on.key()), bytes(this.value), withLease),
					Op.put(bytes(on.metadataKey()), bytes(this.metadataValue), withLease))
			.commit(), this.requestTimeout);
		return response.getHeader().getRevision();
	}

	/** A new lease holds the keys: a conflict on it is reported afresh. */
	void attached() {
		this.conflictReported = false;
	}

	/**
	 * Puts back the key and its metadata (together) if someone deleted or changed either while the lease lives. A key
	 * held by another lease is left alone (two instances with the same rpc.etcd.id): reported once, never fought over.
	 * @return the revision the keys were read (or written) at
	 */
	long restore(ActiveLease current) throws Exception {
		TxnResponse read = EtcdCalls.await(this.kv.txn()
			.Then(Op.get(bytes(current.key()), GetOption.DEFAULT), Op.get(bytes(current.metadataKey()), GetOption.DEFAULT))
			.commit(), this.requestTimeout);
		KeyValue key = single(read.getGetResponses().get(0));
		KeyValue metadata = single(read.getGetResponses().get(1));
		if (isOurs(key, current, this.value) && isOurs(metadata, current, this.metadataValue)) {
			return read.getHeader().getRevision();
		}
		if (key != null && key.getLease() != current.id()) {
			if (!this.conflictReported) {
				this.conflictReported = true;
				logger.warn(current.key() + " is held by lease " + ActiveLease.hex(key.getLease()) + " with value "
						+ text(key.getValue()) + ", not by this instance's lease " + current + ": two instances use the"
						+ " same rpc.etcd.id (" + this.registration.fixedId() + ")? This instance stays unregistered"
						+ " until that key is gone; give each instance its own id, or 0 to use the lease id");
			}
			return read.getHeader().getRevision();
		}
		long revision = write(current);
		logger.info("Put back " + current.key() + " = " + this.value + " on lease " + current
				+ ": it was deleted while the lease was alive");
		return revision;
	}

	private static boolean isOurs(@Nullable KeyValue kv, ActiveLease lease, String expected) {
		return kv != null && kv.getLease() == lease.id() && text(kv.getValue()).equals(expected);
	}

	private static @Nullable KeyValue single(GetResponse response) {
		return response.getKvs().isEmpty() ? null : response.getKvs().get(0);
	}

	private static ByteSequence bytes(String text) {
		return ByteSequence.from(text, StandardCharsets.UTF_8);
	}

	private static String text(ByteSequence bytes) {
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
