package io.github.rpcdiscovery.status;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One registration of this application at one moment. Never holds a credential.
 *
 * @param serviceKey the service key it registers under (go-zero's {@code Etcd.Key}), e.g. {@code user.rpc}
 * @param key the etcd key written now ({@code user.rpc/7587862078121234}), or {@code null} while not in etcd
 * @param address the registered {@code host:port}
 * @param registry where: the etcd hosts
 * @param leaseId the lease the key is written on, or {@code null} while not in etcd
 * @param leaseIdHex the lease id as etcdctl prints it (16 hex digits), or {@code null}
 * @param ttl the lease's TTL
 * @param ttlLeft how long the lease lives without another renewal: etcd's answer when asked, else computed from the
 * last renewal; {@code null} while not in etcd
 * @param lastRenewal when etcd last renewed the lease, or {@code null}
 * @param state where the registration stands
 * @param since when it entered that state
 * @param lastError the kind of the last failure while the registration is not UP as wanted, or {@code null}
 */
public record RegistrationStatus(String serviceKey, @Nullable String key, String address, String registry,
		@Nullable Long leaseId, @Nullable String leaseIdHex, Duration ttl, @Nullable Duration ttlLeft,
		@Nullable Instant lastRenewal, RegistrationState state, Instant since, @Nullable String lastError) {

}
