package io.github.rpcdiscovery.etcd;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which etcd keys are go-zero entries ({@code <key>/<signed decimal int64>}), and of which service key. */
class LiveEntryKeyTest {

	@Test
	void aDecimalSuffixNamesTheServiceKeyBeforeTheLastSlash() {
		assertThat(LiveEntryListing.serviceKeyOf("user.rpc/7587857472832806666")).isEqualTo("user.rpc");
		assertThat(LiveEntryListing.serviceKeyOf("shop/cart.rpc/-42")).isEqualTo("shop/cart.rpc");
		assertThat(LiveEntryListing.serviceKeyOf("user.rpc/1")).isEqualTo("user.rpc");
	}

	@Test
	void otherKeysAreNoEntries() {
		assertThat(LiveEntryListing.serviceKeyOf("user.rpc/abc")).isNull();
		assertThat(LiveEntryListing.serviceKeyOf("user.rpc/")).isNull();
		assertThat(LiveEntryListing.serviceKeyOf("/123")).isNull();
		assertThat(LiveEntryListing.serviceKeyOf("plain")).isNull();
		assertThat(LiveEntryListing.serviceKeyOf("user.rpc/12a")).isNull();
		assertThat(LiveEntryListing.serviceKeyOf("user.rpc/99999999999999999999")).as("beyond int64").isNull();
		assertThat(LiveEntryListing.serviceKeyOf(InstanceMetadataCodec.ROOT + "user.rpc/123")).as("metadata").isNull();
	}

}
